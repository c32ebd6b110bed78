// -- shared: supply links into c -----------------------------------------------------------
// SUPPLIES claims, and links derived from c owning/using a product another company designs
// or manufactures (one row per claim pair; rows of one supplier and product are merged
// below, uniting the sources of all their claims). No link holds before its companies are
// founded or its item released (`released`, else the older `release_date`).
CALL (c) {
  MATCH (s:Company)-[l:SUPPLIES]->(c)
  WHERE s <> c AND coalesce(l.modality, '') <> 'negated'
    AND (l.valid_from IS NULL OR l.valid_from <= $on)
    AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    AND coalesce(c.released, c.release_date, c.founded, '') <= $on
    AND coalesce(s.released, s.release_date, s.founded, '') <= $on
    AND NOT EXISTS {
      MATCH (x:Entity {id: l.item}) WHERE coalesce(x.released, x.release_date, x.founded, '') > $on
    }
  RETURN s, l.item AS item, false AS derived, l.sources AS sources, [l.key] AS claims
  UNION ALL
  MATCH (c)-[h:OWNS|USES]->(x)<-[m:DESIGNS|MANUFACTURES]-(s:Company)
  WHERE s <> c AND coalesce(h.modality, '') <> 'negated'
    AND (h.valid_from IS NULL OR h.valid_from <= $on)
    AND (h.valid_to IS NULL OR h.valid_to >= substring($on, 0, size(h.valid_to)))
    AND coalesce(m.modality, '') <> 'negated'
    AND (m.valid_from IS NULL OR m.valid_from <= $on)
    AND (m.valid_to IS NULL OR m.valid_to >= substring($on, 0, size(m.valid_to)))
    AND coalesce(c.released, c.release_date, c.founded, '') <= $on
    AND coalesce(s.released, s.release_date, s.founded, '') <= $on
    AND coalesce(x.released, x.release_date, x.founded, '') <= $on
  RETURN s, x.id AS item, true AS derived, h.sources + m.sources AS sources,
         [h.key, m.key] AS claims
}
// -- end shared: supply links into c -------------------------------------------------------
