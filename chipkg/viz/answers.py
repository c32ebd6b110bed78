"""Pictures of canned query answers: the witness paths and the cut links of reachable-suppliers.

The answer comes from ``chipkg.queries.reachable_suppliers`` in its documented
JSON shape (``reachable: [{supplier, hops, path, items, sources}]``,
``blocked: [{supplier, link, regulations, reason}]``); each tier of a path and
each cut link becomes an edge, and the claims behind it supply modality and quotes.
"""

from __future__ import annotations

from typing import Any

from chipkg.graph import Store
from chipkg.ontology import Claim
from chipkg.ontology.records import CERTAINTY
from chipkg.queries.rules import Cut
from chipkg.viz.model import ViewEdge, ViewGraph


def _claims(store: Store, keys: list[str]) -> list[Claim]:
    """The stored claims behind an answer's claim keys (``PRED|subject|object|...``)."""
    found = []
    for key in keys:
        predicate, subject, obj = key.split("|")[:3]
        found += [c for c in store.claims(predicate, subject, obj) if c.key == key]
    return found


def _edge(store: Store, edge_id: str, link: dict[str, Any], items: list[str]) -> ViewEdge:
    """A supply edge for one answer link, judged by its weakest claim."""
    claims = _claims(store, list(link.get("claims", [])))
    weakest = min(claims, key=lambda c: CERTAINTY.get(c.modality, 0), default=None)
    names = [_name(store, i) for i in items]
    return ViewEdge(
        id=edge_id,
        source=link["supplier"]["id"],
        target=link["customer"]["id"],
        type="SUPPLIES",
        modality=weakest.modality if weakest else "asserted",
        confidence=min((c.confidence for c in claims), default=1.0),
        sources=list(link.get("sources", [])),
        properties={"items": ", ".join(names)} if names else {},
        derived=bool(link.get("derived")),
        quotes=[(e.source, e.quote) for c in claims for e in c.evidence if e.quote],
    )


def _name(store: Store, entity_id: str) -> str:
    entity = store.get(entity_id)
    return entity.name if entity else entity_id


def _node(store: Store, view: ViewGraph, ref: dict[str, Any], note: str | None = None) -> None:
    entity = store.get(ref["id"])
    if entity is not None:
        node = view.add_entity(entity)
        node.note = node.note or note


def answer_view(store: Store, answer: dict[str, Any]) -> ViewGraph:
    """A picture of a reachable-suppliers answer (already in its JSON shape)."""
    buyer = answer["buyer"]
    on = answer.get("params", {}).get("on", "")
    view = ViewGraph(title=f"{buyer['name']}: reachable suppliers on {on}", item_labels=True)
    entity = store.get(buyer["id"])
    if entity is not None:
        view.add_entity(entity, focus=True)
    for found in answer["reachable"]:
        _node(store, view, found["supplier"], f"reachable at tier {found['hops']}")
        for step in found["path"]:
            _node(store, view, step["customer"])
            edge_id = f"path|{step['supplier']['id']}|{step['customer']['id']}"
            view.add_edge(_edge(store, edge_id, step, list(step["items"])))
    for cut in answer["blocked"]:
        link = cut["link"]
        _node(store, view, cut["supplier"], f"cut off at tier {cut['hops']}")
        _node(store, view, link["customer"])
        item = link.get("item")
        edge_id = f"cut|{link['supplier']['id']}|{link['customer']['id']}|{item or ''}"
        edge = view.add_edge(_edge(store, edge_id, link, [item] if item else []))
        edge.cuts = [
            Cut(regulation=reg["id"], name=reg["name"], reason=cut["reason"])
            for reg in cut["regulations"]
        ]
    reach, cut = len(answer["reachable"]), len(answer["blocked"])
    view.subtitle = (
        f"{reach} supplier{'s' * (reach != 1)} reachable through uncut links "
        f"(one witness path each); {cut} cut off by regulations in force on {on} "
        "(red, dashed)."
    )
    view.resolve_names(store)
    return view


def reachable_suppliers_view(store: Store, buyer: str, on: str | None) -> ViewGraph:
    """Run the canned query and draw its answer."""
    from chipkg.queries import reachable_suppliers

    answer: Any = reachable_suppliers(store, buyer, on=on)
    data = answer.to_json() if hasattr(answer, "to_json") else answer
    return answer_view(store, data)
