// -- shared: regulation index ------------------------------------------------------------------
// The regulations in force, indexed by the companies they name (with subsidiaries; `direct` when
// named) and by 'country|item' for each country they target and item they restrict, so that each
// link looks up only the few rules that can cut it.
WITH *,
  apoc.map.groupByMulti(apoc.coll.flatten([r IN regs |
    [x IN r.direct | {k: x, r: r, direct: true}] + [x IN r.companies | {k: x, r: r, direct: false}]]),
    'k') AS byco,
  apoc.map.groupByMulti(apoc.coll.flatten([r IN regs |
    apoc.coll.flatten([k IN r.countries | [i IN r.items | {k: k + '|' + i, r: r}]])]), 'k') AS byci
// -- end shared: regulation index --------------------------------------------------------------
