// -- shared: witness paths -----------------------------------------------------------------------
// Each company reached, nearest tier first, then by id, with its witness path as `via`: the states
// from it to the start, or reversed, by `path`; each state's step is given once in `steps`.
CALL (tree, first) {
  RETURN [d IN apoc.coll.sortMulti([f IN keys(first) | {f: f, hop: tree[first[f].k].hop}],
      ['^hop', '^f']) |
    head([t IN [tree[first[d.f].k]] | { {{role}}: t.step.{{role}}, hops: t.hop,
      items: first[d.f].items,
      via: {{path}}(reduce(ch = [first[d.f].k], i IN range(2, t.hop) | ch + [tree[last(ch)].parent]))
    }])] AS {{name}}
}
// -- end shared: witness paths -------------------------------------------------------------------
