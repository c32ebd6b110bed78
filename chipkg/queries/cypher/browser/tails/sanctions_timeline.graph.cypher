// sanctions-timeline, Browser GRAPH form: $entity and each regulation that reaches it - the
// claims between them (TARGETS, RESTRICTS, ISSUED_BY) where there are any, and a virtual
// relationship REACHES from the regulation to the entity carrying the date and how it reaches it
// (e.g. through a parent's listing, its country, or the foreign direct product rule).
// Virtual relationships exist only in the answer, never in the graph.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

MATCH (n:Entity {id: entity.id})
UNWIND events AS e
MATCH (r:Regulation {id: e.regulation.id})
CALL (n, r, e) {
  MATCH path = (r)-[:TARGETS|RESTRICTS|ISSUED_BY]-(n)
  RETURN path
  UNION
  RETURN apoc.path.create(r, [apoc.create.vRelationship(r, 'REACHES', {date: e.date,
    until: e.until, relations: apoc.text.join(e.relations, ', ')}, n)]) AS path
}
RETURN path
