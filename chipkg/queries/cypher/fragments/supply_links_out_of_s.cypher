// -- shared: supply links out of s ---------------------------------------------------------
// SUPPLIES claims, and links derived from a company owning/using a product s designs or
// manufactures (one row per claim pair; rows of one customer and product are merged below).
// No link holds before its companies are founded or its item released.
CALL (s) {
  MATCH (s)-[l:SUPPLIES]->(c:Company)
  WHERE c <> s AND coalesce(l.modality, '') <> 'negated'
    AND (l.valid_from IS NULL OR l.valid_from <= $on)
    AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    AND coalesce(c.released, c.release_date, c.founded, '') <= $on
    AND coalesce(s.released, s.release_date, s.founded, '') <= $on
    AND NOT EXISTS {
      MATCH (x:Entity {id: l.item}) WHERE coalesce(x.released, x.release_date, x.founded, '') > $on
    }
  RETURN c, l.item AS item, false AS derived, l.sources AS sources, [l.key] AS claims
  UNION ALL
  MATCH (s)-[m:DESIGNS|MANUFACTURES]->(x)<-[h:OWNS|USES]-(c:Company)
  WHERE c <> s AND coalesce(h.modality, '') <> 'negated'
    AND (h.valid_from IS NULL OR h.valid_from <= $on)
    AND (h.valid_to IS NULL OR h.valid_to >= substring($on, 0, size(h.valid_to)))
    AND coalesce(m.modality, '') <> 'negated'
    AND (m.valid_from IS NULL OR m.valid_from <= $on)
    AND (m.valid_to IS NULL OR m.valid_to >= substring($on, 0, size(m.valid_to)))
    AND coalesce(c.released, c.release_date, c.founded, '') <= $on
    AND coalesce(s.released, s.release_date, s.founded, '') <= $on
    AND coalesce(x.released, x.release_date, x.founded, '') <= $on
  RETURN c, x.id AS item, true AS derived, h.sources + m.sources AS sources,
         [h.key, m.key] AS claims
}
// -- end shared: supply links out of s -----------------------------------------------------
