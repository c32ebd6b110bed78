// exposure, Browser TABLE form: one row per dependent of $entity on $on - its tier, id, name, the
// items it receives on its witness step, its status (reachable, cut, or licence-required when
// every rule that cuts it reviews licences rather than denies them), the regulations and reasons,
// and the path from the company as text (`-[item: CUT]->` marks the cut link). A customer
// reached through one link is `reachable` even when another of its links is cut.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

WITH entity, dependents, steps,
  [x IN cut_off WHERE NOT x.reachable | x {.*, status: 'cut'}]
  + [x IN licence_required WHERE NOT x.reachable | x {.*, status: 'licence-required'}] AS lost
WITH *, apoc.map.fromPairs([d IN dependents | [d.customer.id,
  steps[d.via[0]].supplier.name + apoc.text.join([id IN d.via | ' -['
    + apoc.text.join(steps[id].items, ', ') + ']-> ' + steps[id].customer.name], '')]]) AS trail
CALL (dependents, steps, trail, lost) {
  UNWIND dependents AS d
  RETURN d.hops AS tier, d.customer.id AS id, d.customer.name AS name,
    steps[d.customer.id].items AS items, 'reachable' AS status, [] AS regulations,
    null AS reason, trail[d.customer.id] AS path
  UNION ALL
  UNWIND lost AS x
  WITH x ORDER BY x.hops, coalesce(x.item, '')
  WITH x.customer AS c, collect(x) AS xs
  RETURN xs[0].hops AS tier, c.id AS id, c.name AS name,
    [x IN xs WHERE x.item IS NOT NULL | x.item] AS items,
    CASE WHEN any(x IN xs WHERE x.status = 'cut') THEN 'cut' ELSE 'licence-required' END AS status,
    apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | [r IN x.regulations | r.id]])))
      AS regulations,
    apoc.text.join(apoc.coll.toSet([x IN xs | x.reason]), ' | ') AS reason,
    apoc.text.join([x IN xs | coalesce(trail[x.link.supplier.id], x.link.supplier.name)
      + ' -[' + coalesce(x.item, '?') + ': '
      + CASE x.status WHEN 'cut' THEN 'CUT' ELSE 'LICENCE_REQUIRED' END + ']-> ' + c.name], ' ; ')
      AS path
}
RETURN tier, id, name, items, status, regulations, reason, path
ORDER BY tier, status DESC, id
