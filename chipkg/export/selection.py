"""What an export writes: the whole store, or the neighbourhood of one entity.

Both are read through the ``Store`` interface only, so exports are the same from
the embedded store and from Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chipkg.errors import InputError, NotFoundError
from chipkg.graph import Store
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity


@dataclass
class Selection:
    """Records to export, with their numbers when known (for progress bars)."""

    entities: Iterable[Entity]
    claims: Iterable[Claim]
    entity_count: int | None = None
    claim_count: int | None = None


def whole_store(store: Store) -> Selection:
    """Every entity and claim, streamed from the store."""
    counts = store.counts()
    return Selection(
        entities=store.entities(),
        claims=store.claims(),
        entity_count=sum(counts.nodes.values()),
        claim_count=sum(counts.relationships.values()),
    )


def find_entity(store: Store, text: str) -> Entity:
    """An entity by id, else by name or alias; suggestions when nothing matches."""
    found = store.get(text)
    if found is not None:
        return found
    resolver = Resolver.of(store.entities())
    matches = resolver.lookup(text)
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(entity.id for entity in matches)
        raise InputError(f"{text!r} is ambiguous: {ids}; give an id")
    close = ", ".join(f"{e.name} ({e.id})" for e in resolver.suggest(text))
    hint = f"; did you mean: {close}" if close else ""
    raise NotFoundError(f"no entity {text!r} in the graph{hint}")


def neighbourhood(store: Store, start: Entity, hops: int) -> Selection:
    """Entities within ``hops`` claims of ``start``, the claims among them, and their Sources."""
    if hops < 0:
        raise InputError("--hops must be 0 or more")
    seen = {start.id}
    frontier = {start.id}
    for _ in range(hops):
        reached = {end for eid in frontier for c in store.neighbours(eid) for end in _ends(c)}
        frontier = reached - seen
        seen |= frontier
    claims = {c.key: c for eid in seen for c in store.neighbours(eid) if set(_ends(c)) <= seen}
    wanted = seen | {source for claim in claims.values() for source in claim.sources}
    entities = [e for e in (store.get(eid) for eid in sorted(wanted)) if e is not None]
    ordered = [claims[key] for key in sorted(claims)]
    return Selection(entities, ordered, len(entities), len(ordered))


def _ends(claim: Claim) -> tuple[str, str]:
    return claim.subject, claim.object
