// -- shared: witness states --------------------------------------------------------------------
// Witness tree over states 'supplier|item': a state's parent is the smallest (customer id, item)
// state one tier nearer the buyer whose item the state's links feed; the step merges the uncut
// links between the two (all carry the state's item).
CALL (st) {
  UNWIND [x IN st.links WHERE size(x.regs) = 0] AS x
  UNWIND x.cis AS ci
  WITH x, ci ORDER BY x.c, coalesce(ci, '')
  WITH x.s + '|' + coalesce(x.item, '') AS k, collect({x: x, ci: ci}) AS xs
  WITH k, xs[0].x.c AS pc, xs[0].ci AS pci, xs
  WITH k, pc, pci, [e IN xs WHERE e.x.c = pc | e.x] AS ls
  RETURN apoc.map.fromPairs(collect([k, {s: ls[0].s, item: ls[0].item, hop: ls[0].hop,
    parent: pc + '|' + coalesce(pci, ''), step: {
    supplier: ls[0].sref, customer: ls[0].cref,
    items: apoc.coll.sort(apoc.coll.toSet([x IN ls WHERE x.item IS NOT NULL | x.item])),
    sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN ls | x.sources]))),
    derived: all(x IN ls WHERE x.derived),
    claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN ls | x.claims])))
  }}])) AS tree
}
// Each company's witness state (its first tier, then its smallest item, no item first) and the
// items of all its states.
CALL (tree) {
  UNWIND keys(tree) AS k
  WITH k, tree[k] AS t ORDER BY t.hop, coalesce(t.item, '')
  WITH t.s AS s, collect(k) AS ks, collect(t.item) AS its
  RETURN apoc.map.fromPairs(collect([s, {k: ks[0], items: apoc.coll.sort(apoc.coll.toSet(its))}])) AS first
}
// -- end shared: witness states ----------------------------------------------------------------
