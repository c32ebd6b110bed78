// reachable-suppliers: the upstream suppliers a buyer can still reach on a date, tier by tier,
// each with one witness path; and the suppliers that export controls cut off, with why.
// Run in Neo4j Browser after setting the parameters (the date must be YYYY-MM-DD):
// :param buyer => 'company/deepseek'
// :param on => '2024-06-01'
// :param item => null
// :param max_hops => 4
// :param entity_only => false
//
// The cut rule is documented in chipkg/queries/README.md. A claim (relationship) counts only
// when it is not negated and $on lies inside [valid_from, valid_to]; partial dates cover their
// whole period, hence the substring() on end dates. Needs APOC Core (apoc.map / apoc.coll).

MATCH (buyer:Company {id: $buyer})
// The buyer's corporate group: its subsidiaries (SUBSIDIARY_OF, transitively, valid on $on) join
// it at tier 0, unless $entity_only.
WITH buyer, CASE WHEN $entity_only THEN [] ELSE COLLECT {
  MATCH (m:Company) (()-[g:SUBSIDIARY_OF]->()
    WHERE coalesce(g.modality, '') <> 'negated'
      AND (g.valid_from IS NULL OR g.valid_from <= $on)
      AND (g.valid_to IS NULL OR g.valid_to >= substring($on, 0, size(g.valid_to))))+ (buyer)
  WITH DISTINCT m.id AS m WHERE m <> buyer.id RETURN m ORDER BY m
} END AS grp

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

// The item filter of the first tier: $item and everything that is a variant or type of it.
WITH buyer, grp, regs, CASE WHEN $item IS NULL THEN null ELSE [$item] + COLLECT {
  MATCH (i) (()-[v:VARIANT_OF|TYPE_OF]->()
    WHERE coalesce(v.modality, '') <> 'negated'
      AND (v.valid_from IS NULL OR v.valid_from <= $on)
      AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))+ (:Entity {id: $item})
  RETURN DISTINCT i.id
} END AS kinds

// Breadth-first, one tier per step: st.seen maps company id -> tier; st.links keeps every link
// examined (uncut or cut) from a not-yet-seen supplier into the previous tier.
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
WITH buyer, grp, regs, reduce(st = {seen: apoc.map.fromPairs([m IN [buyer.id] + grp | [m, 0]]),
    sseen: apoc.map.fromPairs([m IN [buyer.id] + grp | [m + '|', 0]]),
    fr: apoc.map.fromPairs([m IN [buyer.id] + grp | [m, [{i: null, g: null, u: null}]]]), links: []},
  hop IN range(1, $max_hops) |
  CASE WHEN size(keys(st.fr)) = 0 THEN st ELSE head([cand IN [COLLECT {
    UNWIND keys(st.fr) AS cid
    MATCH (c:Company {id: cid})
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
    // -- shared: supply links into c -----------------------------------------------------------
    // SUPPLIES claims, and links derived from c owning/using a product another company designs
    // or manufactures (one row per claim pair; rows of one supplier and product are merged
    // below, uniting the sources of all their claims). No link holds before its companies are
    // founded or its item released (`released`, else the older `release_date`).
    CALL (c) {
      MATCH (s:Company)-[l:SUPPLIES]->(c)
      WHERE s <> c AND coalesce(l.modality, '') <> 'negated'
        AND (l.valid_from IS NULL OR l.valid_from <= $on)
        AND (l.valid_to IS NULL OR l.valid_to >= substring($on, 0, size(l.valid_to)))
        AND coalesce(c.released, c.release_date, c.founded, '') <= $on
        AND coalesce(s.released, s.release_date, s.founded, '') <= $on
        AND NOT EXISTS {
          MATCH (x:Entity {id: l.item}) WHERE coalesce(x.released, x.release_date, x.founded, '') > $on
        }
      RETURN s, l.item AS item, false AS derived, l.sources AS sources, [l.key] AS claims
      UNION ALL
      MATCH (c)-[h:OWNS|USES]->(x)<-[m:DESIGNS|MANUFACTURES]-(s:Company)
      WHERE s <> c AND coalesce(h.modality, '') <> 'negated'
        AND (h.valid_from IS NULL OR h.valid_from <= $on)
        AND (h.valid_to IS NULL OR h.valid_to >= substring($on, 0, size(h.valid_to)))
        AND coalesce(m.modality, '') <> 'negated'
        AND (m.valid_from IS NULL OR m.valid_from <= $on)
        AND (m.valid_to IS NULL OR m.valid_to >= substring($on, 0, size(m.valid_to)))
        AND coalesce(c.released, c.release_date, c.founded, '') <= $on
        AND coalesce(s.released, s.release_date, s.founded, '') <= $on
        AND coalesce(x.released, x.release_date, x.founded, '') <= $on
      RETURN s, x.id AS item, true AS derived, h.sources + m.sources AS sources,
             [h.key, m.key] AS claims
    }
    // -- end shared: supply links into c -------------------------------------------------------
    // The link must lead to a state (supplier, item) not reached before, outside the buyer's group;
    // below, its item must feed the item of one of c's states (no item: anything), and only the
    // links that pass go through the cut rule.
    WITH c, cloc, s, item, derived, sources, claims
    WHERE coalesce(st.seen[s.id], 1) <> 0 AND st.sseen[s.id + '|' + coalesce(item, '')] IS NULL
      AND (hop > 1 OR kinds IS NULL OR item IN kinds)
    RETURN {s: s.id, c: c.id, item: item, derived: derived, sources: sources,
      claims: claims, cloc: cloc}
  }] | head([its IN [apoc.coll.toSet([x IN cand WHERE x.item IS NOT NULL | x.item])] | head([gs IN [
    // -- shared: item generalisations --------------------------------------------------------------
    // The bill-of-materials rule is tested by upward walks only, never by downward sets: for each item
    // id in `its`, g = the item and its generalisations (item -[VARIANT_OF|TYPE_OF]->* y). With u (the
    // "item inputs" block), J feeds I exactly when I is in g(J) or some y of u(J) is in g(I) (see
    // "Item flow" in chipkg/queries/README.md).
    apoc.map.fromPairs(COLLECT {
      UNWIND its AS it
      RETURN [it, [it] + COLLECT {
        MATCH (:Entity {id: it}) (()-[v:VARIANT_OF|TYPE_OF]->()
          WHERE coalesce(v.modality, '') <> 'negated'
            AND (v.valid_from IS NULL OR v.valid_from <= $on)
            AND (v.valid_to IS NULL OR v.valid_to >= substring($on, 0, size(v.valid_to))))+ (y)
        RETURN DISTINCT y.id
      }]
    })
    // -- end shared: item generalisations ----------------------------------------------------------
  ] | head([uits IN [its] | head([us IN [
    // -- shared: item inputs -----------------------------------------------------------------------
    // For each item id in `uits`, u = what the item is an input of, through generalisations on the way
    // (item -[INPUT_TO|VARIANT_OF|TYPE_OF]->* x -[INPUT_TO]-> y). This set is large for tools and
    // materials (everything downstream of them), so it is computed only for the items that need it.
    apoc.map.fromPairs(COLLECT {
      UNWIND uits AS it
      RETURN [it, COLLECT {
        MATCH (:Entity {id: it}) (()-[w:INPUT_TO|VARIANT_OF|TYPE_OF]->()
          WHERE coalesce(w.modality, '') <> 'negated'
            AND (w.valid_from IS NULL OR w.valid_from <= $on)
            AND (w.valid_to IS NULL OR w.valid_to >= substring($on, 0, size(w.valid_to))))* ()-[x:INPUT_TO]->(y)
        WHERE coalesce(x.modality, '') <> 'negated'
          AND (x.valid_from IS NULL OR x.valid_from <= $on)
          AND (x.valid_to IS NULL OR x.valid_to >= substring($on, 0, size(x.valid_to)))
        RETURN DISTINCT y.id
      }]
    })
    // -- end shared: item inputs -------------------------------------------------------------------
  ] | head([found IN [COLLECT {
    UNWIND head([found IN [cand] |
      // -- shared: examined links upstream -----------------------------------------------------------
      // The hop's links (`found`) whose item feeds the item of one of c's states (no
      // item: anything), each with `cis`: those items, its possible witness parents. The test reads the
      // generalisations `gs` and inputs `us` of each distinct item, computed once per hop.
      [x IN [x IN found | x {.*, cis: [f IN st.fr[x.c] WHERE f.i IS NULL OR x.item IS NULL
        OR f.i IN gs[x.item] OR any(y IN us[x.item] WHERE y IN f.g) | f.i]}] WHERE size(x.cis) > 0]
      // -- end shared: examined links upstream -------------------------------------------------------
      ]) AS x
    MATCH (s:Company {id: x.s})
    MATCH (c:Company {id: x.c})
    WITH s, c, x.item AS item, x.derived AS derived, x.sources AS sources,
      x.claims AS claims, x.cloc AS cloc
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
    RETURN {hop: hop, s: s.id, c: c.id, item: item, derived: derived, sources: sources,
      claims: claims,
      sref: {id: s.id, name: s.name, label: head([x IN labels(s) WHERE x <> 'Entity'])},
      cref: {id: c.id, name: c.name, label: head([x IN labels(c) WHERE x <> 'Entity'])},
      regs: [r IN cutting | {id: r.id, name: r.name, label: 'Regulation'}],
      reasons: reasons, revs: revs, narrow: narrow}
  }] | head([rows IN [
    // -- shared: examined links upstream -----------------------------------------------------------
    // The hop's links (`found`) whose item feeds the item of one of c's states (no
    // item: anything), each with `cis`: those items, its possible witness parents. The test reads the
    // generalisations `gs` and inputs `us` of each distinct item, computed once per hop.
    [x IN [x IN found | x {.*, cis: [f IN st.fr[x.c] WHERE f.i IS NULL OR x.item IS NULL
      OR f.i IN gs[x.item] OR any(y IN us[x.item] WHERE y IN f.g) | f.i]}] WHERE size(x.cis) > 0]
    // -- end shared: examined links upstream -------------------------------------------------------
  ] | {
    seen: apoc.map.merge(st.seen, apoc.map.fromPairs(
      [x IN rows WHERE size(x.regs) = 0 AND st.seen[x.s] IS NULL | [x.s, hop]])),
    sseen: apoc.map.merge(st.sseen, apoc.map.fromPairs(
      [x IN rows WHERE size(x.regs) = 0 | [x.s + '|' + coalesce(x.item, ''), hop]])),
    fr: apoc.map.groupByMulti(apoc.coll.toSet([x IN rows WHERE size(x.regs) = 0 |
      {c: x.s, i: x.item, g: gs[x.item], u: us[x.item]}]), 'c'),
    links: st.links + rows
  }])])])])])])]) END
) AS st
// Fresh rows holding only what follows needs (an aggregation starts new rows; a plain WITH does
// not): otherwise every row sorted or collected below still carries the regulation index,
// which Neo4j counts against the transaction's memory once per row (exposure failed at 1M links
// without this line); what follows builds its answer with list functions, not row sorts.
WITH buyer, grp, head(collect(st)) AS st

// -- shared: witness tree (far: s, near: c) ---
// Witness tree over states 'company|item' (a company reached, at the links' `s` end, and the
// item it was reached by): a state's parent is the smallest (company, item) state one tier nearer
// the start (at the links' `c` end) whose item the state's links feed (`cis`); the step
// merges the uncut links between the two (all carry the state's item). `first`: each company's witness state (its first tier, then its smallest item,
// no item first) and the items of all its states. Built with list functions, never by sorting
// rows: every row here would carry the walk's links, which Neo4j charges once per buffered row
// against the transaction's memory (exposure failed so at 100k links; see bench/RESULTS.md).
CALL (st) {
  WITH st, apoc.map.groupByMulti(apoc.coll.sortMulti(apoc.coll.flatten(
      [x IN st.links WHERE size(x.regs) = 0 | [ci IN x.cis | {k: x.s + '|' + coalesce(x.item, ''),
        n: x.c, o: coalesce(ci, ''), ci: ci, x: x}]]), ['^n', '^o']), 'k') AS byk
  WITH apoc.map.fromPairs([k IN keys(byk) |
    head([ls IN [[e IN byk[k] WHERE e.n = byk[k][0].n | e.x]] | [k, {far: ls[0].s,
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
// -- end shared: witness tree (far: s, near: c) ---
// -- shared: witness paths (role: supplier, path: , name: reachable) ---
// Each company reached, nearest tier first, then by id, with its witness path as `via`: the states
// from it to the start, or reversed, by `path`; each state's step is given once in `steps`.
CALL (tree, first) {
  RETURN [d IN apoc.coll.sortMulti([f IN keys(first) | {f: f, hop: tree[first[f].k].hop}],
      ['^hop', '^f']) |
    head([t IN [tree[first[d.f].k]] | { supplier: t.step.supplier, hops: t.hop,
      items: first[d.f].items,
      via: (reduce(ch = [first[d.f].k], i IN range(2, t.hop) | ch + [tree[last(ch)].parent]))
    }])] AS reachable
}
// -- end shared: witness paths (role: supplier, path: , name: reachable) ---
// -- shared: cut links per item (far: s, near: c, ref: sref, role: supplier, denied: blocked, licensed: licence) ---
// Cut: every cut link the search examined, and every narrower item cut under an uncut link
// (`narrow`), one entry per supplier and item (witness link: nearest tier, then the id at its `c` end,
// SUPPLIES before derived, then the link's item); `reachable` when the supplier is reached anyway
// (through another item or link). A link some rule denies (presumption of denial) is in
// `blocked` with the denying rules; one whose every rule reviews licences otherwise is in
// `licence`. Built with list functions, not by sorting rows (see the witness tree).
CALL (st) {
  WITH st, [x IN st.links WHERE size(x.regs) > 0 | x {.*, ei: x.item}] + apoc.coll.flatten(
    [x IN st.links WHERE size(x.regs) = 0 AND size(x.narrow) > 0 |
      [n IN x.narrow | x {.*, ei: n.item, regs: n.regs, reasons: n.reasons, revs: n.revs}]]) AS cut
  WITH st, apoc.map.groupByMulti(apoc.coll.sortMulti([x IN cut |
      {g: x.s + '|' + coalesce(x.ei, ''), hop: x.hop, n: x.c,
       d: CASE WHEN x.derived THEN 1 ELSE 0 END, o: coalesce(x.item, ''), x: x}],
    ['^hop', '^n', '^d', '^o']), 'g') AS byg
  WITH st, [g IN keys(byg) | head([w IN [byg[g][0]] | {hop: w.hop, x: w.x, f: w.x.s,
    item: w.x.ei, o: coalesce(w.x.ei, ''),
    xs: [e IN byg[g] WHERE e.hop = w.hop AND e.n = w.n AND e.d = w.d AND e.o = w.o | e.x],
    den: [i IN range(0, size(w.x.regs) - 1) WHERE w.x.revs[i] = 'presumption_of_denial']}])] AS ws
  WITH [w IN apoc.coll.sortMulti(ws, ['^hop', '^f', '^o']) |
    head([use IN [CASE WHEN size(w.den) > 0 THEN w.den ELSE range(0, size(w.x.regs) - 1) END] |
      {denied: size(w.den) > 0, e: { supplier: w.x.sref, hops: w.hop, item: w.item,
        reachable: st.seen[w.f] IS NOT NULL,
        link: {supplier: w.x.sref, customer: w.x.cref, item: w.x.item, derived: w.x.derived,
               sources: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN w.xs | x.sources]))),
               claims: apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten([x IN w.xs | x.claims])))},
        regulations: [i IN use | w.x.regs[i]],
        reason: apoc.text.join([i IN use | w.x.reasons[i]], ' | ')}}])] AS entries
  RETURN [a IN entries WHERE a.denied | a.e] AS blocked,
    [a IN entries WHERE NOT a.denied | a.e] AS licence
}
// -- end shared: cut links per item (far: s, near: c, ref: sref, role: supplier, denied: blocked, licensed: licence) ---
// -- shared: not assessed ----------------------------------------------------------------------
// Regulations with no known effective date: never in force, listed apart.
CALL () {
  MATCH (r:Regulation) WHERE r.effective_from IS NULL
  WITH r ORDER BY r.id
  RETURN collect({id: r.id, name: r.name, label: 'Regulation'}) AS not_assessed
}
// -- end shared: not assessed ------------------------------------------------------------------
RETURN {id: buyer.id, name: buyer.name, label: 'Company'} AS buyer,
  COLLECT { UNWIND grp AS m MATCH (x:Company {id: m})
    RETURN {id: x.id, name: x.name, label: 'Company'} ORDER BY x.id } AS `group`,
  reachable, blocked, licence AS licence_required, not_assessed,
  apoc.map.fromPairs([k IN keys(tree) | [k, tree[k].step]]) AS steps
