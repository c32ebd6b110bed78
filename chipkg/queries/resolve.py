"""Turn what a user typed ("DeepSeek", "Nvidia", "company/smic") into one entity id.

Ids are taken as they are; names and aliases go through the same
:class:`~chipkg.loaders.resolver.Resolver` the loaders use. Anything else is a
one-line :class:`NotFoundError` with close matches, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from chipkg.errors import InputError, NotFoundError
from chipkg.graph import Store
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity


def _labels(labels: Sequence[str]) -> str:
    return " or ".join(labels) if labels else "entity"


def resolve(store: Store, text: str, labels: Sequence[str] = (), what: str = "") -> Entity:
    """The entity ``text`` names, checked to be one of ``labels`` (any label when empty)."""
    name = text.strip()
    if not name:
        raise InputError(f"{what or 'entity'} must not be empty")
    entity = store.get(name)
    if entity is None:
        resolver = Resolver.of(store.entities())
        named = resolver.lookup(name)
        found = [e for e in named if not labels or e.label in labels] or named
        if len(found) > 1:
            ids = ", ".join(e.id for e in found)
            raise InputError(f"{name!r} is ambiguous: it names {ids}; pass an id")
        if not found:
            close = [e for e in resolver.suggest(name) if not labels or e.label in labels]
            hint = (
                "; did you mean " + ", ".join(f"{e.name} ({e.id})" for e in close) if close else ""
            )
            raise NotFoundError(f"no {_labels(labels)} named {name!r} in the graph{hint}")
        entity = found[0]
    if labels and entity.label not in labels:
        raise InputError(
            f"{what or 'argument'} must be a {_labels(labels)}; {entity.id} is a {entity.label}"
        )
    return entity


#: What an item argument (``--item``, ``--restrict``, a product) may name.
ITEM_LABELS = ("Product", "Technology")


def resolve_id(store: Store, text: str, labels: Sequence[str] = (), what: str = "") -> str:
    """The id of the entity ``text`` names (see :func:`resolve`)."""
    return resolve(store, text, labels, what).id


def optional_id(store: Store, text: str | None, labels: Sequence[str], what: str) -> str | None:
    """The id an optional argument names, or None when it was not given (or empty)."""
    return resolve(store, text, labels, what).id if text else None
