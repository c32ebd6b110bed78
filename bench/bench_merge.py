"""One claim with many pieces of evidence (issue 18 item 4): merges must be linear.

``python -m bench.bench_merge [N ...]`` (default 1000 10000 100000) builds N claims of
one key, each with its own piece of evidence (as a loader makes from N rows citing
one fact), and times: ``merge_batch`` (grouped, merged once), the whole
``EmbeddedStore.write`` into a new store, and, up to 8,000, the old pairwise fold
(``functools.reduce`` over ``Claim.merged_with``) for comparison.
"""

from __future__ import annotations

import functools
import sys
import tempfile
import time
from pathlib import Path

from chipkg.graph import EmbeddedStore
from chipkg.graph.store import merge_batch
from chipkg.ontology import Claim, Entity

PAIRWISE_MAX = 8_000


def records(n: int) -> tuple[list[Entity], list[Claim]]:
    entities = [
        Entity(id="company/a", label="Company", name="A"),
        Entity(id="company/b", label="Company", name="B"),
        Entity(id="source/s", label="Source", name="S"),
    ]
    claims = [
        Claim.model_validate(
            {
                "subject": "company/a",
                "predicate": "SUPPLIES",
                "object": "company/b",
                "evidence": {"source": "source/s", "row": i + 1, "confidence": 0.5},
            }
        )
        for i in range(n)
    ]
    return entities, claims


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print("| pieces of evidence | merge_batch s | EmbeddedStore.write s | pairwise fold s |")
    print("|---|---|---|---|")
    for n in sizes:
        entities, claims = records(n)
        started = time.perf_counter()
        _, merged = merge_batch(entities, claims)
        grouped = time.perf_counter() - started
        assert len(merged) == 1 and len(merged[0].evidence) == n
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            EmbeddedStore(Path(tmp)).write(entities, claims)
            written = time.perf_counter() - started
            stored = list(EmbeddedStore(Path(tmp)).claims())
            assert len(stored) == 1 and len(stored[0].evidence) == n
        pairwise = "not run"
        if n <= PAIRWISE_MAX:
            started = time.perf_counter()
            functools.reduce(lambda a, b: a.merged_with(b), claims)
            pairwise = f"{time.perf_counter() - started:.2f}"
        print(f"| {n:,} | {grouped:.2f} | {written:.2f} | {pairwise} |", flush=True)


if __name__ == "__main__":
    main()
