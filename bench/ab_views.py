"""``python -m bench.ab_views LINKS DB``: the dict view against the compact view, interleaved.

Builds the old dict-of-lists :class:`~chipkg.graph.view.GraphView` from the store and
maps the persisted ``view.bin`` (run a query on the store once first to create it),
then times ``exposure`` and ``reachable-suppliers`` on each, first call and again, in
two rounds, printing CPU and wall seconds with the load average (the machine is shared).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.queries import params
from chipkg.graph import EmbeddedStore
from chipkg.graph.adjacency import CompactView, load
from chipkg.graph.view import GraphView, _build
from chipkg.queries import downstream, reachable
from chipkg.queries.dates import as_of


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """CPU and wall seconds of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    links, db = int(sys.argv[1]), Path(sys.argv[2])
    p = params(links, 42)
    day = as_of(p["on"])
    started = time.process_time()
    dict_view = _build(EmbeddedStore(db))
    print(f"dict build cpu {time.process_time() - started:.2f} load {os.getloadavg()[0]:.1f}")
    for round_no in range(2):
        tables = load(db / "view.bin")
        if tables is None:
            raise SystemExit(f"{db}/view.bin missing: run a query on the store first")
        views: tuple[tuple[str, GraphView], ...] = (
            ("compact", CompactView(tables)),
            ("dict", dict_view),
        )
        for name, view in views:
            calls = (
                ("exposure", lambda v=view: downstream.exposure(v, p["hub"], day)),
                ("reachable", lambda v=view: reachable.reachable_suppliers(v, p["buyer"], day)),
            )
            for query, call in calls:
                first, again = timed(call), timed(call)
                print(
                    f"{round_no} {name} {query} first cpu {first[0]:.2f} wall {first[1]:.2f} | "
                    f"again cpu {again[0]:.2f} wall {again[1]:.2f} "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
