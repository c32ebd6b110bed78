// conflicts: claims that contradict each other, each side with its sources - a claim both stated
// and negated, a claim whose sources disagree on a property value (e.g. a GPU count), a
// product that companies of different corporate groups are each said to design, and a chip
// they are each said to manufacture.
// Run in Neo4j Browser after setting the parameter (null for the whole graph):
// :param entity => null
//
// Each relationship keeps its evidence as JSON strings (one per source); APOC Core parses them.

CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE size(r.evidence) > 1 AND ($entity IS NULL OR a.id = $entity OR b.id = $entity)
  WITH a, r, b, [e IN r.evidence | apoc.convert.fromJsonMap(e)] AS evs
  WITH a, r, b, evs, apoc.coll.sort(apoc.coll.toSet([e IN evs | e.modality])) AS modalities
  WHERE 'negated' IN modalities AND size(modalities) > 1
  RETURN {kind: 'asserted-and-negated', predicate: type(r),
    subject: {id: a.id, name: a.name, label: head([x IN labels(a) WHERE x <> 'Entity'])},
    object: {id: b.id, name: b.name, label: head([x IN labels(b) WHERE x <> 'Entity'])},
    property: null,
    sides: [m IN modalities | {value: m,
      sources: apoc.coll.sort(apoc.coll.toSet([e IN evs WHERE e.modality = m | e.source]))}]} AS c
  UNION ALL
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE size(r.evidence) > 1 AND ($entity IS NULL OR a.id = $entity OR b.id = $entity)
  WITH a, r, b, [e IN r.evidence | apoc.convert.fromJsonMap(e)] AS evs
  UNWIND apoc.coll.toSet(apoc.coll.flatten([e IN evs | keys(coalesce(e.properties, {}))])) AS prop
  WITH a, r, b, prop, [e IN evs WHERE e.properties[prop] IS NOT NULL |
    {key: apoc.convert.toJson(e.properties[prop]), value: e.properties[prop], source: e.source}] AS stating
  WITH a, r, b, prop, stating, apoc.coll.sort(apoc.coll.toSet([s IN stating | s.key])) AS keys
  WHERE size(keys) > 1
  RETURN {kind: 'property-disagreement', predicate: type(r),
    subject: {id: a.id, name: a.name, label: head([x IN labels(a) WHERE x <> 'Entity'])},
    object: {id: b.id, name: b.name, label: head([x IN labels(b) WHERE x <> 'Entity'])},
    property: prop,
    sides: [k IN keys | {value: head([s IN stating WHERE s.key = k]).value,
      sources: apoc.coll.sort(apoc.coll.toSet([s IN stating WHERE s.key = k | s.source]))}]} AS c
  UNION ALL
  MATCH (p:Entity)<-[d:DESIGNS]-(m:Entity)
  WHERE coalesce(d.modality, '') <> 'negated'
  WITH p, collect({id: m.id, sources: d.sources}) AS designs
  WHERE any(x IN designs WHERE any(y IN designs WHERE x.id < y.id AND NOT EXISTS {
      MATCH (:Company {id: x.id}) (()-[s:SUBSIDIARY_OF]-() WHERE coalesce(s.modality, '') <> 'negated')+
            (:Company {id: y.id})
    }))
    AND ($entity IS NULL OR p.id = $entity OR any(x IN designs WHERE x.id = $entity))
  RETURN {kind: 'competing-designers', predicate: 'DESIGNS', subject: null,
    object: {id: p.id, name: p.name, label: head([x IN labels(p) WHERE x <> 'Entity'])},
    property: null,
    sides: [x IN apoc.coll.sortMulti(designs, ['^id']) | {value: x.id, sources: x.sources}]} AS c
  UNION ALL
  // Competing makers: the same for MANUFACTURES by companies, for chips only (one die design is
  // made by one foundry; tools, materials and memory have many makers).
  MATCH (p:Product)<-[d:MANUFACTURES]-(m:Company)
  WHERE coalesce(d.modality, '') <> 'negated' AND p.category IN ['gpu', 'ai_accelerator', 'cpu', 'chip']
  WITH p, collect({id: m.id, sources: d.sources}) AS makers
  WHERE any(x IN makers WHERE any(y IN makers WHERE x.id < y.id AND NOT EXISTS {
      MATCH (:Company {id: x.id}) (()-[s:SUBSIDIARY_OF]-() WHERE coalesce(s.modality, '') <> 'negated')+
            (:Company {id: y.id})
    }))
    AND ($entity IS NULL OR p.id = $entity OR any(x IN makers WHERE x.id = $entity))
  RETURN {kind: 'competing-makers', predicate: 'MANUFACTURES', subject: null,
    object: {id: p.id, name: p.name, label: head([x IN labels(p) WHERE x <> 'Entity'])},
    property: null,
    sides: [x IN apoc.coll.sortMulti(makers, ['^id']) | {value: x.id, sources: x.sources}]} AS c
}
WITH c ORDER BY c.kind, c.predicate, c.object.id, coalesce(c.subject.id, ''), coalesce(c.property, '')
WITH collect(c) AS conflicts
OPTIONAL MATCH (e:Entity {id: $entity})
RETURN CASE WHEN e IS NULL THEN null
  ELSE {id: e.id, name: e.name, label: head([x IN labels(e) WHERE x <> 'Entity'])} END AS entity,
  conflicts
