"""``conflicts``: claims in the graph that contradict each other, with both sources.

Three kinds, each side with its sources:

* ``asserted-and-negated`` - one claim whose evidence both states and negates it
  (sides: the modalities);
* ``property-disagreement`` - one claim whose evidence gives different values for
  the same property, e.g. two GPU counts (sides: the values, compared as JSON);
* ``competing-designers`` - a product that companies of different corporate
  groups (not linked by SUBSIDIARY_OF, either way) are each said to DESIGN;
* ``competing-makers`` - the same for MANUFACTURES, for chips only (``SINGLE_SOURCE``
  categories): one die design is made by one foundry, while tools, materials and
  memory have many makers (who made the Ascend 910C compute die: SMIC or TSMC).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chipkg.graph import Store
from chipkg.graph.view import GraphView, Rel
from chipkg.ontology import Claim
from chipkg.queries import render
from chipkg.queries.resolve import optional_id
from chipkg.queries.results import Conflict, ConflictsAnswer, Side
from chipkg.queries.spec import Arg, QuerySpec
from chipkg.queries.walk import ref


def as_json(value: Any) -> str:
    """The comparison key of a property value (the same text APOC's toJson gives)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _sides(pairs: Iterable[tuple[str, Any, str]]) -> list[Side]:
    grouped: dict[str, tuple[Any, set[str]]] = {}
    for key, value, source in pairs:
        grouped.setdefault(key, (value, set()))[1].add(source)
    return [Side(value=v, sources=sorted(s)) for _, (v, s) in sorted(grouped.items())]


def claim_conflicts(g: GraphView, claim: Claim) -> list[Conflict]:
    """Contradictions inside one claim's evidence."""
    found = []
    base = {
        "predicate": claim.predicate,
        "subject": ref(g, claim.subject),
        "object": ref(g, claim.object),
    }
    modalities = {ev.modality for ev in claim.evidence}
    if "negated" in modalities and len(modalities) > 1:
        sides = _sides((ev.modality, ev.modality, ev.source) for ev in claim.evidence)
        found.append(Conflict(kind="asserted-and-negated", property=None, sides=sides, **base))
    for prop in sorted({k for ev in claim.evidence for k in ev.properties}):
        stating = [ev for ev in claim.evidence if ev.properties.get(prop) is not None]
        sides = _sides(
            (as_json(ev.properties[prop]), ev.properties[prop], ev.source) for ev in stating
        )
        if len(sides) > 1:
            found.append(Conflict(kind="property-disagreement", property=prop, sides=sides, **base))
    return found


def groups(g: GraphView) -> dict[str, str]:
    """Corporate group of each company in a SUBSIDIARY_OF link: the smallest id of its component."""
    adjacent: dict[str, set[str]] = {}
    for rel in g.by_type.get("SUBSIDIARY_OF", ()):
        if not rel.negated:
            adjacent.setdefault(rel.subject, set()).add(rel.object)
            adjacent.setdefault(rel.object, set()).add(rel.subject)
    group: dict[str, str] = {}
    for start in sorted(adjacent):
        if start in group:
            continue
        todo, members = [start], {start}
        while todo:
            for nxt in adjacent[todo.pop()] - members:
                members.add(nxt)
                todo.append(nxt)
        group.update(dict.fromkeys(members, start))
    return group


#: Product categories made from one die design, hence by one maker: two makers of different
#: corporate groups contest each other.
SINGLE_SOURCE = ("gpu", "ai_accelerator", "cpu", "chip")


def designer_conflicts(g: GraphView, entity: str | None) -> list[Conflict]:
    """Products designed by companies of more than one corporate group."""
    return competing(g, entity, "DESIGNS", "competing-designers", single_source=False)


def maker_conflicts(g: GraphView, entity: str | None) -> list[Conflict]:
    """Chips that companies of more than one corporate group are each said to manufacture."""
    return competing(g, entity, "MANUFACTURES", "competing-makers", single_source=True)


def competing(
    g: GraphView, entity: str | None, predicate: str, kind: str, single_source: bool
) -> list[Conflict]:
    """Products that companies of different groups are each said to DESIGN (or MANUFACTURE)."""
    group = groups(g)
    by_product: dict[str, list[Rel]] = {}
    for rel in g.by_type.get(predicate, ()):
        if rel.negated:
            continue
        if single_source and (
            g.label(rel.subject) != "Company" or g.prop(rel.object, "category") not in SINGLE_SOURCE
        ):
            continue
        by_product.setdefault(rel.object, []).append(rel)
    found = []
    for product, rels in sorted(by_product.items()):
        makers = {r.subject for r in rels}
        if len({group.get(m, m) for m in makers}) < 2:
            continue
        if entity is not None and entity != product and entity not in makers:
            continue
        sides = _sides((r.subject, r.subject, s) for r in rels for s in r.sources)
        found.append(
            Conflict(
                kind=kind,
                predicate=predicate,
                subject=None,
                object=ref(g, product),
                property=None,
                sides=sides,
            )
        )
    return found


def order(c: Conflict) -> tuple[str, str, str, str, str]:
    """The total order of the answer."""
    subject = c.subject.id if c.subject else ""
    return (c.kind, c.predicate, c.object.id, subject, c.property or "")


def conflicts(store: Store, g: GraphView, entity: str | None = None) -> ConflictsAnswer:
    """Answer conflicts on an embedded store (claims with evidence) and its view."""
    if entity is None:
        claims: Iterable[Claim] = store.claims()
    else:
        claims = [*store.claims(subject=entity), *store.claims(object=entity)]
    found = [
        conflict
        for claim in claims
        if len(claim.evidence) > 1
        for conflict in claim_conflicts(g, claim)
    ]
    found += designer_conflicts(g, entity)
    found += maker_conflicts(g, entity)
    return ConflictsAnswer(
        params={"entity": entity},
        entity=ref(g, entity) if entity else None,
        conflicts=sorted(found, key=order),
    )


@dataclass(frozen=True, kw_only=True)
class ConflictsParams:
    """conflicts' parameter: the entity's id, or None for the whole graph."""

    entity: str | None = None


def prepare(store: Store, entity: str | None = None) -> ConflictsParams:
    """The parameters from what the user typed (an id, name or alias, or nothing)."""
    return ConflictsParams(entity=optional_id(store, entity, (), "entity"))


def _python(store: Store, p: ConflictsParams) -> ConflictsAnswer:
    return conflicts(store, store.view(), p.entity)


SPEC = QuerySpec(
    name="conflicts",
    summary="claims that contradict each other, with both sources",
    args=(Arg("ENTITY", required=False),),
    options=(),
    params=ConflictsParams,
    answer=ConflictsAnswer,
    cypher="conflicts",
    prepare=prepare,
    python=_python,
    render=render.conflicts,
    validate=True,
)
