// alternatives, Browser TABLE form: one row per provider of $item or a substitute for $buyer on
// $on - its id, name, the items it offers, its status (reachable when some offer is not cut,
// else cut), how it offers them (relations), the regulations that cut its other offers and why.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

WITH alternatives, blocked, [a IN alternatives | a.provider.id] AS open
CALL (alternatives, blocked, open) {
  UNWIND alternatives AS a
  RETURN a.provider.id AS id, a.provider.name AS name, a.items AS items, 'reachable' AS status,
    a.relations AS relations, [] AS regulations, null AS reason
  UNION ALL
  UNWIND [b IN blocked WHERE NOT b.provider.id IN open] AS b
  WITH b ORDER BY coalesce(b.item, '')
  WITH b.provider AS p, collect(b) AS bs
  RETURN p.id AS id, p.name AS name, [b IN bs | b.item] AS items, 'cut' AS status,
    [] AS relations,
    apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([b IN bs | [r IN b.regulations | r.id]])))
      AS regulations,
    apoc.text.join(apoc.coll.toSet([b IN bs | b.reason]), ' | ') AS reason
}
RETURN id, name, items, status, relations, regulations, reason
ORDER BY status DESC, id
