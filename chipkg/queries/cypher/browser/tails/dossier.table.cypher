// dossier, Browser TABLE form: one row per claim $entity takes part in - direction, type, the
// other end (id, name, label), modality, confidence, when it holds, its sources and claim key.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

UNWIND outgoing + incoming AS row
RETURN row.direction AS direction, row.type AS type, row.other.id AS other,
  row.other.name AS name, row.other.label AS label, row.props.modality AS modality,
  row.props.confidence AS confidence, row.props.valid_from AS valid_from,
  row.props.valid_to AS valid_to, row.props.sources AS sources, row.props.key AS claim
