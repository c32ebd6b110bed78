// -- shared: blocked per item ------------------------------------------------------------------
// Blocked: every cut link the search examined, and every narrower item cut under an uncut link
// (`narrow`), one entry per supplier and item (witness link: nearest tier, then customer id,
// SUPPLIES before derived, then the link's item); `reachable` when the supplier is
// reached anyway (through another item or link). A link some rule denies (presumption of denial)
// is in `blocked` with the denying rules; one whose every rule reviews licences otherwise is in
// `licence_required`.
CALL (st, tree) {
  UNWIND [x IN st.links WHERE size(x.regs) > 0 | x {.*, ei: x.item}] + apoc.coll.flatten(
    [x IN st.links WHERE size(x.regs) = 0 AND size(x.narrow) > 0 |
      [n IN x.narrow | x {.*, ei: n.item, regs: n.regs, reasons: n.reasons, revs: n.revs}]]) AS x
  WITH x.s AS s, x.ei AS item, x.hop AS hop, x.c AS c, x.derived AS derived, x.item AS li,
    collect(x) AS xs
  WITH s, item, hop, c, derived, li, xs ORDER BY hop, c, derived, coalesce(li, '')
  WITH s, item, head(collect({hop: hop, x: xs[0],
    sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | x.sources]))),
    claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN xs | x.claims])))})) AS w
  WITH s, item, w, [i IN range(0, size(w.x.regs) - 1) WHERE w.x.revs[i] = 'presumption_of_denial'] AS den
  WITH s, item, w, CASE WHEN size(den) > 0 THEN den ELSE range(0, size(w.x.regs) - 1) END AS use,
    size(den) > 0 AS denied
  ORDER BY w.hop, s, coalesce(item, '')
  WITH collect({denied: denied, e: {supplier: w.x.sref, hops: w.hop, item: item,
    reachable: st.seen[s] IS NOT NULL,
    link: {supplier: w.x.sref, customer: w.x.cref, item: w.x.item, derived: w.x.derived,
           sources: w.sources, claims: w.claims},
    regulations: [i IN use | w.x.regs[i]],
    reason: apoc.text.join([i IN use | w.x.reasons[i]], ' | ')}}) AS entries
  RETURN [a IN entries WHERE a.denied | a.e] AS blocked,
    [a IN entries WHERE NOT a.denied | a.e] AS licence
}
// -- end shared: blocked per item --------------------------------------------------------------
