// -- shared: threshold items -------------------------------------------------------------------
// Products judged by the rule's performance thresholds (see chipkg/queries/thresholds.py): each
// r.thresholds entry is 'figure>=value[&figure>=value...]'; a product with a tpp figure meets the
// rule when every condition of some entry holds (a missing figure fails), else it meets none.
// Products are read only for a rule with thresholds, once.
CALL (r) {
  WITH CASE WHEN r.thresholds IS NULL THEN [] ELSE COLLECT {
    MATCH (p:Product) WHERE p.tpp IS NOT NULL
    RETURN {id: p.id, meets: coalesce(any(t IN r.thresholds WHERE all(c IN split(t, '&')
      WHERE p[trim(split(c, '>=')[0])] >= toFloat(trim(split(c, '>=')[1])))), false)}
  } END AS judged
  RETURN [x IN judged WHERE x.meets | x.id] AS meeting, [x IN judged WHERE NOT x.meets | x.id] AS failing
}
// -- end shared: threshold items ---------------------------------------------------------------
