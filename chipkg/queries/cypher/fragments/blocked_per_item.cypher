// -- shared: blocked per item ------------------------------------------------------------------
// Blocked: every cut link the search examined, one entry per supplier and item (witness link:
// nearest tier, then customer id, SUPPLIES before derived); `reachable` when the supplier is
// reached anyway (through another item or link).
CALL (st, tree) {
  UNWIND [x IN st.links WHERE size(x.regs) > 0] AS x
  WITH x.s AS s, x.item AS item, x.hop AS hop, x.c AS c, x.derived AS derived, collect(x) AS xs
  WITH s, item, hop, c, derived, xs ORDER BY hop, c, derived
  WITH s, item, head(collect({hop: hop, x: xs[0],
    sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | x.sources]))),
    claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | x.claims])))})) AS w
  ORDER BY w.hop, s, coalesce(item, '')
  RETURN collect({supplier: w.x.sref, hops: w.hop, item: item, reachable: tree[s] IS NOT NULL,
    link: {supplier: w.x.sref, customer: w.x.cref, item: w.x.item, derived: w.x.derived,
           sources: w.sources, claims: w.claims},
    regulations: w.x.regs, reason: w.x.reason}) AS blocked
}
// -- end shared: blocked per item --------------------------------------------------------------
