// dossier, Browser GRAPH form: $entity and every claim it takes part in, drawn as the claims
// themselves (matched by their keys) with the entity at the other end.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

MATCH (n:Entity {id: $entity})
WITH n, [row IN outgoing + incoming | row.props.key] AS claims
MATCH path = (n)-[r]-(:Entity)
WHERE r.key IN claims
RETURN path
