// alternatives: who else could provide an item (or a substitute) to a buyer on a date, given the
// export controls in force; and which providers are cut off for this buyer, with why.
// Run in Neo4j Browser after setting the parameters (the date must be YYYY-MM-DD):
// :param buyer => 'company/deepseek'
// :param item => 'product/h800'
// :param on => '2024-06-01'
//
// Substitutes: everything under any product the item is a variant/type of (the item included),
// plus products of the same use (its category; gpu and ai_accelerator count as one). Providers
// DESIGN or MANUFACTURE a substitute, or SUPPLY it to anyone. A pair is cut when the link provider -> buyer carrying the substitute is cut by
// the rule in chipkg/queries/README.md. Needs APOC Core.

MATCH (buyer:Company {id: $buyer})
MATCH (wanted:Entity {id: $item})

// -- shared: regulations in force --------------------------------------------------------------
// Each regulation in force on $on, resolved once: its jurisdiction (property, else the
// issuer's country), the companies it names (and their subsidiaries, transitively), the
// countries it targets, and the items it restricts (and their VARIANT_OF variants and TYPE_OF
// members, transitively; the walk skips products the rule exempts by a negated RESTRICTS claim,
// and so whatever is reached only through them), with the licence review their RESTRICTS claims
// state. A regulation without effective_from is never
// in force. Before its own date a rule already counts (`early`) for the items whose RESTRICTS
// claim has an earlier effective_from, and then names no company.
CALL () {
  MATCH (r:Regulation)
  WITH r, r.effective_from IS NOT NULL AND r.effective_from <= $on
    AND (r.effective_to IS NULL OR r.effective_to >= substring($on, 0, size(r.effective_to))) AS full
  WHERE full OR (r.effective_from > $on AND EXISTS {
    MATCH (r)-[x:RESTRICTS]->()
    WHERE x.effective_from <= $on AND coalesce(x.modality, '') <> 'negated'
      AND (x.valid_from IS NULL OR x.valid_from <= $on)
      AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
  })
  WITH r, NOT full AS early
  // The items the rule restricts, each with the licence review its RESTRICTS claim states (null:
  // none). Products whose figures meet the rule's thresholds are restricted too (once it is in
  // force), those whose figures meet none are exempt like a negated RESTRICTS.
  WITH r, early, COLLECT {
    // -- shared: threshold items -------------------------------------------------------------------
    // Products judged by the rule's performance thresholds (see chipkg/queries/thresholds.py): each
    // r.thresholds entry is 'figure>=value[&figure>=value...]'; a product with a tpp figure meets the
    // rule when every condition of some entry holds (a missing figure fails), else it meets none.
    // Products are read only for a rule with thresholds, once.
    CALL (r) {
      WITH CASE WHEN r.thresholds IS NULL THEN [] ELSE COLLECT {
        MATCH (p:Product) WHERE p.tpp IS NOT NULL
        RETURN {id: p.id, meets: coalesce(any(t IN r.thresholds WHERE all(c IN split(t, '&')
          WHERE p[trim(split(c, '>=')[0])] >= toFloat(trim(split(c, '>=')[1])))), false)}
      } END AS judged
      RETURN [x IN judged WHERE x.meets | x.id] AS meeting, [x IN judged WHERE NOT x.meets | x.id] AS failing
    }
    // -- end shared: threshold items ---------------------------------------------------------------
    CALL (r, early, meeting) {
      MATCH (r)-[x:RESTRICTS]->(p)
      WHERE coalesce(x.modality, '') <> 'negated'
        AND (x.valid_from IS NULL OR x.valid_from <= $on)
        AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
        AND CASE WHEN x.effective_from IS NULL THEN NOT early ELSE x.effective_from <= $on END
      RETURN p, x.licence_review AS rv
      UNION
      UNWIND CASE WHEN early THEN [] ELSE meeting END AS m
      MATCH (p:Entity {id: m}) WHERE p:Product
      RETURN p, null AS rv
    }
    WITH p, rv, failing + COLLECT {
      MATCH (r)-[n:RESTRICTS]->(e)
      WHERE n.modality = 'negated'
        AND (n.valid_from IS NULL OR n.valid_from <= $on)
        AND (n.valid_to IS NULL OR n.valid_to >= substring($on, 0, size(n.valid_to)))
      RETURN e.id
    } AS exempt
    MATCH (i) ((a)-[v:VARIANT_OF|TYPE_OF]->()
      WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to)))
        AND NOT a.id IN exempt)* (p)
    RETURN DISTINCT {i: i.id, rv: rv}
  } AS covered
  ORDER BY r.id
  RETURN collect({
    id: r.id, name: r.name, fdpr: coalesce(r.fdpr, false) = true,
    jur: coalesce(r.jurisdiction, head(COLLECT {
      MATCH (r)-[i:ISSUED_BY]->(x)
      WHERE coalesce(i.modality, '') <> 'negated'
        AND (i.valid_from IS NULL OR i.valid_from <= $on)
        AND (i.valid_to IS NULL OR i.valid_to >= substring($on, 0, size(i.valid_to)))
      OPTIONAL MATCH (x)-[l:LOCATED_IN]->(k:Country)
      WHERE coalesce(l.modality, '') <> 'negated'
        AND (l.valid_from IS NULL OR l.valid_from <= $on)
        AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
      WITH CASE WHEN x:Country THEN x.id ELSE k.id END AS country
      WHERE country IS NOT NULL
      RETURN country ORDER BY country LIMIT 1
    })),
    direct: COLLECT {
      MATCH (r)-[t:TARGETS]->(c:Company)
      WHERE NOT early AND coalesce(t.modality, '') <> 'negated'
        AND (t.valid_from IS NULL OR t.valid_from <= $on)
        AND (t.valid_to IS NULL OR t.valid_to >= substring($on, 0, size(t.valid_to)))
      RETURN DISTINCT c.id
    },
    companies: COLLECT {
      MATCH (r)-[t:TARGETS]->(p:Company)
      WHERE NOT early AND coalesce(t.modality, '') <> 'negated'
        AND (t.valid_from IS NULL OR t.valid_from <= $on)
        AND (t.valid_to IS NULL OR t.valid_to >= substring($on, 0, size(t.valid_to)))
      MATCH (c:Company) (()-[s:SUBSIDIARY_OF]->()
        WHERE coalesce(s.modality, '') <> 'negated'
          AND (s.valid_from IS NULL OR s.valid_from <= $on)
          AND (s.valid_to IS NULL OR s.valid_to >= substring($on, 0, size(s.valid_to))))* (p)
      RETURN DISTINCT c.id
    },
    countries: COLLECT {
      MATCH (r)-[t:TARGETS]->(k:Country)
      WHERE coalesce(t.modality, '') <> 'negated'
        AND (t.valid_from IS NULL OR t.valid_from <= $on)
        AND (t.valid_to IS NULL OR t.valid_to >= substring($on, 0, size(t.valid_to)))
      RETURN DISTINCT k.id
    },
    // Licence review per targeted company (with its subsidiaries) or country: the TARGETS
    // claim's licence_review, presumption of denial when absent; the strictest when several.
    reviews: apoc.map.fromPairs(COLLECT {
      CALL (r, early) {
        MATCH (r)-[t:TARGETS]->(p:Company)
        WHERE NOT early AND coalesce(t.modality, '') <> 'negated'
          AND (t.valid_from IS NULL OR t.valid_from <= $on)
          AND (t.valid_to IS NULL OR t.valid_to >= substring($on, 0, size(t.valid_to)))
        MATCH (c:Company) (()-[s:SUBSIDIARY_OF]->()
          WHERE coalesce(s.modality, '') <> 'negated'
            AND (s.valid_from IS NULL OR s.valid_from <= $on)
            AND (s.valid_to IS NULL OR s.valid_to >= substring($on, 0, size(s.valid_to))))* (p)
        RETURN c.id AS k, coalesce(t.licence_review, 'presumption_of_denial') AS v
        UNION ALL
        MATCH (r)-[t:TARGETS]->(k:Country)
        WHERE coalesce(t.modality, '') <> 'negated'
          AND (t.valid_from IS NULL OR t.valid_from <= $on)
          AND (t.valid_to IS NULL OR t.valid_to >= substring($on, 0, size(t.valid_to)))
        RETURN k.id AS k, coalesce(t.licence_review, 'presumption_of_denial') AS v
      }
      // fromPairs keeps the last pair of a key: order so that the strictest comes last.
      WITH k, v, CASE v WHEN 'presumption_of_denial' THEN 0 WHEN 'case_by_case' THEN 1
        WHEN 'license_required' THEN 2 ELSE 3 END AS rank
      ORDER BY k, rank DESC, v DESC
      RETURN [k, v]
    }),
    items: apoc.coll.toSet([x IN covered | x.i]),
    // Licence review per item where a RESTRICTS claim covering it states one (the strictest).
    ireviews: apoc.map.fromPairs(COLLECT {
      UNWIND covered AS x
      WITH x WHERE x.rv IS NOT NULL
      WITH x, CASE x.rv WHEN 'presumption_of_denial' THEN 0 WHEN 'case_by_case' THEN 1
        WHEN 'license_required' THEN 2 ELSE 3 END AS rank
      ORDER BY x.i, rank DESC, x.rv DESC
      RETURN [x.i, x.rv]
    })
  }) AS regs
}
// -- end shared: regulations in force ----------------------------------------------------------

WITH buyer, wanted, regs, apoc.coll.sort(apoc.coll.toSet(COLLECT {
    MATCH (wanted) (()-[v:VARIANT_OF|TYPE_OF]->() WHERE coalesce(v.modality, '') <> 'negated'
        AND (v.valid_from IS NULL OR v.valid_from <= $on)
        AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))* (g)
    MATCH (x) (()-[w:VARIANT_OF|TYPE_OF]->() WHERE coalesce(w.modality, '') <> 'negated'
        AND (w.valid_from IS NULL OR w.valid_from <= $on)
        AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))* (g)
    RETURN x.id
  } + COLLECT {
    // Products of the same use: GPUs and AI accelerators replace one another.
    MATCH (x:Product) WHERE wanted:Product AND x.category IN CASE
      WHEN wanted.category IN ['gpu', 'ai_accelerator'] THEN ['gpu', 'ai_accelerator']
      ELSE [wanted.category] END
    RETURN x.id
  })) AS family
// The offers (provider, substitute, the claims that say so), grouped with list functions: rows
// grouped by an aggregation inside a subquery keep every outer value (the substitutes, the
// regulations) in each group, and the transaction ran out of memory at 1M links (bench/RESULTS.md).
// SUPPLIES links are looked up by item through the supplies_item index.
WITH buyer, wanted, regs, family, apoc.map.groupByMulti(COLLECT {
  UNWIND family AS xid
  // Only substitutes released, and providers founded, by $on.
  WITH * WHERE NOT EXISTS {
    MATCH (x:Entity {id: xid}) WHERE coalesce(x.released, x.release_date, x.founded, '') > $on
  }
  CALL (xid) {
    MATCH (s:Company)-[m:DESIGNS|MANUFACTURES]->(:Entity {id: xid})
    WHERE coalesce(m.modality, '') <> 'negated'
      AND (m.valid_from IS NULL OR m.valid_from <= $on)
      AND (m.valid_to IS NULL OR m.valid_to >= substring($on, 0, size(m.valid_to)))
    RETURN s, m.sources AS src, m.key AS key
    UNION ALL
    MATCH (s:Company)-[l:SUPPLIES]->()
    WHERE l.item = xid AND coalesce(l.modality, '') <> 'negated'
      AND (l.valid_from IS NULL OR l.valid_from <= $on)
      AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
    RETURN s, l.sources AS src, l.key AS key
  }
  WITH s, xid, src, key
  WHERE s <> buyer AND coalesce(s.released, s.release_date, s.founded, '') <= $on
  // Ids hold no whitespace, so 'provider item' names one pair.
  RETURN {pair: s.id + ' ' + xid, s: s, item: xid, src: src, key: key}
}, 'pair') AS pairs
// Sources and claims stay as found: the alternatives below sort and de-duplicate them per
// provider, and blocked pairs do not show them.
WITH buyer, wanted, regs, family, [pair IN keys(pairs) | head([rows IN [pairs[pair]] | {
    s: rows[0].s, item: rows[0].item,
    sources: reduce(found = [], x IN rows | found + x.src), claims: [x IN rows | x.key]}])] AS offered
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
WITH buyer, wanted, family, COLLECT {
  UNWIND offered AS o
  WITH buyer AS c, o.s AS s, o.item AS item, false AS derived, o.sources AS sources,
       o.claims AS claims
    // -- shared: customer locations ----------------------------------------------------------------
    // The countries c is located in on $on, sorted (a country is in itself).
    WITH *, CASE WHEN c:Country THEN [c.id] ELSE COLLECT {
        MATCH (c)-[l:LOCATED_IN]->(k:Country)
        WHERE coalesce(l.modality, '') <> 'negated'
          AND (l.valid_from IS NULL OR l.valid_from <= $on)
          AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
        WITH DISTINCT k.id AS k RETURN k ORDER BY k
      } END AS cloc
    // -- end shared: customer locations ------------------------------------------------------------
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
  RETURN {provider: {id: s.id, name: s.name, label: 'Company'}, item: item, sources: sources,
          claims: claims, regulations: [r IN cutting | {id: r.id, name: r.name, label: 'Regulation'}],
          reason: apoc.text.join(reasons, ' | ')}
} AS unsorted
// Sorted only on fresh rows (an aggregation starts new rows; a plain WITH does not): a sort
// inside the COLLECT above would charge every buffered row for the regulation index, and the
// transaction ran out of memory at 1M links (see bench/RESULTS.md).
WITH buyer, wanted, family, head(collect(unsorted)) AS unsorted
CALL (unsorted) {
  UNWIND unsorted AS o
  WITH o ORDER BY o.provider.id, o.item
  RETURN collect(o) AS offers
}
CALL (offers) {
  UNWIND [o IN offers WHERE size(o.regulations) = 0] AS o
  WITH o.provider AS p, collect(o) AS os
  ORDER BY p.id
  RETURN collect({provider: p, items: [o IN os | o.item],
    relations: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten(
      [o IN os | [k IN o.claims | split(k, '|')[0]]]))),
    sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([o IN os | o.sources])))}) AS alternatives
}
RETURN {id: buyer.id, name: buyer.name, label: 'Company'} AS buyer,
  {id: wanted.id, name: wanted.name, label: head([x IN labels(wanted) WHERE x <> 'Entity'])} AS item,
  family AS substitutes, alternatives,
  [o IN offers WHERE size(o.regulations) > 0 | o {.provider, .item, .regulations, .reason}] AS blocked
