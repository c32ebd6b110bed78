// -- shared: regulation index ------------------------------------------------------------------
// The regulations in force, indexed by the companies they name (with subsidiaries; `direct` when
// named) and by 'country|item' for each country they target and item they restrict, so that each
// link looks up only the few rules that can cut it; and by 'country|item' for the rules that restrict a
// variant or member of the item (they cut that narrower item, not the link).
WITH *,
  apoc.map.groupByMulti(apoc.coll.flatten([r IN regs |
    [x IN r.direct | {k: x, r: r, direct: true}] + [x IN r.companies | {k: x, r: r, direct: false}]]),
    'k') AS byco,
  apoc.map.groupByMulti(apoc.coll.flatten([r IN regs |
    apoc.coll.flatten([k IN r.countries | [i IN r.items | {k: k + '|' + i, r: r}]])]), 'k') AS byci,
  // 'country|item' -> the rules restricting a narrower item (v: a variant or member of the item).
  apoc.map.groupByMulti([x IN COLLECT {
    UNWIND range(0, size(regs) - 1) AS n
    UNWIND regs[n].countries AS k
    UNWIND regs[n].items AS v
    MATCH (:Entity {id: v}) (()-[w:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(w.modality, '') <> 'negated'
        AND (w.valid_from IS NULL OR w.valid_from <= $on)
        AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))+ (g)
    WITH k, n, v, g WHERE g.id <> v
    WITH DISTINCT k + '|' + g.id AS key, n, v
    RETURN {k: key, n: n, v: v}
  } | {k: x.k, r: regs[x.n], v: x.v}], 'k') AS bynar
// -- end shared: regulation index --------------------------------------------------------------
