// chokepoints, Browser GRAPH form: $product and its chokepoint inputs - each input joined to the
// product by the shortest chain of INPUT_TO / VARIANT_OF / TYPE_OF claims, each provider's
// MANUFACTURES claims, and for a provider cut off from buyers in $for_country a virtual
// relationship CUT from it to that country, carrying the regulations and the reason.
// Virtual relationships exist only in the answer, never in the graph.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

MATCH (top:Entity {id: product.id})
UNWIND chokepoints AS c
MATCH (i:Entity {id: c.input.id})
CALL (top, i, c) {
  MATCH path = shortestPath((i)-[:INPUT_TO|VARIANT_OF|TYPE_OF*..8]-(top))
  WHERE i <> top
  RETURN path
  UNION
  UNWIND c.providers AS p
  MATCH path = (:Entity {id: p.provider.id})-[:MANUFACTURES]->(i)
  RETURN path
  UNION
  UNWIND [p IN c.providers WHERE size(p.cut_by) > 0] AS p
  MATCH (s:Entity {id: p.provider.id}), (k:Country {id: $for_country})
  RETURN apoc.path.create(s, [apoc.create.vRelationship(s, 'CUT', {item: i.id,
    regulation: apoc.text.join([r IN p.cut_by | r.id], ', '),
    reason: 'cut off from buyers in ' + k.id + ' for ' + i.id}, k)]) AS path
}
RETURN path
