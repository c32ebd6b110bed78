// chokepoints, Browser TABLE form: one row per input in $product's input tree - its id, name,
// status (`chokepoint` when one provider dominates or, for buyers in $for_country, every
// provider is cut off; else `supplied`), why (dominant / all-cut), the dominant provider, each
// provider with its market share and the regulations that cut it, and those regulations.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

WITH inputs, apoc.map.fromPairs([c IN chokepoints | [c.input.id, c]]) AS found
UNWIND inputs AS input
WITH input, found[input.id] AS c
RETURN input.id AS id, input.name AS name,
  CASE WHEN c IS NULL THEN 'supplied' ELSE 'chokepoint' END AS status,
  coalesce(c.reasons, []) AS reasons, c.dominant.name AS dominant,
  [p IN coalesce(c.providers, []) | p.provider.name
    + CASE WHEN p.market_share IS NULL THEN ' (share unknown)'
      ELSE ' (' + toString(p.market_share) + ')' END
    + CASE WHEN size(p.cut_by) > 0 THEN ' cut by ' + apoc.text.join([r IN p.cut_by | r.id], ', ')
      ELSE '' END] AS providers,
  apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten(
    [p IN coalesce(c.providers, []) | [r IN p.cut_by | r.id]]))) AS regulations
ORDER BY status, id
