// -- shared: witness tree ------------------------------------------------------------------------
// Witness tree over states 'company|item' (a company reached, at the links' `{{far}}` end, and the
// item it was reached by): a state's parent is the smallest (company, item) state one tier nearer
// the start (at the links' `{{near}}` end) whose item the state's links feed (`cis`); the step
// merges the uncut links between the two (all carry the state's item). `first`: each company's witness state (its first tier, then its smallest item,
// no item first) and the items of all its states. Built with list functions, never by sorting
// rows: every row here would carry the walk's links, which Neo4j charges once per buffered row
// against the transaction's memory (exposure failed so at 100k links; see bench/RESULTS.md).
CALL (st) {
  WITH st, apoc.map.groupByMulti(apoc.coll.sortMulti(apoc.coll.flatten(
      [x IN st.links WHERE size(x.regs) = 0 | [ci IN x.cis | {k: x.{{far}} + '|' + coalesce(x.item, ''),
        n: x.{{near}}, o: coalesce(ci, ''), ci: ci, x: x}]]), ['^n', '^o']), 'k') AS byk
  WITH apoc.map.fromPairs([k IN keys(byk) |
    head([ls IN [[e IN byk[k] WHERE e.n = byk[k][0].n | e.x]] | [k, {far: ls[0].{{far}},
      item: ls[0].item, hop: ls[0].hop, parent: byk[k][0].n + '|' + coalesce(byk[k][0].ci, ''),
      step: {
        supplier: ls[0].sref, customer: ls[0].cref,
        items: apoc.coll.sort(apoc.coll.toSet([x IN ls WHERE x.item IS NOT NULL | x.item])),
        sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN ls | x.sources]))),
        derived: all(x IN ls WHERE x.derived),
        claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN ls | x.claims])))
      }}]])]) AS tree
  WITH tree, apoc.map.groupByMulti(apoc.coll.sortMulti([k IN keys(tree) |
      {k: k, f: tree[k].far, hop: tree[k].hop, o: coalesce(tree[k].item, ''), item: tree[k].item}],
    ['^hop', '^o']), 'f') AS byf
  RETURN tree, apoc.map.fromPairs([f IN keys(byf) | [f, {k: byf[f][0].k,
    items: apoc.coll.sort(apoc.coll.toSet([e IN byf[f] WHERE e.item IS NOT NULL | e.item]))}]]) AS first
}
// -- end shared: witness tree --------------------------------------------------------------------
