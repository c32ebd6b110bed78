// conflicts, Browser GRAPH form: the entities and the claims in dispute (for $entity, or the
// whole graph when it is null) - the claim stated and negated, or whose sources disagree, and
// for a product said to be designed by unrelated groups, each DESIGNS claim.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

UNWIND conflicts AS c
MATCH (b:Entity {id: c.object.id})
CALL (b, c) {
  MATCH path = (a:Entity)-[r]->(b)
  WHERE c.subject IS NOT NULL AND a.id = c.subject.id AND type(r) = c.predicate
  RETURN path
  UNION
  MATCH path = (a:Entity)-[:DESIGNS]->(b)
  WHERE c.subject IS NULL AND a.id IN [s IN c.sides | s.value]
  RETURN path
}
RETURN path
