// reachable-suppliers, Browser TABLE form: one row per supplier of $buyer on $on - its tier, id,
// name, the items it supplies on its witness step, its status (reachable, cut, or
// licence-required when every rule that cuts it reviews licences rather than denies them), the
// regulations and reasons, and the path to the buyer as text (`-[item: CUT]->` marks the cut link).
// A supplier reached through one link is `reachable` even when another of its links is cut.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

WITH reachable, steps,
  [x IN blocked WHERE NOT x.reachable | x {.*, status: 'cut'}]
  + [x IN licence_required WHERE NOT x.reachable | x {.*, status: 'licence-required'}] AS lost
// -- shared: witness path text -----------------------------------------------------------------
// -- end shared: witness path text -------------------------------------------------------------
CALL (reachable, steps, trail, lost) {
  UNWIND reachable AS r
  RETURN r.hops AS tier, r.supplier.id AS id, r.supplier.name AS name,
    steps[r.supplier.id].items AS items, 'reachable' AS status, [] AS regulations,
    null AS reason, trail[r.supplier.id] AS path
  UNION ALL
  UNWIND lost AS x
  WITH x ORDER BY x.hops, coalesce(x.item, '')
  WITH x.supplier AS s, collect(x) AS xs
  RETURN xs[0].hops AS tier, s.id AS id, s.name AS name,
    [x IN xs WHERE x.item IS NOT NULL | x.item] AS items,
    CASE WHEN any(x IN xs WHERE x.status = 'cut') THEN 'cut' ELSE 'licence-required' END AS status,
    apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | [r IN x.regulations | r.id]])))
      AS regulations,
    apoc.text.join(apoc.coll.toSet([x IN xs | x.reason]), ' | ') AS reason,
    apoc.text.join([x IN xs | s.name + ' -[' + coalesce(x.item, '?') + ': '
      + CASE x.status WHEN 'cut' THEN 'CUT' ELSE 'LICENCE_REQUIRED' END + ']-> '
      + coalesce(trail[x.link.customer.id], x.link.customer.name)], ' ; ') AS path
}
RETURN tier, id, name, items, status, regulations, reason, path
ORDER BY tier, status DESC, id
