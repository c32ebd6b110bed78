"""The graph, or the part of it a query answer names, as a networkx ``MultiDiGraph``.

For notebooks: run one's own networkx algorithms on chipkg's graph. Entities are
nodes keyed by id, with ``label``, ``name``, ``aliases`` and their properties; every
claim is one edge keyed by its claim key, carrying its provenance (``predicate``,
``modality``, ``confidence``, ``attributed_to``, ``valid_from``, ``valid_to``,
``derived``, ``sources``, ``evidence_count``; ``evidence`` on request) and its
properties. Only the :class:`~chipkg.graph.store.Store` interface is read, so both
backends give the same graph.

An answer's subgraph holds every entity the answer names and the claims it names
(witness paths and cut links carry claim keys); answers that name no claim
(chokepoints, timelines, …) get the claims among their entities instead. Cut links
also say ``cut_by`` (regulation ids) and ``cut_reason``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel

from chipkg.ontology import Claim, Entity

if TYPE_CHECKING:
    from chipkg.graph.store import Store

#: Edge attributes that claim properties never overwrite.
CORE_EDGE = (
    "predicate", "modality", "confidence", "attributed_to", "valid_from", "valid_to",
    "derived", "sources", "evidence_count", "evidence", "cut_by", "cut_reason",
)  # fmt: skip


def node_attributes(entity: Entity) -> dict[str, Any]:
    """Label, name, aliases and properties of one entity (properties never hide the first three)."""
    return {
        **entity.properties,
        "label": entity.label,
        "name": entity.name,
        "aliases": entity.aliases,
    }


def edge_attributes(claim: Claim, evidence: bool = False) -> dict[str, Any]:
    """The claim's provenance and properties; its evidence records when ``evidence``."""
    attrs: dict[str, Any] = {k: v for k, v in claim.properties.items() if k not in CORE_EDGE}
    attrs.update(
        predicate=claim.predicate, **claim.provenance(), evidence_count=len(claim.evidence)
    )
    if evidence:
        attrs["evidence"] = [e.model_dump(exclude_none=True) for e in claim.evidence]
    return attrs


def build(entities: Iterable[Entity], claims: Iterable[Claim], evidence: bool) -> nx.MultiDiGraph:
    """A MultiDiGraph of the records (an edge's endpoints become nodes even if not listed)."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for entity in entities:
        graph.add_node(entity.id, **node_attributes(entity))
    for claim in claims:
        graph.add_edge(
            claim.subject, claim.object, key=claim.key, **edge_attributes(claim, evidence)
        )
    return graph


def _plain(answer: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """An answer model or its JSON as plain data."""
    return answer.model_dump(mode="json") if isinstance(answer, BaseModel) else dict(answer)


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict nested in an answer, outermost first."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def named(answer: dict[str, Any]) -> tuple[list[str], list[str], dict[str, dict[str, Any]]]:
    """Entity ids, claim keys and cut marks (by claim key) an answer names, in order."""
    ids: dict[str, None] = {}
    keys: dict[str, None] = {}
    cuts: dict[str, dict[str, Any]] = {}
    for part in _walk(answer):
        if isinstance(part.get("id"), str) and "name" in part:
            ids[part["id"]] = None
        keys.update(dict.fromkeys(k for k in part.get("claims") or [] if isinstance(k, str)))
        if isinstance(part.get("key"), str) and "|" in part["key"]:
            keys[part["key"]] = None
        link = part.get("link")
        if isinstance(link, dict) and isinstance(part.get("regulations"), list):
            mark = {
                "cut_by": [r["id"] for r in part["regulations"]],
                "cut_reason": part.get("reason"),
            }
            cuts.update(dict.fromkeys(link.get("claims") or [], mark))
    return list(ids), list(keys), cuts


def _claim(store: Store, key: str) -> Claim | None:
    """The stored claim with this key (``PREDICATE|subject|object|…``), if any."""
    predicate, subject, obj = key.split("|")[:3]
    return next((c for c in store.claims(predicate, subject, obj) if c.key == key), None)


def answer_graph(
    store: Store, answer: BaseModel | Mapping[str, Any], evidence: bool
) -> nx.MultiDiGraph:
    """The entities and claims one query answer names (see the module docstring)."""
    data = _plain(answer)
    ids, keys, cuts = named(data)
    entities = [e for e in (store.get(i) for i in ids) if e is not None]
    if keys:
        found = [_claim(store, k) for k in keys]
        claims = [c for c in found if c is not None]
    else:
        inside = set(ids)
        claims = [c for i in ids for c in store.neighbours(i, "out") if c.object in inside]
    graph = build(entities, claims, evidence)
    for claim in claims:
        graph.edges[claim.subject, claim.object, claim.key].update(cuts.get(claim.key, {}))
    graph.graph.update(query=data.get("query"), params=data.get("params", {}))
    graph.graph["missing_claims"] = [k for k in keys if k not in {c.key for c in claims}]
    return graph


def to_networkx(
    store: Store, answer: BaseModel | Mapping[str, Any] | None = None, evidence: bool = False
) -> nx.MultiDiGraph:
    """The whole graph, or ``answer``'s part of it (a query answer model or its JSON)."""
    if answer is not None:
        return answer_graph(store, answer, evidence)
    return build(store.entities(), store.claims(), evidence)
