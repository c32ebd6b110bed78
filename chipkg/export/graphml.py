"""GraphML for Gephi and networkx: entities as nodes, claims as edges, all as attributes.

GraphML attributes are scalars, so lists (aliases, roles, sources) and the evidence
are JSON text. Gephi shows the ``label`` attribute, so nodes use the entity's name
and edges the relationship type; the ontology label is ``type``. Edge ids are the
claim keys, so networkx reads them back as multigraph keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

import networkx as nx

from chipkg.ontology import Claim, Entity

NODE_FIELDS = ("label", "type", "name", "aliases")
EDGE_FIELDS = (
    "label", "predicate", "weight", "modality", "confidence", "attributed_to",
    "valid_from", "valid_to", "derived", "sources", "evidence",
)  # fmt: skip


def _scalar(value: Any) -> Any:
    """GraphML-writable value: lists and dicts as JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def node_attributes(entity: Entity) -> dict[str, Any]:
    """Display label, ontology type, name, aliases and properties of one entity."""
    attrs: dict[str, Any] = {
        "label": entity.name,
        "type": entity.label,
        "name": entity.name,
        "aliases": entity.aliases,
        **entity.properties,
    }
    return {k: _scalar(v) for k, v in attrs.items() if v is not None}


def edge_attributes(claim: Claim) -> dict[str, Any]:
    """Relationship type, provenance, evidence (JSON) and properties of one claim."""
    evidence = [ev.model_dump(exclude_none=True) for ev in claim.evidence]
    attrs: dict[str, Any] = {
        "label": claim.predicate,
        "predicate": claim.predicate,
        "weight": claim.confidence,
        **claim.provenance(),
        "evidence": evidence,
        **claim.properties,
    }
    return {k: _scalar(v) for k, v in attrs.items() if v is not None}


def graphml_graph(entities: Iterable[Entity], claims: Iterable[Claim]) -> nx.MultiDiGraph:
    """The records as a networkx MultiDiGraph with GraphML-safe attributes."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for entity in entities:
        graph.add_node(entity.id, **node_attributes(entity))
    for claim in claims:
        graph.add_edge(claim.subject, claim.object, key=claim.key, **edge_attributes(claim))
    return graph


def write_graphml(entities: Iterable[Entity], claims: Iterable[Claim], out: IO[bytes]) -> None:
    """Serialise as GraphML (UTF-8); ints and floats sharing an attribute become doubles."""
    graph = graphml_graph(entities, claims)
    nx.write_graphml(graph, out, encoding="utf-8", infer_numeric_types=True)
