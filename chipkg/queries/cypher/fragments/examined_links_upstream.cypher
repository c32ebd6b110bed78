// -- shared: examined links upstream -----------------------------------------------------------
// The hop's links (`found`) whose item feeds the item of one of c's states (no
// item: anything), each with `cis`: those items, its possible witness parents. The test reads the
// closures `ups` of each distinct item, computed once per hop.
[x IN [x IN found | x {.*, cis: [f IN st.fr[x.c] WHERE f.i IS NULL OR x.item IS NULL
  OR f.i IN ups[x.item].g OR any(y IN ups[x.item].u WHERE y IN f.g) | f.i]}] WHERE size(x.cis) > 0]
// -- end shared: examined links upstream -------------------------------------------------------
