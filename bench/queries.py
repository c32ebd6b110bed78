"""Query timings: reachable-suppliers, exposure and chokepoints on the same generated graph.

The arguments are picked from the generator's layout, so every size asks the same
kind of question: the Chinese AI buyer with the most supply links, the biggest
American toolmaker (exposure), and the first designer chip (whose input tree spans
every upstream tier) for buyers in China.
The embedded figures exclude building the traversal view, which is timed apart
(a process pays it once, then every question reuses it).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import median_of, timed
from chipkg.errors import ChipkgError
from chipkg.graph import Store
from chipkg.synth.layout import BUYER, DESIGNER, TOOLS, Layout
from chipkg.synth.supply import allocation

ON = "2024-06-01"
QUERY_NAMES = ("reachable-suppliers", "exposure", "chokepoints")


def params(links: int, seed: int) -> dict[str, str]:
    """Arguments for each query on the graph ``synth`` makes for (links, seed)."""
    layout = Layout(links, seed)
    wanted = dict(allocation(layout))
    buyer = max(_in_tier(layout, BUYER, "cn"), key=lambda c: (wanted.get(c, 0), -c))
    return {
        "buyer": layout.company_id(buyer),
        "hub": layout.company_id(_in_tier(layout, TOOLS, "us")[0]),
        "product": layout.product_id(layout.product_start[DESIGNER]),
        "country": "country/cn",
        "on": ON,
    }


def _in_tier(layout: Layout, tier: int, country: str) -> list[int]:
    start = layout.tier_start[tier]
    found = range(start, start + layout.tier_size[tier])
    return [c for c in found if layout.country_of(c) == country]


def calls(store: Store, p: dict[str, str]) -> dict[str, Callable[[], Any]]:
    """The three canned queries as zero-argument calls."""
    import chipkg.queries as q

    return {
        "reachable-suppliers": lambda: q.reachable_suppliers(store, p["buyer"], on=p["on"]),
        "exposure": lambda: q.exposure(store, p["hub"], on=p["on"]),
        "chokepoints": lambda: q.chokepoints(
            store, p["product"], on=p["on"], for_country=p["country"]
        ),
    }


def sizes(answer: Any) -> dict[str, int]:
    """How big an answer is (to show both backends did the same work)."""
    out = {}
    for name in ("reachable", "blocked", "dependents", "cut_off", "inputs", "chokepoints"):
        value = getattr(answer, name, None)
        if isinstance(value, list):
            out[name] = len(value)
    return out


def time_queries(store: Store, p: dict[str, str], repeats: int) -> dict[str, Any]:
    """Median seconds of each query (one warm-up call first), and the answer sizes."""
    results: dict[str, Any] = {}
    for name, call in calls(store, p).items():
        started = time.perf_counter()
        try:
            answer = call()
        except ChipkgError as exc:  # a failing query is a result too (e.g. Neo4j out of memory)
            results[name] = {"error": str(exc)[:300], "seconds": time.perf_counter() - started}
            continue
        results[name] = {"answer": sizes(answer), **median_of(repeats, partial(timed, call))}
    return results


def embedded(db: Path, p: dict[str, str], repeats: int) -> dict[str, Any]:
    """Open the store, build the view (timed), then time the queries."""
    from chipkg.graph import EmbeddedStore
    from chipkg.graph.view import view_of

    store = EmbeddedStore(db)
    gc.collect()
    build = timed(lambda: view_of(store, fresh=True))
    return {"view_build_seconds": build, "queries": time_queries(store, p, repeats)}


def main() -> None:
    """``python -m bench.queries DB PARAMS_JSON REPEATS``: embedded timings as one JSON line."""
    db, raw, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(embedded(Path(db), json.loads(raw), repeats)))


if __name__ == "__main__":
    main()
