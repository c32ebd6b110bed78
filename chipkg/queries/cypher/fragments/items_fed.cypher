// -- shared: items fed -------------------------------------------------------------------------
// The items `item` feeds (the bill-of-materials rule, for the next tier downstream; the mirror of
// "item feeders"): the item and its generalisations (item -[VARIANT_OF|TYPE_OF]->* j), and whatever
// the item is an input of, through generalisations, with that thing's kinds (item
// -[INPUT_TO|VARIANT_OF|TYPE_OF]->* x -[INPUT_TO]-> y, j -[VARIANT_OF|TYPE_OF]->* y). Null (anything)
// for a link with no item; not needed for a cut link.
CASE WHEN item IS NULL OR size(cutting) > 0 THEN null ELSE [item] + COLLECT {
  MATCH (t:Entity {id: item})
  CALL (t) {
    MATCH (t) (()-[v:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))+ (j)
    RETURN j
    UNION
    MATCH (t) (()-[w:INPUT_TO|VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(w.modality, '') <> 'negated'
        AND (w.valid_from IS NULL OR w.valid_from <= $on)
        AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))* ()-[x:INPUT_TO]->(y)
    WHERE coalesce(x.modality, '') <> 'negated'
      AND (x.valid_from IS NULL OR x.valid_from <= $on)
      AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
    MATCH (j) (()-[v:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))* (y)
    RETURN j
  }
  RETURN DISTINCT j.id
} END
// -- end shared: items fed ---------------------------------------------------------------------
