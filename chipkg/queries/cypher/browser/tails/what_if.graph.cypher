// what-if, Browser GRAPH form: $buyer and each supplier the hypothetical regulation changes,
// joined to the buyer by a virtual relationship - CUT for a supplier lost (carrying the
// regulations and the reason), GAINED or MOVED (tier before and after) otherwise.
// Virtual relationships exist only in the answer, never in the graph.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

MATCH (b:Company {id: buyer.id})
UNWIND [x IN lost | {kind: 'CUT', x: x, props: {tier: x.hops,
    regulation: apoc.text.join([r IN x.regulations | r.id], ', '), reason: x.reason}}]
  + [x IN gained | {kind: 'GAINED', x: x, props: {tier: x.hops}}]
  + [x IN changed | {kind: 'MOVED', x: x, props: {tier_before: x.hops_before,
      tier_after: x.hops_after}}] AS d
MATCH (s:Entity {id: d.x.supplier.id})
RETURN apoc.path.create(s, [apoc.create.vRelationship(s, d.kind, d.props, b)]) AS path
