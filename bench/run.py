"""``python -m bench`` (``make bench``): load and query benchmarks, embedded and Neo4j side by side.

For each size (10k and 100k supply links; 1M with ``--big``) it generates the
graph once (cached in ``bench/out/data``), then measures in one run, so the
figures share the machine's state: the embedded store's load, open and memory;
Neo4j loading with chipkg's batched writer, a naive per-claim loop (sample,
extrapolated) and ``neo4j-admin database import``; and the canned queries on
both backends. Medians of ``--repeats`` runs. Prints tables, writes
``bench/out/bench-<time>.json``, ``bench/out/latest.json`` and ``latest.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import OUT, ROOT, SEED, Dataset, dataset, log, machine, median_of, run_probe
from bench.report import markdown, print_tables
from chipkg.errors import ChipkgError
from chipkg.graph.neo4j_store import DEFAULT_BATCH

DEFAULT_SIZES = (10_000, 100_000)
BIG = 1_000_000
INCREMENTAL_BASE = 10_000  # links already stored before the timed transactional load
INCREMENTAL_MAX = 100_000  # the incremental figure is at 100k; 1M would take an hour


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of supply links")  # fmt: skip
    parser.add_argument("--big", action="store_true", help=f"also run {BIG:,} links")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--query-repeats", type=int, default=None,
                        help="timed runs per query after its warm-up (default: --repeats); "
                        "at 1M a single load run and five query runs fit one session")  # fmt: skip
    parser.add_argument("--no-neo4j", action="store_true", help="embedded only")
    parser.add_argument("--no-embedded", action="store_true", help="Neo4j only")
    parser.add_argument("--no-admin-import", action="store_true", help="skip neo4j-admin import")
    parser.add_argument("--no-neo4j-queries", action="store_true",
                        help="Neo4j loads only (time the queries later, e.g. after a query change)")  # fmt: skip
    parser.add_argument("--naive-sample", type=int, default=1000, help="claims in the naive loop")
    parser.add_argument("--batch-sizes", default=str(DEFAULT_BATCH),
                        help="comma-separated Neo4jStore transaction batch sizes to time "
                        "(default: the store's)")  # fmt: skip
    parser.add_argument("--feed", type=int, default=50_000, help="records per store.write call")
    parser.add_argument("--no-extract", action="store_true", help="skip bench/bench_extract.py")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the networkx/rustworkx BFS baseline (it holds its own copy of "
                        "the graph: too much memory at 10M links)")  # fmt: skip
    return parser.parse_args(argv)


def embedded_section(data: Dataset, db: Path, repeats: int, feed: int) -> dict[str, Any]:
    """Load (write-only and end-to-end), open and memory, each run in a fresh process."""
    loads = [run_probe("bench.probe_embedded", "load", str(data.directory), str(db), str(feed))
             for _ in range(repeats)]  # fmt: skip
    opens = [run_probe("bench.probe_embedded", "open", str(db)) for _ in range(repeats)]
    clis = [run_probe("bench.probe_embedded", "cli", str(data.directory), str(db))
            for _ in range(repeats)]  # fmt: skip
    return {
        "cli_seconds": _median([r["cli_seconds"] for r in clis]),
        "cli_cpu_seconds": _median([r["cli_cpu_seconds"] for r in clis]),
        "write_seconds": _median([r["write_seconds"] for r in loads]),
        "total_seconds": _median([r["total_seconds"] for r in loads]),
        "peak_rss_mb": _median([r["peak_rss_mb"] for r in loads]),
        "open_seconds": _median([r["open_seconds"] for r in opens]),
        "store_rss_mb": _median([r["store_rss_mb"] for r in opens]),
        "stats": opens[-1]["stats"],
        "runs": {"load": loads, "open": opens, "cli": clis},
    }


def open_first(db: Path, links: int, repeats: int, baselines: bool = True) -> dict[str, Any]:
    """Lazy open + first answer from the persisted view (fresh processes), and plain BFS."""
    from bench.queries import params

    p = json.dumps(params(links, SEED))
    runs = [run_probe("bench.bench_open", "--probe", str(db), "lazy", p) for _ in range(repeats)]
    out: dict[str, Any] = {"runs": runs}
    if baselines:
        out["bfs"] = run_probe("bench.bench_open", "--probe", str(db), "bfs", p)
    for key in ("open_seconds", "first_answer_seconds", "exposure_seconds"):
        out[key] = _median([r[key] for r in runs])
    out["load_average"] = [r["load_before"] for r in runs]
    return out


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def neo4j_section(bench: Any, data: Dataset, args: argparse.Namespace) -> dict[str, Any]:
    """Naive sample, batched runs (the last one stays loaded for the queries), then queries."""
    from bench import neo4j_bench
    from bench.queries import params, time_queries

    sizes = [int(b) for b in args.batch_sizes.split(",") if b]
    log(f"neo4j naive loop, {args.naive_sample} claims")
    naive = neo4j_bench.naive_load(bench, data, args.naive_sample)
    by_batch = {}
    for batch in sizes:
        log(f"neo4j batched writer x{args.repeats} (batch {batch})")
        by_batch[str(batch)] = median_of(
            args.repeats, partial(neo4j_bench.batched_load, bench, data, batch, args.feed)
        )
    queries: dict[str, Any] = {}
    if not args.no_neo4j_queries:
        log("neo4j queries")
        queries = time_queries(
            bench.store(sizes[0]), params(data.links, SEED), args.query_repeats or args.repeats
        )
    out: dict[str, Any] = {"batch_size": sizes[0], "batched": by_batch[str(sizes[0])],
                           "by_batch_size": by_batch, "naive": naive, "queries": queries}  # fmt: skip
    if data.links <= INCREMENTAL_MAX:
        from bench.bench_incremental import timed

        log(
            f"neo4j transactional load into a non-empty database ({INCREMENTAL_BASE:,} links stored)"
        )
        out["incremental"] = timed(bench.store(sizes[0]), INCREMENTAL_BASE, data.links)
    if not args.no_admin_import:
        from bench.bench_bulk import end_to_end

        log("chipkg load --neo4j --bulk, end to end")
        try:
            out["bulk"] = end_to_end(bench, data)
        except (ChipkgError, RuntimeError) as exc:
            out["bulk"] = {"error": str(exc)}
        log("neo4j-admin database import")
        try:
            out["admin"] = neo4j_bench.admin_import(bench, data)
        except ChipkgError as exc:
            out["admin"] = {"error": str(exc)}
    return out


def extraction() -> dict[str, Any]:
    """Run the text loader's benchmark (``bench/bench_extract.py``) if it exists."""
    script = ROOT / "bench" / "bench_extract.py"
    if not script.exists():
        return {"error": "bench/bench_extract.py not present"}
    proc = subprocess.run([sys.executable, "-m", "bench.bench_extract", "--json", "--mb", "0.5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)  # fmt: skip
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        try:
            parsed: dict[str, Any] = json.loads(lines[-1])
            return parsed
        except ValueError:
            pass
    return {"error": f"exit {proc.returncode}", "output": (proc.stdout + proc.stderr)[-2000:]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    if args.big and BIG not in sizes:
        sizes.append(BIG)
    from bench.queries import params

    results: dict[str, Any] = {"machine": machine(), "seed": SEED, "repeats": args.repeats,
                               "query_repeats": args.query_repeats or args.repeats,
                               "sizes": {}}  # fmt: skip
    bench = None
    if not args.no_neo4j:
        from bench.neo4j_bench import BenchNeo4j

        bench = BenchNeo4j()
        bench.start()
    started = time.perf_counter()
    try:
        for links in sizes:
            data = dataset(links)
            entry: dict[str, Any] = {"links": links, "entities": data.entities,
                                     "claims": data.claims, "generate_seconds":
                                     data.manifest.get("generate_seconds")}  # fmt: skip
            db = OUT / "db" / data.directory.name
            if not args.no_embedded:
                log(f"{links:,} links: embedded load/open x{args.repeats}")
                entry["embedded"] = embedded_section(data, db, args.repeats, args.feed)
                log(f"{links:,} links: embedded queries")
                entry["embedded"]["queries"] = run_probe(
                    "bench.queries",
                    str(db),
                    json.dumps(params(links, SEED)),
                    str(args.query_repeats or args.repeats),
                )
                log(f"{links:,} links: embedded open + first answer, BFS baselines")
                entry["embedded"]["open_first"] = open_first(
                    db, links, args.repeats, baselines=not args.no_baselines
                )
            if bench is not None:
                entry["neo4j"] = neo4j_section(bench, data, args)
            results["sizes"][str(links)] = entry
    finally:
        if bench is not None:
            bench.stop()
    if not args.no_extract:
        log("extraction throughput")
        results["extraction"] = extraction()
    results["seconds"] = round(time.perf_counter() - started, 1)
    save(results)
    print_tables(results)


def save(results: dict[str, Any]) -> None:
    """JSON (timestamped and latest) and the markdown tables for RESULTS.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"bench-{stamp}.json").write_text(text)
    (OUT / "latest.json").write_text(text)
    (OUT / "latest.md").write_text(markdown(results))
    log(f"wrote {OUT / f'bench-{stamp}.json'} and {OUT / 'latest.md'}")


if __name__ == "__main__":
    main()
