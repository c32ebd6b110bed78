// -- shared: witness path text -----------------------------------------------------------------
// Each reached company's witness path as text (`trail`, by id): from it, step by step (the items
// of each step in brackets), to the query's own company. Used by the Browser table forms.
WITH *, apoc.map.fromPairs([r IN reachable | [r.supplier.id,
  apoc.text.join([id IN r.via | steps[id].supplier.name + ' -['
    + apoc.text.join(steps[id].items, ', ') + ']-> '], '')
  + steps[last(r.via)].customer.name]]) AS trail
// -- end shared: witness path text -------------------------------------------------------------
