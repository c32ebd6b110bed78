// what-if, Browser TABLE form: one row per supplier of $buyer that the hypothetical regulation
// changes - its tier (after, or before when lost), id, name, status (lost, gained, or
// changed when its tier moves), the regulations and the reason it is lost, and the tier change.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

UNWIND [x IN lost | x {.*, status: 'lost', tier: x.hops, moved: null}]
  + [x IN gained | x {.*, status: 'gained', tier: x.hops, regulations: [], reason: null,
      moved: null}]
  + [x IN changed | x {.*, status: 'changed', tier: x.hops_after, regulations: [], reason: null,
      moved: 'tier ' + toString(x.hops_before) + ' -> ' + toString(x.hops_after)}] AS x
RETURN x.tier AS tier, x.supplier.id AS id, x.supplier.name AS name, x.status AS status,
  [r IN x.regulations | r.id] AS regulations, x.reason AS reason, x.moved AS moved
ORDER BY tier, status, id
