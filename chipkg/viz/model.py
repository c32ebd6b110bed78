"""What a picture shows: nodes and edges with their provenance, independent of how they are drawn.

Builders (:mod:`chipkg.viz.graph`) fill a :class:`ViewGraph` from a store or a
query answer; :mod:`chipkg.viz.html` turns it into a page. Keeping the two apart
lets tests check the content without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity
from chipkg.queries.rules import Cut


@dataclass
class ViewNode:
    """One entity on the picture; ``note`` says why it is there (e.g. "tier 2")."""

    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    focus: bool = False
    note: str | None = None


@dataclass
class ViewEdge:
    """One claim on the picture, with everything a reader needs to judge it."""

    id: str
    source: str
    target: str
    type: str
    modality: str
    confidence: float
    sources: list[str]
    properties: dict[str, Any] = field(default_factory=dict)
    valid_from: str | None = None
    valid_to: str | None = None
    derived: bool = False
    quotes: list[tuple[str, str]] = field(default_factory=list)
    cuts: list[Cut] = field(default_factory=list)

    @classmethod
    def of(cls, claim: Claim) -> ViewEdge:
        """An edge for a stored claim (its key is the edge id)."""
        return cls(
            id=claim.key,
            source=claim.subject,
            target=claim.object,
            type=claim.predicate,
            modality=claim.modality,
            confidence=claim.confidence,
            sources=list(claim.sources),
            properties=dict(claim.properties),
            valid_from=claim.valid_from,
            valid_to=claim.valid_to,
            derived=claim.derived,
            quotes=[(e.source, e.quote) for e in claim.evidence if e.quote],
        )


@dataclass
class ViewGraph:
    """A titled set of nodes and edges plus the names of the sources they cite."""

    title: str
    subtitle: str = ""
    nodes: dict[str, ViewNode] = field(default_factory=dict)
    edges: dict[str, ViewEdge] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    #: Write each edge's items on the line (for small answer pictures).
    item_labels: bool = False

    def add_entity(self, entity: Entity, focus: bool = False) -> ViewNode:
        """Add (or return) the node for an entity."""
        node = self.nodes.get(entity.id)
        if node is None:
            node = ViewNode(
                entity.id, entity.label, entity.name, list(entity.aliases), dict(entity.properties)
            )
            self.nodes[entity.id] = node
        node.focus = node.focus or focus
        return node

    def add_edge(self, edge: ViewEdge) -> ViewEdge:
        """Add an edge once; a second copy of the same claim keeps the first."""
        return self.edges.setdefault(edge.id, edge)

    def resolve_names(self, store: Store) -> None:
        """Look up display names (and URLs) of the sources, items and regulations cited."""
        wanted = {s for e in self.edges.values() for s in e.sources}
        wanted |= {c.regulation for e in self.edges.values() for c in e.cuts}
        wanted |= {str(v) for e in self.edges.values() for v in e.properties.values() if _is_id(v)}
        for entity_id in sorted(wanted - self.names.keys()):
            if entity_id in self.nodes:
                self.names[entity_id] = self.nodes[entity_id].name
                continue
            entity = store.get(entity_id)
            if entity is not None:
                self.names[entity_id] = entity.name
                url = entity.properties.get("url")
                if isinstance(url, str):
                    self.urls[entity_id] = url

    def name(self, entity_id: str) -> str:
        """Display name of an id (the id itself when unknown)."""
        node = self.nodes.get(entity_id)
        return node.name if node else self.names.get(entity_id, entity_id)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and "/" in value and " " not in value
