// -- shared: examined links downstream ---------------------------------------------------------
// The hop's links (`found`) whose item is fed by the item one of s's states
// received (no item: anything), each with `cis`: those items, its possible witness parents. The
// test reads the generalisations `gs` of each distinct item, computed once per hop.
[x IN [x IN found | x {.*, cis: [f IN st.fr[x.s] WHERE f.i IS NULL OR x.item IS NULL
  OR x.item IN f.g OR any(y IN f.u WHERE y IN gs[x.item]) | f.i]}] WHERE size(x.cis) > 0]
// -- end shared: examined links downstream -----------------------------------------------------
