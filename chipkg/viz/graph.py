"""Build the picture of an entity's neighbourhood from any store.

The walk uses only the ``Store`` interface (``get``, ``neighbours``, ``claims``),
so the embedded store and Neo4j draw the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chipkg.errors import InputError, NotFoundError
from chipkg.graph import Store
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity
from chipkg.ontology.schema import DATE_RE
from chipkg.viz.cuts import claim_valid, mark_cuts
from chipkg.viz.model import ViewEdge, ViewGraph

MAX_NODES = 400
#: Claims not followed out of a hub unless it is the focus: a country's LOCATED_IN
#: claims would pull every company of that country into the picture.
HUB_SKIP: dict[str, frozenset[str]] = {"Country": frozenset({"LOCATED_IN"})}


def check_date(value: str | None) -> str | None:
    """Validate a ``--on`` date (YYYY[-MM[-DD]])."""
    if value is not None and not DATE_RE.match(value):
        raise InputError(f"--on must be a date YYYY[-MM[-DD]], got {value!r}")
    return value


def find_entity(store: Store, name: str, label: str | None = None) -> Entity:
    """The entity a user named by id, name or alias; close matches in the error."""
    entity = store.get(name)
    if entity is not None and (label is None or entity.label == label):
        return entity
    resolver = Resolver.of(store.entities(label))
    found = resolver.lookup(name, label)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        ids = ", ".join(e.id for e in found)
        raise NotFoundError(f"{name!r} is ambiguous: {ids} (give an id)")
    close = ", ".join(f"{e.name} ({e.id})" for e in resolver.suggest(name))
    hint = f"; did you mean: {close}" if close else ""
    what = label.lower() if label else "entity"
    raise NotFoundError(f"unknown {what} {name!r}{hint}")


def _walk(store: Store, view: ViewGraph, start: str, hops: int, on: str | None) -> list[Claim]:
    """Breadth-first over claims, ``hops`` rings out, at most MAX_NODES nodes."""
    seen: list[Claim] = []
    frontier = [start]
    for _ring in range(hops):
        following: list[str] = []
        for entity_id in frontier:
            skip = HUB_SKIP.get(view.nodes[entity_id].label, frozenset())
            for claim in store.neighbours(entity_id):
                if on is not None and not claim_valid(claim, on):
                    continue
                if entity_id != start and claim.predicate in skip:
                    continue
                other = claim.object if claim.subject == entity_id else claim.subject
                if other not in view.nodes:
                    if len(view.nodes) >= MAX_NODES:
                        continue
                    entity = store.get(other)
                    if entity is None:
                        continue
                    view.add_entity(entity)
                    following.append(other)
                seen.append(claim)
        frontier = following
    for entity_id in frontier:
        for claim in store.neighbours(entity_id):
            ends_inside = claim.subject in view.nodes and claim.object in view.nodes
            if ends_inside and (on is None or claim_valid(claim, on)):
                seen.append(claim)
    return seen


def add_claims(view: ViewGraph, store: Store, claims: Iterable[Claim], on: str) -> int:
    """Add claims as edges, marking supply links cut on ``on``; returns the number cut."""
    pending = list(claims)
    cuts = mark_cuts(store, on, pending)
    for claim in pending:
        edge = view.add_edge(ViewEdge.of(claim))
        edge.cuts = cuts.get(claim.key, edge.cuts)
    return sum(1 for e in view.edges.values() if e.cuts)


def neighbourhood(store: Store, entity_id: str, hops: int = 2, on: str | None = None) -> ViewGraph:
    """The entity and everything within ``hops`` links, links valid on ``on`` (all if None)."""
    if hops < 1:
        raise InputError(f"--hops must be at least 1, got {hops}")
    start = store.get(entity_id)
    if start is None:
        raise NotFoundError(f"unknown entity {entity_id!r}")
    when = check_date(on) or date.today().isoformat()
    view = ViewGraph(title=f"{start.name}: neighbourhood")
    view.add_entity(start, focus=True)
    claims = _walk(store, view, start.id, hops, on)
    cut = add_claims(view, store, claims, when)
    truncated = f", truncated at {MAX_NODES} nodes" if len(view.nodes) >= MAX_NODES else ""
    scope = f"links valid on {on}" if on else "all links"
    view.subtitle = (
        f"{hops} hop{'s' if hops > 1 else ''}, {scope}; regulations in force on {when}. "
        f"{len(view.nodes)} nodes, {len(view.edges)} links, {cut} cut{truncated}"
    )
    view.resolve_names(store)
    return view
