// conflicts, Browser TABLE form: one row per contradiction (for $entity, or the whole graph when
// it is null) - its kind, the predicate, subject and object, the property in dispute, and each
// side as `value: sources`.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

UNWIND conflicts AS c
RETURN c.kind AS kind, c.predicate AS predicate, c.subject.id AS subject, c.object.id AS object,
  c.property AS property,
  [s IN c.sides | apoc.convert.toJson(s.value) + ': ' + apoc.text.join(s.sources, ', ')] AS sides
