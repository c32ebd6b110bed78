// -- shared: item generalisations --------------------------------------------------------------
// The bill-of-materials rule is tested by upward walks only, never by downward sets: for each item
// id in `its`, g = the item and its generalisations (item -[VARIANT_OF|TYPE_OF]->* y). With u (the
// "item inputs" block), J feeds I exactly when I is in g(J) or some y of u(J) is in g(I) (see
// "Item flow" in chipkg/queries/README.md).
apoc.map.fromPairs(COLLECT {
  UNWIND its AS it
  RETURN [it, [it] + COLLECT {
    MATCH (:Entity {id: it}) (()-[v:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))+ (y)
    RETURN DISTINCT y.id
  }]
})
// -- end shared: item generalisations ----------------------------------------------------------
