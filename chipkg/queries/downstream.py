"""``exposure``: who depends on a company, directly or through tiers, on a date.

The mirror of reachable-suppliers: the same tiered search and cut rule, walking
supply links downstream (supplier → customer) from the company. Each dependent
gets one witness path from the company to it; customers whose links into the
reached area are all cut are listed as ``cut_off``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chipkg.queries.graphview import GraphView
from chipkg.queries.results import CutOff, Dependent, ExposureAnswer, Ref, build, expand_paths
from chipkg.queries.rules import Link, Rules, supply_links_from
from chipkg.queries.walk import Walk, cut_witnesses, link_out, paths, ref, walk

if TYPE_CHECKING:
    from chipkg.graph.neo4j_store import Neo4jStore

DEFAULT_MAX_HOPS = 4


def downstream_walk(g: GraphView, entity: str, rules: Rules, max_hops: int) -> Walk:
    """The tiered search downstream from ``entity``."""

    def expand(supplier: str, hop: int) -> Iterable[tuple[str, Link]]:
        for link in supply_links_from(g, supplier, rules.on):
            yield link.customer, link

    return walk(entity, max_hops, expand, rules)


def dependents(g: GraphView, result: Walk) -> list[Dependent]:
    """Dependents with witness paths in flow order (the entity first, the dependent last)."""
    out = []
    for customer, chain in paths(g, result).items():
        path = chain[::-1]
        out.append(
            Dependent.model_construct(
                customer=g.ref(customer),
                hops=result.level[customer],
                path=path,
                items=path[-1].items,
                sources=sorted({s for st in path for s in st.sources}),
            )
        )
    return sorted(out, key=lambda d: (d.hops, d.customer.id))


def exposure(
    g: GraphView, entity: str, on: str, max_hops: int = DEFAULT_MAX_HOPS
) -> ExposureAnswer:
    """Answer exposure on the embedded view."""
    rules = Rules(g, on)
    result = downstream_walk(g, entity, rules, max_hops)
    cut_off = [
        CutOff(
            customer=ref(g, far),
            hops=hop,
            link=link_out(g, link),
            regulations=[Ref(id=c.regulation, name=c.name, label="Regulation") for c in cuts],
            reason=" | ".join(c.reason for c in cuts),
        )
        for far, hop, link, cuts in cut_witnesses(result)
    ]
    return ExposureAnswer(
        params={"entity": entity, "on": rules.on, "max_hops": max_hops},
        entity=ref(g, entity),
        dependents=dependents(g, result),
        cut_off=cut_off,
    )


def exposure_neo4j(
    store: Neo4jStore, entity: str, on: str, max_hops: int = DEFAULT_MAX_HOPS
) -> ExposureAnswer:
    """Answer exposure with ``cypher/exposure.cypher``."""
    from chipkg.queries.neo4j_runner import run_file

    params = {"entity": entity, "on": on, "max_hops": max_hops}
    row, memo = expand_paths(run_file(store, "exposure", params)[0], "dependents")
    return build(ExposureAnswer, {**row, "params": params}, memo)
