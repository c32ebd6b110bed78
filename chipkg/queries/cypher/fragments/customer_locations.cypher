// -- shared: customer locations ----------------------------------------------------------------
// The countries c is located in on $on, sorted (a country is in itself).
WITH *, CASE WHEN c:Country THEN [c.id] ELSE COLLECT {
    MATCH (c)-[l:LOCATED_IN]->(k:Country)
    WHERE coalesce(l.modality, '') <> 'negated'
      AND (l.valid_from IS NULL OR l.valid_from <= $on)
      AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    WITH DISTINCT k.id AS k RETURN k ORDER BY k
  } END AS cloc
// -- end shared: customer locations ------------------------------------------------------------
