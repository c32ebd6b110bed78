"""Issue 18's acceptance loop: 2 and 4 concurrent ``chipkg load`` runs, 20 tries, both backends.

``python -m bench.concurrent_loads [--tries 20] [--companies 1000] [--backends embedded,neo4j]
[--wipe-neo4j]``

Each writer loads its own JSON-lines file: the same companies and the same
SUPPLIES facts as every other writer (its own aliases and its own evidence rows),
plus companies of its own. All writers of a try start together (each ``chipkg``
process waits on a start file after importing); afterwards the store must hold
exactly what loading the files one after the other into a fresh embedded store
holds: every entity with every alias, every claim with every piece of evidence.
Neo4j uses the ``NEO4J_*`` / ``CHIPKG_NEO4J_*`` environment and is wiped before
every try, so point it at a test database. Prints one line per try and a summary.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chipkg.graph import EmbeddedStore, Store
from chipkg.ontology import Claim, Entity

CHIPKG = str(Path(sys.executable).with_name("chipkg"))
START = """
import sys, time, pathlib
go = pathlib.Path(sys.argv.pop(1))
from chipkg.cli import main
while not go.exists():
    time.sleep(0.005)
main()
"""


def writer_file(path: Path, worker: int, companies: int) -> Path:
    """One writer's input: shared entities and facts, its own aliases and evidence."""
    lines = [{"kind": "entity", "id": f"source/w{worker}", "label": "Source", "name": f"W{worker}"}]
    for j in range(companies):
        lines.append(
            {
                "kind": "entity",
                "id": f"company/c{j}",
                "label": "Company",
                "name": f"Company {j}",
                "aliases": [f"c{j} by w{worker}"],
            }
        )
        lines.append(
            {"kind": "entity", "id": f"company/w{worker}-{j}", "label": "Company", "name": f"W{j}"}
        )
    for j in range(companies):
        for obj in (f"company/c{(j + 1) % companies}", f"company/w{worker}-{j}"):
            lines.append(
                {
                    "kind": "claim",
                    "subject": f"company/c{j}",
                    "predicate": "SUPPLIES",
                    "object": obj,
                    "evidence": [{"source": f"source/w{worker}", "row": j + 1}],
                }
            )
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def contents(store: Store) -> tuple[list[Entity], list[Claim]]:
    return list(store.entities()), list(store.claims())


def run_together(files: list[Path], target: list[str], work: Path) -> list[int]:
    go = work / "go"
    go.unlink(missing_ok=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START, str(go), "load", str(f), *target, "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    time.sleep(3.0)  # all imported and waiting
    go.touch()
    codes = []
    for proc in procs:
        _, err = proc.communicate(timeout=1800)
        if proc.returncode:
            print(f"    writer failed ({proc.returncode}): {err.strip()[-300:]}", flush=True)
        codes.append(proc.returncode)
    return codes


def one_try(backend: str, files: list[Path], expected: tuple[Any, Any], work: Path) -> bool:
    """One round of concurrent loads; True when the store equals the sequential result."""
    if backend == "embedded":
        db = work / f"db-{time.monotonic_ns()}"
        codes = run_together(files, ["--db", str(db)], work)
        got = contents(EmbeddedStore(db))
    else:
        from chipkg.graph.neo4j_store import Neo4jStore

        with Neo4jStore.from_env() as neo:
            neo.clear()
        codes = run_together(files, ["--neo4j"], work)
        with Neo4jStore.from_env() as neo:
            got = contents(neo)
    return not any(codes) and got == expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument("--writers", default="2,4")
    parser.add_argument(
        "--wipe-neo4j",
        action="store_true",
        help="required for the neo4j backend: the database is wiped before every try",
    )
    args = parser.parse_args()
    if "neo4j" in args.backends and not args.wipe_neo4j:
        parser.error("the neo4j backend wipes its database: pass --wipe-neo4j (test server only)")
    with tempfile.TemporaryDirectory(prefix="chipkg-concurrent-") as tmp:
        work = Path(tmp)
        plans = {}
        for writers in [int(w) for w in args.writers.split(",")]:
            files = [writer_file(work / f"w{w}.jsonl", w, args.companies) for w in range(writers)]
            reference = work / f"reference-{writers}"
            for f in files:
                subprocess.run(
                    [CHIPKG, "load", str(f), "--db", str(reference), "-q"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            plans[writers] = (files, contents(EmbeddedStore(reference)))
        same: dict[tuple[str, int], int] = {}
        for attempt in range(args.tries):  # every configuration once per try
            for writers, (files, expected) in plans.items():
                for backend in args.backends.split(","):
                    good = one_try(backend, files, expected, work)
                    same[backend, writers] = same.get((backend, writers), 0) + good
                    verdict = "same" if good else "DIFFERENT"
                    print(f"try {attempt + 1}: {backend}, {writers} writers: {verdict}", flush=True)
        for (backend, writers), ok in same.items():
            print(f"{backend}, {writers} writers: {ok}/{args.tries} tries equal to sequential")
        print(f"({args.companies} shared companies and {2 * args.companies} claims per writer)")


if __name__ == "__main__":
    main()
