// dossier: everything the graph holds about one entity - its properties and every claim it takes
// part in, with the other end, modality, confidence, validity and sources (each relationship
// carries its evidence as JSON strings in `evidence`).
// Run in Neo4j Browser after setting the parameter:
// :param entity => 'company/deepseek'

MATCH (n:Entity {id: $entity})
RETURN labels(n) AS labels, properties(n) AS props,
  COLLECT {
    MATCH (n)-[r]->(m:Entity)
    RETURN {direction: 'out', type: type(r), subject: n.id, object: m.id, props: properties(r),
            other: {id: m.id, name: m.name, label: head([x IN labels(m) WHERE x <> 'Entity'])}}
      AS row ORDER BY row.type, row.props.key
  } AS outgoing,
  COLLECT {
    MATCH (n)<-[r]-(m:Entity)
    WHERE m <> n
    RETURN {direction: 'in', type: type(r), subject: m.id, object: n.id, props: properties(r),
            other: {id: m.id, name: m.name, label: head([x IN labels(m) WHERE x <> 'Entity'])}}
      AS row ORDER BY row.type, row.props.key
  } AS incoming
