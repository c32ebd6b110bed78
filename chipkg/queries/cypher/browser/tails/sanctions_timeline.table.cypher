// sanctions-timeline, Browser TABLE form: one row per listing or rule that reaches $entity, in
// date order - from, until, the regulation (id, name, kind), how it reaches the entity
// (listed, parent-listed, country-targeted, restricted, jurisdiction, fdpr, issued-by) and
// its citation.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

UNWIND events AS e
RETURN e.date AS date, e.until AS until, e.regulation.id AS regulation,
  e.regulation.name AS name, e.kind AS kind, e.relations AS relations, e.citation AS citation
