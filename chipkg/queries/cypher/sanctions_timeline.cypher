// sanctions-timeline: the regulations that list an entity or whose law reaches it, in date order,
// each evaluated on its own effective_from (or on $on when it has none).
// Run in Neo4j Browser after setting the parameters (the date must be YYYY-MM-DD):
// :param entity => 'company/smic'
// :param on => '2024-06-01'
//
// Relations (see chipkg/queries/README.md): listed, parent-listed, country-targeted, restricted,
// restricted-in-part (only some variants or members of it), jurisdiction (located in the issuing
// country) or fdpr (depends on its tools or technology), issued-by. Needs APOC Core.

MATCH (e:Entity {id: $entity})
CALL (e) {
  MATCH (reg:Regulation)
  // An item the government set apart (its RESTRICTS claim has its own effective_from) is dated
  // by that day rather than by the rule's.
  WITH e, reg, coalesce(head(COLLECT {
    MATCH (reg)-[x:RESTRICTS]->(e)
    WHERE x.effective_from IS NOT NULL AND coalesce(x.modality, '') <> 'negated'
    RETURN x.effective_from AS f ORDER BY f
  }), reg.effective_from) AS start
  WITH e, reg, start, coalesce(start, $on) AS raw
  WITH e, reg, start, CASE size(raw) WHEN 4 THEN raw + '-01-01' WHEN 7 THEN raw + '-01' ELSE raw END AS d
  // Every regulation resolved on d (targets, subsidiaries, restricted items, jurisdiction).
  CALL (d) {
    MATCH (r:Regulation)
    WITH r ORDER BY r.id
    RETURN collect({
      inforce: (r.effective_from IS NULL OR r.effective_from <= d)
        AND (r.effective_to IS NULL OR r.effective_to >= substring(d, 0, size(r.effective_to))),
      id: r.id, name: r.name, fdpr: coalesce(r.fdpr, false) = true,
      jur: coalesce(r.jurisdiction, head(COLLECT {
        MATCH (r)-[i:ISSUED_BY]->(x)
        WHERE coalesce(i.modality, '') <> 'negated'
          AND (i.valid_from IS NULL OR i.valid_from <= d)
          AND (i.valid_to IS NULL OR i.valid_to >= substring(d, 0, size(i.valid_to)))
        OPTIONAL MATCH (x)-[l:LOCATED_IN]->(k:Country)
        WHERE coalesce(l.modality, '') <> 'negated'
          AND (l.valid_from IS NULL OR l.valid_from <= d)
          AND (l.valid_to IS NULL OR l.valid_to >= substring(d, 0, size(l.valid_to)))
        WITH CASE WHEN x:Country THEN x.id ELSE k.id END AS country
        WHERE country IS NOT NULL
        RETURN country ORDER BY country LIMIT 1
      })),
      direct: COLLECT {
        MATCH (r)-[t:TARGETS]->(c:Company)
        WHERE coalesce(t.modality, '') <> 'negated'
          AND (t.valid_from IS NULL OR t.valid_from <= d)
          AND (t.valid_to IS NULL OR t.valid_to >= substring(d, 0, size(t.valid_to)))
        RETURN DISTINCT c.id
      },
      companies: COLLECT {
        MATCH (r)-[t:TARGETS]->(p:Company)
        WHERE coalesce(t.modality, '') <> 'negated'
          AND (t.valid_from IS NULL OR t.valid_from <= d)
          AND (t.valid_to IS NULL OR t.valid_to >= substring(d, 0, size(t.valid_to)))
        MATCH (c:Company) (()-[s:SUBSIDIARY_OF]->()
          WHERE coalesce(s.modality, '') <> 'negated'
            AND (s.valid_from IS NULL OR s.valid_from <= d)
            AND (s.valid_to IS NULL OR s.valid_to >= substring(d, 0, size(s.valid_to))))* (p)
        RETURN DISTINCT c.id
      },
      countries: COLLECT {
        MATCH (r)-[t:TARGETS]->(k:Country)
        WHERE coalesce(t.modality, '') <> 'negated'
          AND (t.valid_from IS NULL OR t.valid_from <= d)
          AND (t.valid_to IS NULL OR t.valid_to >= substring(d, 0, size(t.valid_to)))
        RETURN DISTINCT k.id
      },
      items: COLLECT {
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
        CALL (r, d, meeting) {
          MATCH (r)-[x:RESTRICTS]->(p)
          WHERE coalesce(x.modality, '') <> 'negated'
            AND (x.valid_from IS NULL OR x.valid_from <= d)
            AND (x.valid_to IS NULL OR x.valid_to >= substring(d, 0, size(x.valid_to)))
            AND (x.effective_from IS NULL OR x.effective_from <= d)
          RETURN p
          UNION
          UNWIND meeting AS m
          MATCH (p:Entity {id: m}) WHERE p:Product
          RETURN p
        }
        WITH p, failing + COLLECT {
          MATCH (r)-[n:RESTRICTS]->(e)
          WHERE n.modality = 'negated'
            AND (n.valid_from IS NULL OR n.valid_from <= d)
            AND (n.valid_to IS NULL OR n.valid_to >= substring(d, 0, size(n.valid_to)))
          RETURN e.id
        } AS exempt
        MATCH (i) ((a)-[v:VARIANT_OF|TYPE_OF]->()
          WHERE coalesce(v.modality, '') <> 'negated'
            AND (v.valid_from IS NULL OR v.valid_from <= d)
            AND (v.valid_to IS NULL OR v.valid_to >= substring(d, 0, size(v.valid_to)))
            AND NOT a.id IN exempt)* (p)
        RETURN DISTINCT i.id
      }
    }) AS scopes
  }
  WITH e, reg, start, d, [q IN scopes WHERE q.inforce] AS regs, head([q IN scopes WHERE q.id = reg.id]) AS s,
    CASE WHEN e:Country THEN [e.id] ELSE COLLECT {
      MATCH (e)-[l:LOCATED_IN]->(k:Country)
      WHERE coalesce(l.modality, '') <> 'negated'
        AND (l.valid_from IS NULL OR l.valid_from <= d)
        AND (l.valid_to IS NULL OR l.valid_to >= substring(d, 0, size(l.valid_to)))
      WITH DISTINCT k.id AS k RETURN k ORDER BY k
    } END AS eloc
  WITH e, reg, start, s, [x IN [
      CASE WHEN e.id IN s.direct THEN 'listed'
        WHEN e.id IN s.companies THEN 'parent-listed' END,
      CASE WHEN any(k IN eloc WHERE k IN s.countries) THEN 'country-targeted' END,
      CASE WHEN e.id IN s.items THEN 'restricted'
        WHEN EXISTS {
          MATCH (k) (()-[v:VARIANT_OF|TYPE_OF]->()
            WHERE coalesce(v.modality, '') <> 'negated'
              AND (v.valid_from IS NULL OR v.valid_from <= d)
              AND (v.valid_to IS NULL OR v.valid_to >= substring(d, 0, size(v.valid_to))))+ (e)
          WHERE k.id IN s.items
        } THEN 'restricted-in-part' END,
      CASE WHEN s.jur IS NULL THEN null
        WHEN s.jur IN eloc THEN 'jurisdiction'
        WHEN s.fdpr
          AND (EXISTS {
            MATCH (e)<-[l:SUPPLIES]-(t:Company)-[li:LOCATED_IN]->(:Country {id: s.jur})
            WHERE t <> e AND coalesce(l.modality, '') <> 'negated'
              AND (l.valid_from IS NULL OR l.valid_from <= d)
              AND coalesce(li.modality, '') <> 'negated'
              AND (li.valid_from IS NULL OR li.valid_from <= d)
              AND (li.valid_to IS NULL OR li.valid_to >= substring(d, 0, size(li.valid_to)))
          } OR EXISTS {
            MATCH (e)-[h:OWNS|USES]->()<-[m:DESIGNS|MANUFACTURES]-(t:Company)-[li:LOCATED_IN]->(:Country {id: s.jur})
            WHERE t <> e AND coalesce(h.modality, '') <> 'negated'
              AND (h.valid_from IS NULL OR h.valid_from <= d)
              AND coalesce(m.modality, '') <> 'negated'
              AND (m.valid_from IS NULL OR m.valid_from <= d)
              AND coalesce(li.modality, '') <> 'negated'
              AND (li.valid_from IS NULL OR li.valid_from <= d)
              AND (li.valid_to IS NULL OR li.valid_to >= substring(d, 0, size(li.valid_to)))
          }) THEN 'fdpr' END,
      CASE WHEN EXISTS {
        MATCH (reg)-[i:ISSUED_BY]->(e)
        WHERE coalesce(i.modality, '') <> 'negated'
          AND (i.valid_from IS NULL OR i.valid_from <= d)
          AND (i.valid_to IS NULL OR i.valid_to >= substring(d, 0, size(i.valid_to)))
      } THEN 'issued-by' END
    ] WHERE x IS NOT NULL] AS relations
  WHERE size(relations) > 0
  WITH reg, start, relations
  ORDER BY start IS NULL, start, reg.id
  RETURN collect({date: start, until: reg.effective_to,
    regulation: {id: reg.id, name: reg.name, label: 'Regulation'}, kind: reg.kind,
    citation: reg.citation, relations: relations}) AS events
}
RETURN {id: e.id, name: e.name, label: head([x IN labels(e) WHERE x <> 'Entity'])} AS entity, events
