"""Transactional loads into a NON-EMPTY Neo4j: ``python -m bench.bench_incremental``.

Issue 17's "incremental" figure: a base graph (``--base`` links, seed 7) is loaded
first, then the timed load (``--links``, seed 42) goes through ``Neo4jStore.write``
in one call, as ``chipkg load`` does it. Runs on the server the environment names
(``CHIPKG_NEO4J_*`` managed instance or ``NEO4J_URI``) and CLEARS its database.
Prints seconds, relationships per second and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable

from bench.common import Dataset, dataset, log, records
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.ontology import Claim, Entity


def split(data: Dataset) -> tuple[list[Entity], list[Claim]]:
    entities: list[Entity] = []
    claims: list[Claim] = []
    for record in records(data):
        (entities if isinstance(record, Entity) else claims).append(record)  # type: ignore[arg-type]
    return entities, claims


def run(base: int, links: int) -> dict[str, object]:
    """Load the base graph, then time the second load; the figures of one run."""
    store = Neo4jStore.from_env()
    try:
        return timed(store, base, links)
    finally:
        store.close()


def with_base(store: Neo4jStore, base: int) -> None:
    """Clear ``store`` and load the ``base`` links (seed 7) the timed load goes onto."""
    store.clear()
    store.init_schema()
    log(f"loading the base graph ({base:,} links)")
    store.write(*split(dataset(base, seed=7)))


def timed(store: Neo4jStore, base: int, links: int) -> dict[str, object]:
    """Clear ``store``, load ``base`` links (seed 7), then time ``links`` links (seed 42)."""
    with_base(store, base)
    entities, claims = split(dataset(links))
    load_before = os.getloadavg()[0]
    log(f"timing {len(entities):,} entities + {len(claims):,} claims into a non-empty db")
    started = time.perf_counter()
    report = store.write(entities, claims)
    seconds = time.perf_counter() - started
    return {
        "base_links": base,
        "links": links,
        "claims": len(claims),
        "new_claims": report.new_claims,
        "seconds": round(seconds, 1),
        "rels_per_s": round(len(claims) / seconds),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg()[0],
    }


def cli(run_once: Callable[[int, int], dict[str, object]], doc: str) -> None:
    """``--base``, ``--links``, ``--repeats``: one JSON line per run of ``run_once``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--base", type=int, default=10_000, help="links already stored")
    parser.add_argument("--links", type=int, default=100_000, help="links in the timed load")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.repeats):
        print(json.dumps(run_once(args.base, args.links)), flush=True)


def main() -> None:
    cli(run, __doc__ or "")


if __name__ == "__main__":
    main()
