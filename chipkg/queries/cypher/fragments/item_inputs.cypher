// -- shared: item inputs -----------------------------------------------------------------------
// For each item id in `uits`, u = what the item is an input of, through generalisations on the way
// (item -[INPUT_TO|VARIANT_OF|TYPE_OF]->* x -[INPUT_TO]-> y). This set is large for tools and
// materials (everything downstream of them), so it is computed only for the items that need it.
apoc.map.fromPairs(COLLECT {
  UNWIND uits AS it
  RETURN [it, COLLECT {
    MATCH (:Entity {id: it}) (()-[w:INPUT_TO|VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(w.modality, '') <> 'negated'
        AND (w.valid_from IS NULL OR w.valid_from <= $on)
        AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))* ()-[x:INPUT_TO]->(y)
    WHERE coalesce(x.modality, '') <> 'negated'
      AND (x.valid_from IS NULL OR x.valid_from <= $on)
      AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
    RETURN DISTINCT y.id
  }]
})
// -- end shared: item inputs -------------------------------------------------------------------
