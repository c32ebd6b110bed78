// -- shared: cut links per item ------------------------------------------------------------------
// Cut: every cut link the search examined, and every narrower item cut under an uncut link
// (`narrow`), one entry per {{role}} and item (witness link: nearest tier, then the id at its `{{near}}` end,
// SUPPLIES before derived, then the link's item); `reachable` when the {{role}} is reached anyway
// (through another item or link). A link some rule denies (presumption of denial) is in
// `{{denied}}` with the denying rules; one whose every rule reviews licences otherwise is in
// `{{licensed}}`. Built with list functions, not by sorting rows (see the witness tree).
CALL (st) {
  WITH st, [x IN st.links WHERE size(x.regs) > 0 | x {.*, ei: x.item}] + apoc.coll.flatten(
    [x IN st.links WHERE size(x.regs) = 0 AND size(x.narrow) > 0 |
      [n IN x.narrow | x {.*, ei: n.item, regs: n.regs, reasons: n.reasons, revs: n.revs}]]) AS cut
  WITH st, apoc.map.groupByMulti(apoc.coll.sortMulti([x IN cut |
      {g: x.{{far}} + '|' + coalesce(x.ei, ''), hop: x.hop, n: x.{{near}},
       d: CASE WHEN x.derived THEN 1 ELSE 0 END, o: coalesce(x.item, ''), x: x}],
    ['^hop', '^n', '^d', '^o']), 'g') AS byg
  WITH st, [g IN keys(byg) | head([w IN [byg[g][0]] | {hop: w.hop, x: w.x, f: w.x.{{far}},
    item: w.x.ei, o: coalesce(w.x.ei, ''),
    xs: [e IN byg[g] WHERE e.hop = w.hop AND e.n = w.n AND e.d = w.d AND e.o = w.o | e.x],
    den: [i IN range(0, size(w.x.regs) - 1) WHERE w.x.revs[i] = 'presumption_of_denial']}])] AS ws
  WITH [w IN apoc.coll.sortMulti(ws, ['^hop', '^f', '^o']) |
    head([use IN [CASE WHEN size(w.den) > 0 THEN w.den ELSE range(0, size(w.x.regs) - 1) END] |
      {denied: size(w.den) > 0, e: { {{role}}: w.x.{{ref}}, hops: w.hop, item: w.item,
        reachable: st.seen[w.f] IS NOT NULL,
        link: {supplier: w.x.sref, customer: w.x.cref, item: w.x.item, derived: w.x.derived,
               sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN w.xs | x.sources]))),
               claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN w.xs | x.claims])))},
        regulations: [i IN use | w.x.regs[i]],
        reason: apoc.text.join([i IN use | w.x.reasons[i]], ' | ')}}])] AS entries
  RETURN [a IN entries WHERE a.denied | a.e] AS {{denied}},
    [a IN entries WHERE NOT a.denied | a.e] AS {{licensed}}
}
// -- end shared: cut links per item --------------------------------------------------------------
