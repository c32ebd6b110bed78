"""End-to-end ``chipkg load --neo4j --bulk`` against ``neo4j-admin database import`` alone.

Run: ``python -m bench.bench_bulk --links 100000`` (BENCH_NEO4J_BOLT_PORT/HTTP_PORT pick
the benchmark instance's ports). The end-to-end figure is the wall clock of the CLI as a
user runs it on synth files: parse and check, write the CSV, stop the server, import,
start, schema and after-import Cypher, index wait. "Admin alone" is the import tool on a
ready-made CSV of the same graph (``neo4j_bench.admin_import``), the floor of any bulk path.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from typing import Any

from bench import neo4j_bench
from bench.common import OUT, Dataset, dataset, log
from chipkg.graph.neo4j_settings import Neo4jSettings, connect
from chipkg.graph.neo4j_store import Neo4jStore

PHASE = re.compile(r"bulk: (.+?) (?:took|in) ([0-9.]+)s")


def _store(bench: neo4j_bench.BenchNeo4j) -> Neo4jStore:
    settings = Neo4jSettings(bench.server.bolt_uri, password=bench.server.password())
    return Neo4jStore(connect(settings), "neo4j", settings.uri)


def end_to_end(bench: neo4j_bench.BenchNeo4j, data: Dataset) -> dict[str, Any]:
    """Wall seconds of ``chipkg load --neo4j --bulk`` into the emptied instance, and phases."""
    store = _store(bench)
    store.clear()
    store.close()
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "NEO4J_PASSWORD")}
    env.update(
        CI="1",
        CHIPKG_NEO4J_HOME=str(bench.server.home),
        CHIPKG_NEO4J_BOLT_PORT=str(bench.server.bolt_port),
        CHIPKG_NEO4J_HTTP_PORT=str(bench.server.http_port),
        CHIPKG_NEO4J_DIST=str(bench.server.dist_dir),
    )
    cmd = [sys.executable, "-m", "chipkg", "load", *map(str, data.files), "--neo4j", "--bulk"]
    started = time.perf_counter()
    proc = subprocess.run([*cmd, "-q"], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"bulk load failed: {proc.stderr.strip()}")
    store = _store(bench)
    counts = store.counts().to_json()
    store.close()
    if sum(counts["relationships"].values()) != data.claims:
        raise RuntimeError(f"bulk load gave {counts}, expected {data.claims} claims")
    phases = {name: float(value) for name, value in PHASE.findall(proc.stderr)}
    return {"seconds": seconds, "phases": phases}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_bulk")
    parser.add_argument("--links", type=int, default=100_000)
    args = parser.parse_args(argv)
    data = dataset(args.links)
    bench = neo4j_bench.BenchNeo4j()
    bench.start()
    try:
        log(f"bulk load end to end, {args.links:,} links ({data.claims:,} claims)")
        e2e = end_to_end(bench, data)
        log("neo4j-admin import alone")
        admin = neo4j_bench.admin_import(bench, data)
    finally:
        bench.stop()
    result = {
        "links": args.links,
        "claims": data.claims,
        "entities": data.entities,
        "end_to_end": e2e,
        "admin": admin,
        "rels_per_s": data.claims / e2e["seconds"],
        "ratio_to_admin": e2e["seconds"] / admin["import_seconds"],
        "ratio_to_admin_and_schema": e2e["seconds"]
        / (admin["import_seconds"] + admin["after_import_seconds"]),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"bulk-{args.links}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
