"""A compact, read-only view of a store for fast traversal by the embedded queries.

Queries walk the graph many times per answer; going through ``Store.claims()``
(sorted, filtered, pydantic) at every step would dominate. The view keeps each
claim once as a small :class:`Rel` and indexes it by endpoint and type in plain
dicts. It is built from ``store.entities()`` / ``store.claims()`` and cached per
store until it changes, so a process that asks several questions
pays the build once (the embedded store's ``revision`` tells when to rebuild).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from sys import intern
from typing import TYPE_CHECKING, Any

from chipkg.graph.compact import parse
from chipkg.graph.store import Store
from chipkg.ontology import Claim, Entity

if TYPE_CHECKING:
    from chipkg.queries.results import Ref

EMPTY: tuple[Rel, ...] = ()
#: Fields of an embedded-store claim blob: subject, object, derived, modality, confidence,
#: attributed_to, valid_from, valid_to, properties, evidence.
BLOB_FIELDS = 10


@dataclass(frozen=True, slots=True)
class Rel:
    """One claim, reduced to what traversal needs (no evidence: that stays in the store).

    Ids are interned so a million links share one copy of each company id.
    """

    key: str
    predicate: str
    subject: str
    object: str
    item: str | None
    negated: bool
    valid_from: str | None
    valid_to: str | None
    sources: tuple[str, ...]
    properties: dict[str, Any]

    @classmethod
    def of(cls, claim: Claim) -> Rel:
        """The traversal record of a claim."""
        item = claim.properties.get("item")
        return cls(
            key=claim.key,
            predicate=intern(claim.predicate),
            subject=intern(claim.subject),
            object=intern(claim.object),
            item=intern(item) if isinstance(item, str) else None,
            negated=claim.modality == "negated",
            valid_from=claim.valid_from,
            valid_to=claim.valid_to,
            sources=tuple(intern(s) for s in claim.sources),
            properties=claim.properties,
        )


@dataclass
class GraphView:
    """Entities by id and claims by (endpoint, type), both directions."""

    entities: dict[str, Entity] = field(default_factory=dict)
    outgoing: dict[str, dict[str, list[Rel]]] = field(default_factory=dict)
    incoming: dict[str, dict[str, list[Rel]]] = field(default_factory=dict)
    by_type: dict[str, list[Rel]] = field(default_factory=dict)
    #: Claims by the item they carry, then type (SUPPLIES ``item``): alternatives asks
    #: for the links of each of tens of thousands of substitutes, too many for a scan each.
    by_item: dict[str, dict[str, list[Rel]]] = field(default_factory=dict)
    refs: dict[str, Ref] = field(default_factory=dict)

    @classmethod
    def build(cls, entities: Iterable[Entity], claims: Iterable[Claim]) -> GraphView:
        """Index records; claims arrive sorted by key, so every list is in key order."""
        view = cls(entities={e.id: e for e in entities})
        for claim in claims:
            view.add(Rel.of(claim))
        return view

    def add(self, rel: Rel) -> None:
        """Index one relationship (used by :meth:`build` and by what-if overlays)."""
        self.outgoing.setdefault(rel.subject, {}).setdefault(rel.predicate, []).append(rel)
        self.incoming.setdefault(rel.object, {}).setdefault(rel.predicate, []).append(rel)
        self.by_type.setdefault(rel.predicate, []).append(rel)
        if rel.item is not None:
            self.by_item.setdefault(rel.item, {}).setdefault(rel.predicate, []).append(rel)

    def carrying(self, item: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose ``item`` is ``item``, in key order."""
        return self.by_item.get(item, {}).get(predicate, EMPTY)

    def out(self, entity_id: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose subject is ``entity_id``."""
        return self.outgoing.get(entity_id, {}).get(predicate, EMPTY)

    def into(self, entity_id: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose object is ``entity_id``."""
        return self.incoming.get(entity_id, {}).get(predicate, EMPTY)

    def label(self, entity_id: str) -> str | None:
        """The entity's label, or None when the id is not an entity."""
        entity = self.entities.get(entity_id)
        return entity.label if entity else None

    def prop(self, entity_id: str, name: str) -> Any:
        """One property of an entity (None when absent)."""
        entity = self.entities.get(entity_id)
        return entity.properties.get(name) if entity else None

    def ref(self, entity_id: str) -> Ref:
        """The answer reference of an id (memoised: answers repeat the same companies)."""
        found = self.refs.get(entity_id)
        if found is None:
            from chipkg.queries.results import Ref  # lazy: the graph layer does not import queries

            found = self.refs[entity_id] = Ref.of(self.entities.get(entity_id), entity_id)
        return found

    def of_label(self, label: str) -> list[Entity]:
        """Entities of one label, sorted by id."""
        return sorted((e for e in self.entities.values() if e.label == label), key=lambda e: e.id)


_CACHE: weakref.WeakKeyDictionary[Store, tuple[object, GraphView]] = weakref.WeakKeyDictionary()


def _fingerprint(store: Store) -> object | None:
    """The store's change counter (the embedded store bumps ``revision`` on every change)."""
    revision = getattr(store, "revision", None)
    return revision if isinstance(revision, int) else None


class _Layout(Exception):
    """The embedded store's blobs are not laid out as this module expects."""


def rel_of_blob(key: str, blob: bytes) -> Rel:
    """The traversal record of an embedded-store claim blob (see ``compact.encode_claim``).

    Decoding through ``store.claims()`` rebuilds and re-validates every piece of
    evidence, which dominates at a million claims; the view needs only the
    aggregates the blob already holds. A blob of another shape raises :class:`_Layout`.
    """
    parts = parse(blob)
    if not isinstance(parts, list) or len(parts) != BLOB_FIELDS:
        raise _Layout(key)
    subject, obj, _derived, modality, _conf, _by, start, end, props, evidence = parts
    item = props.get("item")
    return Rel(
        key=key,
        predicate=intern(key.split("|", 1)[0]),
        subject=intern(subject),
        object=intern(obj),
        item=intern(item) if isinstance(item, str) else None,
        negated=modality == "negated",
        valid_from=start,
        valid_to=end,
        sources=tuple(sorted({intern(ev["source"]) for ev in evidence})),
        properties=props,
    )


def _compact_rels(store: Store) -> Iterator[Rel] | None:
    """Relationships straight from the embedded store's compact claim blobs, or None."""
    blobs = getattr(store, "_claims", None)
    if not isinstance(blobs, dict):
        return None
    return (rel_of_blob(key, blob) for key, blob in blobs.items())


def _build(store: Store) -> GraphView:
    fast = _compact_rels(store)
    if fast is not None:
        view = GraphView(entities={e.id: e for e in store.entities()})
        try:
            for rel in fast:
                view.add(rel)
            return view
        except (_Layout, ValueError, TypeError, KeyError, AttributeError):
            pass
    return GraphView.build(store.entities(), store.claims())


def view_of(store: Store, fresh: bool = False) -> GraphView:
    """The (cached) view of a store; ``fresh`` forces a rebuild.

    An embedded store's view comes from its persisted tables (:mod:`chipkg.graph.persisted`)
    and is cached by the files it reflects; other stores' by their ``revision``.
    A new view is moved out of the garbage collector's sight (``gc.freeze``): it is
    long-lived and acyclic, and rescanning a million records in every full collection
    would otherwise cost a query at that scale more than the traversal itself.
    """
    state = getattr(store, "view_state", None)
    stamp = state() if callable(state) else _fingerprint(store)
    cached = _CACHE.get(store)
    if not fresh and stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    if callable(state):
        from chipkg.graph.persisted import open_view

        stamp, view = open_view(store, stamp, fresh)  # type: ignore[arg-type]
    else:
        view = _build(store)
    if stamp is not None:
        _CACHE[store] = (stamp, view)
    gc.freeze()
    return view
