"""``exposure``: who depends on a company, directly or through tiers, on a date.

The mirror of reachable-suppliers: the same tiered search and cut rule, walking
supply links downstream (supplier → customer) from the company. Each dependent
gets one witness path from the company to it; customers whose links into the
reached area are all cut are listed as ``cut_off``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from chipkg.graph.view import GraphView
from chipkg.queries.reachable_suppliers import group_of
from chipkg.queries.results import CutOff, Dependent, ExposureAnswer, build, expand_paths
from chipkg.queries.rules import Link, Rules, not_assessed, supply_links_from
from chipkg.queries.walk import Walk, cut_fields, paths, ref, split_cuts, state_items, walk

if TYPE_CHECKING:
    from chipkg.graph.neo4j_store import Neo4jStore

DEFAULT_MAX_HOPS = 4


def downstream_walk(
    g: GraphView, entity: str, rules: Rules, max_hops: int, group: Sequence[str] = ()
) -> Walk:
    """The tiered search downstream from ``entity`` and its group."""

    def expand(supplier: str, hop: int) -> Iterable[tuple[str, Link]]:
        for link in supply_links_from(g, supplier, rules.on):
            yield link.customer, link

    def flows(received: str | None, link: Link) -> bool:
        return rules.feeds(received, link.item)

    return walk(entity, max_hops, expand, rules, group, flows)


def dependents(g: GraphView, result: Walk) -> list[Dependent]:
    """Dependents with witness paths in flow order (the entity first, the dependent last).

    A dependent's ``items`` are all it receives along item-consistent paths.
    """
    items = state_items(result)
    out = []
    for customer, chain in paths(g, result).items():
        path = chain[::-1]
        out.append(
            Dependent.model_construct(
                customer=g.ref(customer),
                hops=result.level[customer],
                path=path,
                items=items[customer],
                sources=sorted({s for st in path for s in st.sources}),
            )
        )
    return sorted(out, key=lambda d: (d.hops, d.customer.id))


def exposure(
    g: GraphView, entity: str, on: str, max_hops: int = DEFAULT_MAX_HOPS, entity_only: bool = False
) -> ExposureAnswer:
    """Answer exposure on the embedded view (the company's group supplies unless ``entity_only``)."""
    rules = Rules(g, on)
    group = group_of(g, entity, rules, entity_only)
    result = downstream_walk(g, entity, rules, max_hops, group)
    denied, licence = split_cuts(result)
    cut_off, licence_required = [
        [
            CutOff(customer=ref(g, far), **cut_fields(g, result, far, hop, link, cuts))
            for far, hop, link, cuts in rows
        ]
        for rows in (denied, licence)
    ]
    return ExposureAnswer(
        params=params_of(entity, rules.on, max_hops, entity_only),
        entity=ref(g, entity),
        group=[ref(g, m) for m in group],
        dependents=dependents(g, result),
        cut_off=cut_off,
        licence_required=licence_required,
        not_assessed=[ref(g, r) for r in not_assessed(g)],
    )


def params_of(entity: str, on: str, max_hops: int, entity_only: bool) -> dict[str, Any]:
    """The answer's ``params`` (``entity_only`` shown only when set)."""
    params: dict[str, Any] = {"entity": entity, "on": on, "max_hops": max_hops}
    if entity_only:
        params["entity_only"] = True
    return params


def exposure_neo4j(
    store: Neo4jStore,
    entity: str,
    on: str,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ExposureAnswer:
    """Answer exposure with ``cypher/exposure.cypher``."""
    from chipkg.queries.neo4j_runner import run_file

    params = {"entity": entity, "on": on, "max_hops": max_hops, "entity_only": entity_only}
    row, memo = expand_paths(run_file(store, "exposure", params)[0], "dependents")
    return build(
        ExposureAnswer, {**row, "params": params_of(entity, on, max_hops, entity_only)}, memo
    )
