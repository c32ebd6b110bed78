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
    // -- shared: threshold items ---------------------------------------------------------------
    // -- end shared: threshold items -----------------------------------------------------------
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
