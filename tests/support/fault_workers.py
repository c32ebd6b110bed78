"""Deterministic batches for the fault tests, and a writer process that writes them.

Run as ``python tests/support/fault_workers.py DB WORKER STEPS [--companies N]
[--max-segments N] [--fanout N] [--tier-bytes B] [--garbage-ratio R] [--compact]
[--go FILE] [--neo4j]``: it opens the store once
and writes batch ``(WORKER, step)`` for every step, printing ``ready`` once
open and ``done STEP`` after each commit, so a test can kill it anywhere and know what must be there.
Every batch adds aliases to shared companies and distinct evidence to shared
claims: a write that another process undoes shows up as a missing alias or
missing evidence, not only as a wrong count.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity


def batch(worker: int, step: int, companies: int = 20) -> tuple[list[Entity], list[Claim]]:
    """Entities and claims of one write; shared ids across workers, distinct evidence."""
    source = f"source/w{worker}"
    entities = [Entity(id=source, label="Source", name=f"Writer {worker}")]
    entities.append(
        Entity(id=f"company/w{worker}-s{step}", label="Company", name=f"Own {worker}.{step}")
    )
    claims = []
    for j in range(companies):
        entities.append(
            Entity(
                id=f"company/c{j}",
                label="Company",
                name=f"Company {j}",
                aliases=[f"c{j} w{worker} s{step}"],
            )
        )
        claims.append(
            Claim.model_validate(
                {
                    "subject": f"company/c{j}",
                    "predicate": "SUPPLIES",
                    "object": f"company/c{(j + 1) % companies}",
                    "evidence": {"source": source, "row": step * 100_000 + j + 1},
                }
            )
        )
    claims.append(
        Claim.model_validate(
            {
                "subject": f"company/w{worker}-s{step}",
                "predicate": "SUPPLIES",
                "object": "company/c0",
                "evidence": {"source": source, "row": 1},
            }
        )
    )
    return entities, claims


def main(argv: list[str]) -> int:
    """Write the steps of one worker into an embedded store."""
    from chipkg.graph import embedded

    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("worker", type=int)
    parser.add_argument("steps", type=int)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--max-segments", type=int, default=embedded.MAX_SEGMENTS)
    parser.add_argument("--fanout", type=int, default=embedded.FANOUT)
    parser.add_argument("--tier-bytes", type=int, default=embedded.TIER_BYTES)
    parser.add_argument("--garbage-ratio", type=float, default=embedded.GARBAGE_RATIO)
    parser.add_argument("--compact", action="store_true", help="compact after every write")
    parser.add_argument("--go", type=Path, help="wait until this file exists (a start line)")
    parser.add_argument("--neo4j", action="store_true", help="write to Neo4j (NEO4J_* env)")
    args = parser.parse_args(argv)
    embedded.MAX_SEGMENTS = args.max_segments
    embedded.FANOUT, embedded.TIER_BYTES = args.fanout, args.tier_bytes
    embedded.GARBAGE_RATIO = args.garbage_ratio
    store: Store
    if args.neo4j:
        from chipkg.graph.neo4j_store import Neo4jStore

        store = Neo4jStore.from_env()
    else:
        store = embedded.EmbeddedStore(args.db)
    print("ready", flush=True)
    while args.go is not None and not args.go.exists():
        time.sleep(0.005)
    for step in range(args.steps):
        store.write(*batch(args.worker, step, args.companies))
        if args.compact and isinstance(store, embedded.EmbeddedStore):
            store.save()
        print(f"done {step}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
