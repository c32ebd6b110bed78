"""``reachable-suppliers``: the upstream suppliers a buyer can still reach on a date.

Embedded implementation over a :class:`GraphView`; ``cypher/reachable_suppliers.cypher``
is the same search for Neo4j. See :mod:`chipkg.queries.walk` for the witness order
and :mod:`chipkg.queries.rules` for when a link is cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from chipkg.queries.graphview import GraphView
from chipkg.queries.results import ReachableAnswer, Reached, build, expand_paths
from chipkg.queries.rules import Link, Rules, Scope, supply_links_into
from chipkg.queries.walk import Walk, blocked, paths, ref, walk

if TYPE_CHECKING:
    from chipkg.graph.neo4j_store import Neo4jStore

DEFAULT_MAX_HOPS = 4


def upstream_walk(g: GraphView, buyer: str, rules: Rules, item: str | None, max_hops: int) -> Walk:
    """The tiered search upstream from ``buyer``; ``item`` filters the first tier only."""
    kinds = rules.kinds_of(item) if item is not None else None

    def expand(customer: str, hop: int) -> Iterable[tuple[str, Link]]:
        for link in supply_links_into(g, customer, rules.on):
            if hop > 1 or kinds is None or link.item in kinds:
                yield link.supplier, link

    return walk(buyer, max_hops, expand, rules)


def reached(g: GraphView, result: Walk) -> list[Reached]:
    """Reachable suppliers with their witness paths (supplier first, buyer last)."""
    out = [
        Reached.model_construct(
            supplier=g.ref(supplier),
            hops=result.level[supplier],
            path=path,
            items=path[0].items,
            sources=sorted({s for st in path for s in st.sources}),
        )
        for supplier, path in paths(g, result).items()
    ]
    return sorted(out, key=lambda r: (r.hops, r.supplier.id))


def reachable_suppliers(
    g: GraphView,
    buyer: str,
    on: str,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    extra: Sequence[Scope] = (),
) -> ReachableAnswer:
    """Answer reachable-suppliers on the embedded view (``extra``: hypothetical rules)."""
    rules = Rules(g, on, extra)
    result = upstream_walk(g, buyer, rules, item, max_hops)
    return ReachableAnswer(
        params={"buyer": buyer, "on": rules.on, "item": item, "max_hops": max_hops},
        buyer=ref(g, buyer),
        reachable=reached(g, result),
        blocked=blocked(g, result),
    )


def reachable_suppliers_neo4j(
    store: Neo4jStore,
    buyer: str,
    on: str,
    item: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> ReachableAnswer:
    """Answer reachable-suppliers with ``cypher/reachable_suppliers.cypher``."""
    from chipkg.queries.neo4j_runner import run_file

    params = {"buyer": buyer, "on": on, "item": item, "max_hops": max_hops}
    row, memo = expand_paths(run_file(store, "reachable_suppliers", params)[0], "reachable")
    return build(ReachableAnswer, {**row, "params": params}, memo)
