"""Canned supply-chain and export-control questions, answered the same on every backend.

``chipkg.queries.<name>(store, ...)`` resolves entity arguments (ids, names or
aliases), then answers with the Python implementation over the embedded store or
with the ``.cypher`` file of the same name over Neo4j. Both build the same result
model (:mod:`chipkg.queries.results`), so ``--json`` does not depend on the store.
The cut rule is in :mod:`chipkg.queries.rules` and ``chipkg/queries/README.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import chipkg.queries.alternatives as _alternatives
import chipkg.queries.chokepoints as _chokepoint
import chipkg.queries.conflicts as _conflicts
import chipkg.queries.dossier as _dossier
import chipkg.queries.exposure as _exposure
import chipkg.queries.reachable_suppliers as _reachable
import chipkg.queries.sanctions_timeline as _timeline
import chipkg.queries.what_if as _whatif
from chipkg.errors import InputError
from chipkg.graph import Store
from chipkg.graph.view import view_of
from chipkg.queries.dates import as_of
from chipkg.queries.resolve import resolve
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

if TYPE_CHECKING:
    from chipkg.graph.neo4j_store import Neo4jStore

ITEM_LABELS = ("Product", "Technology")
DEFAULT_MAX_HOPS = _reachable.DEFAULT_MAX_HOPS


def _neo4j(store: Store) -> Neo4jStore | None:
    """The store as a Neo4jStore when it is one (the Cypher files answer), else None."""
    return cast("Neo4jStore", store) if store.backend == "neo4j" else None


def _hops(max_hops: int) -> int:
    if not 0 <= max_hops <= 12:
        raise InputError(f"--max-hops must be between 0 and 12, got {max_hops}")
    return max_hops


def _opt(store: Store, text: str | None, labels: tuple[str, ...], what: str) -> str | None:
    return resolve(store, text, labels, what).id if text else None


def reachable_suppliers(
    store: Store,
    buyer: str,
    on: str | None = None,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ReachableAnswer:
    """Suppliers the buyer (and its subsidiaries) can still reach on ``on``, and what is cut."""
    who = resolve(store, buyer, ("Company",), "buyer").id
    what = _opt(store, item, ITEM_LABELS, "--item")
    day, hops = as_of(on), _hops(max_hops)
    if (neo := _neo4j(store)) is not None:
        return _reachable.reachable_suppliers_neo4j(neo, who, day, what, hops, entity_only)
    return _reachable.reachable_suppliers(
        view_of(store), who, day, what, hops, entity_only=entity_only
    )


def exposure(
    store: Store,
    entity: str,
    on: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ExposureAnswer:
    """Who depends on a company (and its subsidiaries), directly or through tiers, with paths."""
    who = resolve(store, entity, ("Company",), "entity").id
    day, hops = as_of(on), _hops(max_hops)
    if (neo := _neo4j(store)) is not None:
        return _exposure.exposure_neo4j(neo, who, day, hops, entity_only)
    return _exposure.exposure(view_of(store), who, day, hops, entity_only)


def chokepoints(
    store: Store,
    product: str,
    on: str | None = None,
    for_country: str | None = None,
    threshold: float = _chokepoint.DEFAULT_THRESHOLD,
) -> ChokepointsAnswer:
    """Inputs of a product with one dominant provider or (for a country) every provider cut."""
    what = resolve(store, product, ITEM_LABELS, "product").id
    country = _opt(store, for_country, ("Country",), "--for-country")
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"--threshold must be in (0, 1], got {threshold}")
    day = as_of(on)
    if (neo := _neo4j(store)) is not None:
        return _chokepoint.chokepoints_neo4j(neo, what, day, country, threshold)
    return _chokepoint.chokepoints(view_of(store), what, day, country, threshold)


def alternatives(store: Store, buyer: str, item: str, on: str | None = None) -> AlternativesAnswer:
    """Providers of the item or a substitute that are not cut off for the buyer."""
    who = resolve(store, buyer, ("Company",), "buyer").id
    what = resolve(store, item, ITEM_LABELS, "item").id
    day = as_of(on)
    if (neo := _neo4j(store)) is not None:
        return _alternatives.alternatives_neo4j(neo, who, what, day)
    return _alternatives.alternatives(view_of(store), who, what, day)


def dossier(store: Store, entity: str) -> DossierAnswer:
    """Everything the graph holds about an entity, grouped by relationship."""
    who = resolve(store, entity, (), "entity").id
    if (neo := _neo4j(store)) is not None:
        return _dossier.dossier_neo4j(neo, who)
    return _dossier.dossier(store, who)


def sanctions_timeline(store: Store, entity: str, on: str | None = None) -> TimelineAnswer:
    """Listings of an entity and the rules that reach it, in date order."""
    who = resolve(store, entity, (), "entity").id
    day = as_of(on)
    if (neo := _neo4j(store)) is not None:
        return _timeline.sanctions_timeline_neo4j(neo, who, day)
    return _timeline.sanctions_timeline(view_of(store), who, day)


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
    who = resolve(store, buyer, ("Company",), "buyer").id
    aimed = resolve(store, target, ("Company", "Country"), "--target")
    what = _opt(store, restrict, ITEM_LABELS, "--restrict")
    if aimed.label == "Country" and what is None:
        raise InputError("--restrict ITEM is needed when --target is a country")
    law = resolve(store, jurisdiction, ("Country",), "--jurisdiction").id
    day, hops = as_of(on), _hops(max_hops)
    if (neo := _neo4j(store)) is not None:
        return _whatif.what_if_neo4j(neo, who, day, aimed.id, what, law, fdpr, hops)
    return _whatif.what_if(view_of(store), who, day, aimed.id, what, law, fdpr, hops)


def conflicts(store: Store, entity: str | None = None) -> ConflictsAnswer:
    """Claims that contradict each other, with both sources (optionally about one entity)."""
    who = _opt(store, entity, (), "entity")
    if (neo := _neo4j(store)) is not None:
        return _conflicts.conflicts_neo4j(neo, who)
    return _conflicts.conflicts(store, view_of(store), who)


@dataclass(frozen=True)
class QuerySpec:
    """One canned query as ``chipkg ask`` knows it."""

    name: str
    run: Callable[..., Answer]
    usage: str
    summary: str
    cypher: str


QUERIES: dict[str, QuerySpec] = {
    spec.name: spec
    for spec in (
        QuerySpec(
            "reachable-suppliers",
            reachable_suppliers,
            "BUYER [--on DATE] [--item ITEM] [--max-hops N] [--entity-only]",
            "suppliers the buyer can still reach through uncut links, and who is cut off",
            "reachable_suppliers",
        ),
        QuerySpec(
            "exposure",
            exposure,
            "COMPANY [--on DATE] [--max-hops N] [--entity-only]",
            "who depends on a company, directly or through tiers",
            "exposure",
        ),
        QuerySpec(
            "chokepoints",
            chokepoints,
            "PRODUCT [--on DATE] [--for-country C] [--threshold X]",
            "inputs with one dominant provider or every provider cut off",
            "chokepoints",
        ),
        QuerySpec(
            "alternatives",
            alternatives,
            "BUYER ITEM [--on DATE]",
            "providers of the item or a substitute not cut off for the buyer",
            "alternatives",
        ),
        QuerySpec(
            "dossier", dossier, "ENTITY", "everything the graph holds about an entity", "dossier"
        ),
        QuerySpec(
            "sanctions-timeline",
            sanctions_timeline,
            "ENTITY [--on DATE]",
            "listings and rules that reach an entity, in date order",
            "sanctions_timeline",
        ),
        QuerySpec(
            "what-if",
            what_if,
            "BUYER --target ENTITY|COUNTRY [--restrict ITEM] [--jurisdiction C] [--fdpr] "
            "[--on DATE] [--max-hops N]",
            "reachable suppliers before and after a hypothetical regulation",
            "what_if",
        ),
        QuerySpec(
            "conflicts",
            conflicts,
            "[ENTITY]",
            "claims that contradict each other, with both sources",
            "conflicts",
        ),
    )
}


def run(store: Store, name: str, *args: Any, **kwargs: Any) -> Answer:
    """Run a canned query by its CLI name."""
    spec = QUERIES.get(name)
    if spec is None:
        raise InputError(f"unknown query {name!r}; known: {', '.join(QUERIES)}")
    return spec.run(store, *args, **kwargs)


__all__ = [
    "QUERIES",
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
