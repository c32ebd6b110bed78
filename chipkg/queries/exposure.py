"""``exposure``: who depends on a company, directly or through tiers, on a date.

The mirror of reachable-suppliers: the same tiered search and cut rule, walking
supply links downstream (supplier → customer) from the company. Each dependent
gets one witness path from the company to it; customers whose links into the
reached area are all cut are listed as ``cut_off``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chipkg.graph.view import GraphView
from chipkg.queries import render
from chipkg.queries.reachable_suppliers import group_of
from chipkg.queries.resolve import resolve_id
from chipkg.queries.results import CutOff, Dependent, ExposureAnswer
from chipkg.queries.rules import Link, Rules, not_assessed, supply_links_from
from chipkg.queries.spec import (
    ENTITY_ONLY,
    MAX_HOPS,
    ON,
    SHOWN_WHEN_SET,
    Arg,
    QuerySpec,
    check_hops,
    normalise_on,
    shown,
)
from chipkg.queries.walk import Walk, cut_fields, paths, ref, split_cuts, state_items, walk

if TYPE_CHECKING:
    from chipkg.graph import Store

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
            CutOff(customer=ref(g, far), **cut_fields(g, result, far, hop, link, cuts, item))
            for far, hop, link, cuts, item in rows
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
    return shown(ExposureParams(entity=entity, on=on, max_hops=max_hops, entity_only=entity_only))


@dataclass(frozen=True, kw_only=True)
class ExposureParams:
    """exposure's parameters: the company's id; ``on`` empty means today."""

    entity: str
    on: str = ""
    max_hops: int = DEFAULT_MAX_HOPS
    entity_only: bool = field(default=False, metadata=SHOWN_WHEN_SET)

    def __post_init__(self) -> None:
        normalise_on(self)
        check_hops(self.max_hops)


def prepare(
    store: Store,
    entity: str,
    on: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ExposureParams:
    """The parameters from what the user typed (an id, name or alias)."""
    return ExposureParams(
        entity=resolve_id(store, entity, ("Company",), "entity"),
        on=on or "",
        max_hops=max_hops,
        entity_only=entity_only,
    )


def _python(store: Store, p: ExposureParams) -> ExposureAnswer:
    return exposure(store.view(), p.entity, p.on, p.max_hops, p.entity_only)


SPEC = QuerySpec(
    name="exposure",
    summary="who depends on a company, directly or through tiers",
    args=(Arg("COMPANY"),),
    options=(ON, MAX_HOPS, ENTITY_ONLY),
    params=ExposureParams,
    answer=ExposureAnswer,
    cypher="exposure",
    prepare=prepare,
    python=_python,
    render=render.exposure,
    paths="dependents",
)
