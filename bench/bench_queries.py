"""``python -m bench.bench_queries``: the canned queries on generated graphs, both backends.

reachable-suppliers, exposure and chokepoints on ``chipkg synth`` graphs of 10k and
100k supply links (1M with ``--big``), embedded and Neo4j side by side, medians of
``--repeats`` runs after one warm-up. The arguments come from the generator's layout
(:func:`bench.queries.params`), so every size asks the same kind of question. The
embedded figures run in a fresh process and exclude the one-off traversal-view build
(timed apart); Neo4j is a benchmark-only instance (``bench/out/neo4j-queries``, Bolt
7721) loaded with ``neo4j-admin database import``. Both answers' sizes are printed, so
a reader sees the two backends did the same work. Prints a table and writes
``bench/out/queries-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.common import OUT, SEED, dataset, log, machine, run_probe

SIZES = (10_000, 100_000)
BIG = 1_000_000
BOLT, HTTP = 7721, 7521


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_queries", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--big", action="store_true", help=f"also {BIG:,} links")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-neo4j", action="store_true", help="embedded only")
    parser.add_argument("--keep", action="store_true", help="leave the Neo4j instance running")
    return parser.parse_args(argv)


def embedded(links: int, seed: int, repeats: int) -> dict[str, Any]:
    """Load the data set into an embedded store once (cached), then time in a fresh process."""
    from bench.queries import params

    data = dataset(links, seed)
    db = OUT / "queries-db" / data.directory.name
    if not (db / ".loaded").exists():
        log(f"loading {links:,} links into {db}")
        run_probe("bench.probe_embedded", "load", str(data.directory), str(db), "50000")
        (db / ".loaded").write_text("ok\n")
    log(f"embedded queries on {links:,} links")
    p = json.dumps(params(links, seed))
    return run_probe("bench.queries", str(db), p, str(repeats))


class QueriesNeo4j:
    """A Neo4j instance for this benchmark only (own home and ports)."""

    def __init__(self) -> None:
        os.environ.setdefault("BENCH_NEO4J_BOLT_PORT", str(BOLT))
        os.environ.setdefault("BENCH_NEO4J_HTTP_PORT", str(HTTP))
        from bench.neo4j_bench import BenchNeo4j
        from chipkg.graph.server import ManagedNeo4j

        self.bench = BenchNeo4j()
        old = self.bench.server
        self.bench.server = ManagedNeo4j(
            home=OUT / "neo4j-queries",
            bolt_port=int(os.environ["BENCH_NEO4J_BOLT_PORT"]),
            http_port=int(os.environ["BENCH_NEO4J_HTTP_PORT"]),
            dist_dir=old.dist_dir if old.installed else None,
        )

    def run(self, links: int, seed: int, repeats: int) -> dict[str, Any]:
        """Import the data set with neo4j-admin, then time the queries."""
        from bench.neo4j_bench import admin_import
        from bench.queries import params, time_queries

        data = dataset(links, seed)
        marker = OUT / "neo4j-queries" / "imported.txt"
        if marker.exists() and marker.read_text().strip() == data.directory.name:
            log(f"neo4j already holds {data.directory.name}")
            loaded: dict[str, Any] = {"reused": True}
        else:
            log(f"neo4j-admin import of {links:,} links")
            marker.unlink(missing_ok=True)
            loaded = admin_import(self.bench, data)
            marker.write_text(data.directory.name + "\n")
        log(f"neo4j queries on {links:,} links")
        timings = time_queries(self.bench.store(5_000), params(links, seed), repeats)
        return {"import": loaded, "queries": timings}


def table(results: list[dict[str, Any]]) -> str:
    """The side-by-side table (Markdown, readable in a terminal)."""
    lines = [
        "| links | query | embedded ms | neo4j ms | answer (embedded) | answer (neo4j) |",
        "|---|---|---|---|---|---|",
    ]
    for row in results:
        emb = row["embedded"]["queries"]
        neo = row.get("neo4j", {}).get("queries", {})
        for name, timing in emb.items():
            other = neo.get(name)
            neo_ms = f"{other['median'] * 1000:,.0f}" if other else "-"
            lines.append(
                f"| {row['links']:,} | {name} | {timing['median'] * 1000:,.1f} | {neo_ms} | "
                f"{_size(timing)} | {_size(other) if other else '-'} |"
            )
    builds = ", ".join(
        f"{r['links']:,}: {r['embedded']['view_build_seconds']:.1f} s" for r in results
    )
    lines.append(f"\nEmbedded traversal view build (once per process): {builds}.")
    return "\n".join(lines)


def _size(timing: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in timing["answer"].items())


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [*args.sizes, *([BIG] if args.big else [])]
    neo = None if args.no_neo4j else QueriesNeo4j()
    results: list[dict[str, Any]] = []
    try:
        if neo is not None:
            neo.bench.start()
        for links in sizes:
            row: dict[str, Any] = {"links": links}
            row["embedded"] = embedded(links, args.seed, args.repeats)
            if neo is not None:
                row["neo4j"] = neo.run(links, args.seed, args.repeats)
            results.append(row)
    finally:
        if neo is not None and not args.keep:
            neo.bench.stop()
    text = table(results)
    print(text)
    out = {"machine": machine(), "seed": args.seed, "repeats": args.repeats, "results": results}
    path = OUT / "queries-latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwritten {Path(path).relative_to(OUT.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
