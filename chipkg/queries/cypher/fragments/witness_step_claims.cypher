// -- shared: witness step claims ---------------------------------------------------------------
// The claims each witness step rests on (`steps`, by id), matched by their keys, as paths: a
// SUPPLIES claim, or the OWNS/USES and DESIGNS/MANUFACTURES pair of a derived link.
CALL (steps) {
  UNWIND keys(steps) AS id
  WITH steps[id] AS st
  MATCH (s:Entity {id: st.supplier.id}), (c:Entity {id: st.customer.id})
  CALL (s, c, st) {
    MATCH path = (s)-[l:SUPPLIES]->(c) WHERE l.key IN st.claims
    RETURN path
    UNION
    MATCH path = (s)-[m:DESIGNS|MANUFACTURES]->()<-[h:OWNS|USES]-(c)
    WHERE m.key IN st.claims AND h.key IN st.claims
    RETURN path
  }
  RETURN collect(path) AS held
}
// -- end shared: witness step claims -----------------------------------------------------------
