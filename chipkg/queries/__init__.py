"""Canned supply-chain and export-control questions, answered the same on every backend.

Each query is one module named after it (``reachable_suppliers.py``...) that declares
its :class:`~chipkg.queries.spec.QuerySpec`. ``chipkg.queries.<name>(store, ...)``
resolves entity arguments (ids, names or aliases) into the query's typed parameters
and asks the store: :meth:`Store.answer <chipkg.graph.Store.answer>` runs the Python
engine, or the ``.cypher`` file of the same name on Neo4j. Both build the same result
model (:mod:`chipkg.queries.results`), so ``--json`` does not depend on the store.
The cut rule is in :mod:`chipkg.queries.rules` and ``chipkg/queries/README.md``.
"""

from __future__ import annotations

from typing import Any

from chipkg.errors import InputError
from chipkg.graph import Store
from chipkg.queries.alternatives import SPEC as ALTERNATIVES
from chipkg.queries.chokepoints import DEFAULT_THRESHOLD
from chipkg.queries.chokepoints import SPEC as CHOKEPOINTS
from chipkg.queries.conflicts import SPEC as CONFLICTS
from chipkg.queries.dossier import SPEC as DOSSIER
from chipkg.queries.exposure import SPEC as EXPOSURE
from chipkg.queries.reachable_suppliers import DEFAULT_MAX_HOPS
from chipkg.queries.reachable_suppliers import SPEC as REACHABLE_SUPPLIERS
from chipkg.queries.resolve import ITEM_LABELS
from chipkg.queries.results import (
    AlternativesAnswer,
    Answer,
    ChokepointsAnswer,
    ConflictsAnswer,
    DossierAnswer,
    ExposureAnswer,
    ReachableAnswer,
    TimelineAnswer,
    WhatIfAnswer,
)
from chipkg.queries.sanctions_timeline import SPEC as SANCTIONS_TIMELINE
from chipkg.queries.spec import QuerySpec
from chipkg.queries.what_if import SPEC as WHAT_IF


def reachable_suppliers(
    store: Store,
    buyer: str,
    on: str | None = None,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ReachableAnswer:
    """Suppliers the buyer (and its subsidiaries) can still reach on ``on``, and what is cut."""
    return REACHABLE_SUPPLIERS.run(store, buyer, on, item, max_hops, entity_only)


def exposure(
    store: Store,
    entity: str,
    on: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ExposureAnswer:
    """Who depends on a company (and its subsidiaries), directly or through tiers, with paths."""
    return EXPOSURE.run(store, entity, on, max_hops, entity_only)


def chokepoints(
    store: Store,
    product: str,
    on: str | None = None,
    for_country: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ChokepointsAnswer:
    """Inputs of a product with one dominant provider or (for a country) every provider cut."""
    return CHOKEPOINTS.run(store, product, on, for_country, threshold)


def alternatives(store: Store, buyer: str, item: str, on: str | None = None) -> AlternativesAnswer:
    """Providers of the item or a substitute that are not cut off for the buyer."""
    return ALTERNATIVES.run(store, buyer, item, on)


def dossier(store: Store, entity: str) -> DossierAnswer:
    """Everything the graph holds about an entity, grouped by relationship."""
    return DOSSIER.run(store, entity)


def sanctions_timeline(store: Store, entity: str, on: str | None = None) -> TimelineAnswer:
    """Listings of an entity and the rules that reach it, in date order."""
    return SANCTIONS_TIMELINE.run(store, entity, on)


def what_if(
    store: Store,
    buyer: str,
    target: str,
    restrict: str | None = None,
    on: str | None = None,
    jurisdiction: str = "country/us",
    fdpr: bool = False,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> WhatIfAnswer:
    """Reachable suppliers before and after a hypothetical regulation, as a diff."""
    return WHAT_IF.run(store, buyer, target, restrict, on, jurisdiction, fdpr, max_hops)


def conflicts(store: Store, entity: str | None = None) -> ConflictsAnswer:
    """Claims that contradict each other, with both sources (optionally about one entity)."""
    return CONFLICTS.run(store, entity)


#: Every canned query by its CLI name, in the order ``chipkg ask --list`` shows them.
QUERIES: dict[str, QuerySpec[Any, Any]] = {
    spec.name: spec
    for spec in (
        REACHABLE_SUPPLIERS,
        EXPOSURE,
        CHOKEPOINTS,
        ALTERNATIVES,
        DOSSIER,
        SANCTIONS_TIMELINE,
        WHAT_IF,
        CONFLICTS,
    )
}


def run(store: Store, name: str, *args: Any, **kwargs: Any) -> Answer:
    """Run a canned query by its CLI name."""
    spec = QUERIES.get(name)
    if spec is None:
        raise InputError(f"unknown query {name!r}; known: {', '.join(QUERIES)}")
    answer: Answer = spec.run(store, *args, **kwargs)
    return answer


__all__ = [
    "ITEM_LABELS",
    "QUERIES",
    "QuerySpec",
    "alternatives",
    "chokepoints",
    "conflicts",
    "dossier",
    "exposure",
    "reachable_suppliers",
    "run",
    "sanctions_timeline",
    "what_if",
]
