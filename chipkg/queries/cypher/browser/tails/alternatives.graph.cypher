// alternatives, Browser GRAPH form: $buyer, $item and its substitutes, each provider not cut off
// with the claims by which it offers them on $on (DESIGNS / MANUFACTURES the item, or SUPPLIES it
// to anyone), and each cut offer as a virtual relationship CUT from the provider to the buyer,
// carrying the item, the regulations and the reason. Virtual relationships exist only in the
// answer, never in the graph.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

MATCH (b:Company {id: buyer.id})
CALL (b, alternatives, blocked) {
  UNWIND alternatives AS a
  MATCH (s:Entity {id: a.provider.id})
  CALL (s, a) {
    MATCH path = (s)-[l:DESIGNS|MANUFACTURES]->(x:Entity) WHERE x.id IN a.items
      AND coalesce(l.modality, '') <> 'negated' AND (l.valid_from IS NULL OR l.valid_from <= $on)
      AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    RETURN path
    UNION
    MATCH path = (s)-[l:SUPPLIES]->() WHERE l.item IN a.items
      AND coalesce(l.modality, '') <> 'negated' AND (l.valid_from IS NULL OR l.valid_from <= $on)
      AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    RETURN path
  }
  RETURN path
  UNION ALL
  UNWIND blocked AS o
  MATCH (s:Entity {id: o.provider.id})
  RETURN apoc.path.create(s, [apoc.create.vRelationship(s, 'CUT', {item: coalesce(o.item, ''),
    regulation: apoc.text.join([r IN o.regulations | r.id], ', '), reason: o.reason}, b)]) AS path
}
RETURN path
