"""``reachable-suppliers``: the upstream suppliers a buyer can still reach on a date.

Embedded implementation over a :class:`GraphView`; ``cypher/reachable_suppliers.cypher``
is the same search for Neo4j. See :mod:`chipkg.queries.walk` for the witness order
and :mod:`chipkg.queries.rules` for when a link is cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chipkg.graph.view import GraphView
from chipkg.queries import render
from chipkg.queries.resolve import ITEM_LABELS, optional_id, resolve_id
from chipkg.queries.results import Blocked, ReachableAnswer, Reached
from chipkg.queries.rules import Link, Rules, Scope, not_assessed, supply_links_into
from chipkg.queries.spec import (
    ENTITY_ONLY,
    ITEM,
    MAX_HOPS,
    ON,
    SHOWN_WHEN_SET,
    Arg,
    QuerySpec,
    check_hops,
    normalise_on,
    shown,
)
from chipkg.queries.walk import Walk, blocked, paths, ref, state_items, walk

if TYPE_CHECKING:
    from chipkg.graph import Store

DEFAULT_MAX_HOPS = 4


def group_of(g: GraphView, company: str, rules: Rules, entity_only: bool) -> list[str]:
    """The company's subsidiaries (SUBSIDIARY_OF, transitively, valid on the date), sorted."""
    if entity_only:
        return []
    return sorted(rules.closure([company], ("SUBSIDIARY_OF",), inward=True) - {company})


def upstream_walk(
    g: GraphView,
    buyer: str,
    rules: Rules,
    item: str | None,
    max_hops: int,
    group: Sequence[str] = (),
) -> Walk:
    """The tiered search upstream from ``buyer`` and its group; ``item`` filters the first tier only."""
    kinds = rules.kinds_of(item) if item is not None else None

    def expand(customer: str, hop: int) -> Iterable[tuple[str, Link]]:
        for link in supply_links_into(g, customer, rules.on):
            if hop > 1 or kinds is None or link.item in kinds:
                yield link.supplier, link

    return walk(buyer, max_hops, expand, rules, group)


def reached(g: GraphView, result: Walk) -> list[Reached]:
    """Reachable suppliers with their witness paths (supplier first, buyer last).

    A supplier's ``items`` are all it reaches the buyer with, not only its witness step's.
    """
    items = state_items(result)
    out = [
        Reached.model_construct(
            supplier=g.ref(supplier),
            hops=result.level[supplier],
            path=path,
            items=items[supplier],
            cut_items=[],
            sources=sorted({s for st in path for s in st.sources}),
        )
        for supplier, path in paths(g, result).items()
    ]
    return sorted(out, key=lambda r: (r.hops, r.supplier.id))


def with_cut_items(reachable: list[Reached], cut: list[Blocked]) -> list[Reached]:
    """Each reachable supplier's items that a regulation cuts (shaping shared by both backends)."""
    items: dict[str, set[str]] = {}
    for b in cut:
        if b.item is not None:
            items.setdefault(b.supplier.id, set()).add(b.item)
    for r in reachable:
        r.cut_items = sorted(items.get(r.supplier.id, ()))
    return reachable


def reachable_suppliers(
    g: GraphView,
    buyer: str,
    on: str,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    extra: Sequence[Scope] = (),
    entity_only: bool = False,
) -> ReachableAnswer:
    """Answer reachable-suppliers on the embedded view (``extra``: hypothetical rules)."""
    rules = Rules(g, on, extra)
    group = group_of(g, buyer, rules, entity_only)
    result = upstream_walk(g, buyer, rules, item, max_hops, group)
    cut, licence = blocked(g, result)
    return ReachableAnswer(
        params=params_of(buyer, rules.on, item, max_hops, entity_only),
        buyer=ref(g, buyer),
        group=[ref(g, m) for m in group],
        reachable=with_cut_items(reached(g, result), cut),
        blocked=cut,
        licence_required=licence,
        not_assessed=[ref(g, r) for r in not_assessed(g)],
    )


def params_of(
    buyer: str, on: str, item: str | None, max_hops: int, entity_only: bool
) -> dict[str, Any]:
    """The answer's ``params`` (``entity_only`` shown only when set, as before it existed)."""
    return shown(
        ReachableParams(buyer=buyer, on=on, item=item, max_hops=max_hops, entity_only=entity_only)
    )


@dataclass(frozen=True, kw_only=True)
class ReachableParams:
    """reachable-suppliers' parameters: ids resolved; ``on`` empty means today."""

    buyer: str
    on: str = ""
    item: str | None = None
    max_hops: int = DEFAULT_MAX_HOPS
    entity_only: bool = field(default=False, metadata=SHOWN_WHEN_SET)

    def __post_init__(self) -> None:
        normalise_on(self)
        check_hops(self.max_hops)


def prepare(
    store: Store,
    buyer: str,
    on: str | None = None,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    entity_only: bool = False,
) -> ReachableParams:
    """The parameters from what the user typed (ids, names or aliases)."""
    return ReachableParams(
        buyer=resolve_id(store, buyer, ("Company",), "buyer"),
        item=optional_id(store, item, ITEM_LABELS, "--item"),
        on=on or "",
        max_hops=max_hops,
        entity_only=entity_only,
    )


def _python(store: Store, p: ReachableParams) -> ReachableAnswer:
    return reachable_suppliers(
        store.view(), p.buyer, p.on, p.item, p.max_hops, entity_only=p.entity_only
    )


def _cut_items(answer: ReachableAnswer) -> ReachableAnswer:
    answer.reachable = with_cut_items(answer.reachable, answer.blocked)
    return answer


SPEC = QuerySpec(
    name="reachable-suppliers",
    summary="suppliers the buyer can still reach through uncut links, and who is cut off",
    args=(Arg("BUYER"),),
    options=(ON, ITEM, MAX_HOPS, ENTITY_ONLY),
    params=ReachableParams,
    answer=ReachableAnswer,
    cypher="reachable_suppliers",
    prepare=prepare,
    python=_python,
    render=render.reachable,
    paths="reachable",
    finish=_cut_items,
)
