// -- shared: threshold items -------------------------------------------------------------------
// Products judged by the rule's performance thresholds (see chipkg/queries/thresholds.py): each
// r.thresholds entry is 'figure>=value[&figure>=value...]'; a product with a tpp figure meets the
// rule when every condition of some entry holds (a missing figure fails), else it meets none.
CALL (r) {
  WITH COLLECT {
    MATCH (p:Product) WHERE r.thresholds IS NOT NULL AND p.tpp IS NOT NULL
      AND any(t IN r.thresholds WHERE all(c IN split(t, '&')
        WHERE p[trim(split(c, '>=')[0])] >= toFloat(trim(split(c, '>=')[1]))))
    RETURN p.id
  } AS meeting
  RETURN meeting, COLLECT {
    MATCH (p:Product) WHERE r.thresholds IS NOT NULL AND p.tpp IS NOT NULL AND NOT p.id IN meeting
    RETURN p.id
  } AS failing
}
// -- end shared: threshold items ---------------------------------------------------------------
