// -- shared: cut rule ------------------------------------------------------------------------
// The regulations in force that cut the link s -> c carrying item: among those that name c or a
// parent (byco) or target a country c is located in (cloc) and restrict the item (byci), the
// ones whose law reaches s - s is located in the rule's jurisdiction, or the rule uses the FDPR
// and s depends on that country: a company located there supplied s at some time up to $on
// (a supply claim that started by then, SUPPLIES or derived; its end and any later listing of s
// do not matter).
WITH c, s, item, derived, sources, claims, cloc, coalesce(byco[c.id], []) AS tc,
  reduce(found = [], k IN cloc | found + coalesce(byci[k + '|' + coalesce(item, '')], [])) AS ti,
  reduce(found = [], k IN cloc | found + coalesce(bynar[k + '|' + coalesce(item, '')], [])) AS tn
WITH c, s, item, derived, sources, claims, cloc, tc, tn,
  CASE WHEN size(tc) + size(ti) + size(tn) = 0 THEN [] ELSE
    head([found IN [apoc.map.fromPairs([x IN tc + ti + tn | [x.r.id, x.r]])] |
      [id IN apoc.coll.sort(keys(found)) | found[id]]]) END AS candidates,
  [x IN tc + ti | x.r.id] AS whole
WITH c, s, item, derived, sources, claims, cloc, tc, tn, candidates, whole,
  CASE WHEN size(candidates) = 0 THEN [] WHEN s:Country THEN [s.id] ELSE COLLECT {
    MATCH (s)-[l:LOCATED_IN]->(k:Country)
    WHERE coalesce(l.modality, '') <> 'negated'
      AND (l.valid_from IS NULL OR l.valid_from <= $on)
      AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    WITH DISTINCT k.id AS k RETURN k ORDER BY k
  } END AS sloc
WITH c, s, item, derived, sources, claims, cloc, tc, tn, whole, sloc, [r IN candidates WHERE
  r.jur IS NOT NULL
  AND (r.jur IN sloc OR (r.fdpr
    AND (EXISTS {
      MATCH (s)<-[l:SUPPLIES]-(t:Company)-[li:LOCATED_IN]->(:Country {id: r.jur})
      WHERE t <> s AND coalesce(l.modality, '') <> 'negated'
        AND (l.valid_from IS NULL OR l.valid_from <= $on)
        AND coalesce(li.modality, '') <> 'negated'
        AND (li.valid_from IS NULL OR li.valid_from <= $on)
        AND (li.valid_to IS NULL OR li.valid_to >= substring($on, 0, size(li.valid_to)))
    } OR EXISTS {
      MATCH (s)-[h:OWNS|USES]->()<-[m:DESIGNS|MANUFACTURES]-(t:Company)-[li:LOCATED_IN]->(:Country {id: r.jur})
      WHERE t <> s AND coalesce(h.modality, '') <> 'negated'
        AND (h.valid_from IS NULL OR h.valid_from <= $on)
        AND coalesce(m.modality, '') <> 'negated'
        AND (m.valid_from IS NULL OR m.valid_from <= $on)
        AND coalesce(li.modality, '') <> 'negated'
        AND (li.valid_from IS NULL OR li.valid_from <= $on)
        AND (li.valid_to IS NULL OR li.valid_to >= substring($on, 0, size(li.valid_to)))
    })))
] AS reaching
WITH c, s, item, derived, sources, claims, cloc, tc, tn, sloc, reaching,
  [r IN reaching WHERE r.id IN whole] AS cutting
WITH c, s, item, derived, sources, claims, cloc, tn, sloc, reaching, cutting, [r IN cutting |
  CASE WHEN r.jur IN sloc
    THEN 'supplier located in ' + r.jur + ' (jurisdiction of ' + r.id + ')'
    ELSE 'supplier depends on tools or technology from ' + r.jur
         + ' (foreign direct product rule of ' + r.id + ')' END + '; ' +
  CASE WHEN any(x IN tc WHERE x.r.id = r.id AND x.direct) THEN 'customer ' + c.id + ' targeted by it'
    WHEN any(x IN tc WHERE x.r.id = r.id) THEN 'parent of customer ' + c.id + ' targeted by it'
    ELSE 'customer located in ' + head([k IN cloc WHERE k IN r.countries])
         + ' targeted by it; item ' + item + ' restricted' END] AS reasons,
  // How each cutting rule reviews licences for this customer, or for its targeted country and
  // the item (the review the rule's RESTRICTS claims state for the item, else the country's).
  [r IN cutting | coalesce(CASE WHEN any(x IN tc WHERE x.r.id = r.id) THEN r.reviews[c.id]
    ELSE coalesce(r.ireviews[item], r.reviews[head([k IN cloc WHERE k IN r.countries])]) END,
    'presumption_of_denial')] AS revs
// A link no rule cuts may still carry, under its item, narrower items that rules reaching s
// restrict for a country of c: each such item is cut on its own (sorted by item, rules by id).
WITH c, s, item, derived, sources, claims, cutting, reasons, revs,
  CASE WHEN size(cutting) > 0 OR size(tn) = 0 THEN [] ELSE
    [v IN apoc.coll.sort(apoc.coll.toSet(
        [x IN tn WHERE any(r IN reaching WHERE r.id = x.r.id) | x.v])) |
      head([rs IN [[r IN reaching WHERE any(x IN tn WHERE x.v = v AND x.r.id = r.id)]] | {
        item: v,
        regs: [r IN rs | {id: r.id, name: r.name, label: 'Regulation'}],
        reasons: [r IN rs | CASE WHEN r.jur IN sloc
          THEN 'supplier located in ' + r.jur + ' (jurisdiction of ' + r.id + ')'
          ELSE 'supplier depends on tools or technology from ' + r.jur
               + ' (foreign direct product rule of ' + r.id + ')' END
          + '; customer located in ' + head([k IN cloc WHERE k IN r.countries])
          + ' targeted by it; item ' + v + ' restricted'],
        revs: [r IN rs | coalesce(r.ireviews[v], r.reviews[head([k IN cloc WHERE k IN r.countries])],
          'presumption_of_denial')]}])] END AS narrow
// -- end shared: cut rule --------------------------------------------------------------------
