// -- shared: item closures ---------------------------------------------------------------------
// The bill-of-materials rule tested by two small upward walks per distinct item of the hop's links
// (`found`), never by materialising downward sets: g = the item and its generalisations (item
// -[VARIANT_OF|TYPE_OF]->* y), u = what it is an input of, through generalisations on the way
// (item -[INPUT_TO|VARIANT_OF|TYPE_OF]->* x -[INPUT_TO]-> y). J feeds I exactly when I is in g(J)
// or some y of u(J) is in g(I) (see "Item flow" in chipkg/queries/README.md).
apoc.map.fromPairs(COLLECT {
  UNWIND apoc.coll.toSet([x IN cand WHERE x.item IS NOT NULL | x.item]) AS it
  RETURN [it, {g: [it] + COLLECT {
    MATCH (:Entity {id: it}) (()-[v:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))+ (y)
    RETURN DISTINCT y.id
  }, u: COLLECT {
    MATCH (:Entity {id: it}) (()-[w:INPUT_TO|VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(w.modality, '') <> 'negated'
        AND (w.valid_from IS NULL OR w.valid_from <= $on)
        AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))* ()-[x:INPUT_TO]->(y)
    WHERE coalesce(x.modality, '') <> 'negated'
      AND (x.valid_from IS NULL OR x.valid_from <= $on)
      AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
    RETURN DISTINCT y.id
  }}]
})
// -- end shared: item closures -----------------------------------------------------------------
