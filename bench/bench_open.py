"""``python -m bench.bench_open``: embedded open + first answer, and plain-BFS baselines.

For one generated graph (``--links``, loaded once into ``bench/out/queries-db``), each
figure runs in a fresh process, ``--repeats`` times, with the load average beside it:

* ``full``: the store read eagerly and the traversal view rebuilt (before issue 17);
* ``lazy``: ``EmbeddedStore(lazy=True)`` (what the CLI opens) answering from the
  persisted ``view.bin`` - open, first ``reachable-suppliers``, then ``exposure``;
* ``bfs``: networkx and rustworkx breadth-first search over the same SUPPLIES edges
  (upstream from the buyer, downstream from the hub), graph construction timed apart.

Prints a Markdown table and writes ``bench/out/open-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import OUT, SEED, dataset, log, run_probe

MODES = ("full", "lazy", "bfs")


def load_average() -> float:
    """The one-minute load average (2 cores: above 2 means waiting for a core)."""
    return os.getloadavg()[0]


def probe(db: Path, mode: str, params: dict[str, str]) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    import chipkg.queries as q
    from chipkg.graph import EmbeddedStore
    from chipkg.graph.view import view_of

    result: dict[str, Any] = {"mode": mode, "load_before": load_average()}
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "bfs":
        return {**result, **bfs(EmbeddedStore(db, lazy=True), params)}
    store = EmbeddedStore(db, lazy=mode == "lazy")
    if mode == "full":
        view_of(store, fresh=True)
    result["open_seconds"] = time.perf_counter() - started
    result["open_cpu_seconds"] = time.process_time() - cpu
    answer = q.reachable_suppliers(store, params["buyer"], on=params["on"])
    result["first_answer_seconds"] = time.perf_counter() - started
    result["first_answer_cpu_seconds"] = time.process_time() - cpu
    result["reachable"] = len(answer.reachable)
    for name, call in (
        ("exposure", lambda: q.exposure(store, params["hub"], on=params["on"])),
        ("reachable_again", lambda: q.reachable_suppliers(store, params["buyer"], on=params["on"])),
    ):
        before, cpu = time.perf_counter(), time.process_time()
        call()
        result[f"{name}_seconds"] = time.perf_counter() - before
        result[f"{name}_cpu_seconds"] = time.process_time() - cpu
    result["load_after"] = load_average()
    return result


def bfs(store: Any, params: dict[str, str]) -> dict[str, Any]:
    """networkx and rustworkx BFS over the SUPPLIES edges of the persisted view."""
    import networkx as nx

    from chipkg.graph.view import view_of

    view = view_of(store)
    t = view.tables
    start, end = t.pred_ranges["SUPPLIES"]
    edges = [(t.subj[n], t.obj[n]) for n in range(start, end)]
    number = {i: n for n, i in enumerate(t.ids)}
    buyer, hub = number[params["buyer"]], number[params["hub"]]
    out: dict[str, Any] = {"edges": len(edges)}
    before = time.perf_counter()
    graph = nx.DiGraph(edges)
    out["networkx_build_seconds"] = time.perf_counter() - before
    before = time.perf_counter()
    up = nx.descendants(graph.reverse(copy=False), buyer)
    down = nx.descendants(graph, hub)
    out["networkx_bfs_seconds"] = time.perf_counter() - before
    out["upstream"], out["downstream"] = len(up), len(down)
    try:
        import rustworkx as rx
    except ImportError:
        return out
    before = time.perf_counter()
    rgraph = rx.PyDiGraph()
    rgraph.add_nodes_from(range(len(t.ids)))
    rgraph.add_edges_from_no_data(edges)
    out["rustworkx_build_seconds"] = time.perf_counter() - before
    before = time.perf_counter()
    rx.ancestors(rgraph, buyer)
    rx.descendants(rgraph, hub)
    out["rustworkx_bfs_seconds"] = time.perf_counter() - before
    return out


def loaded_db(links: int, seed: int) -> Path:
    """The bench store for ``links`` (loaded once, compacted into one base)."""
    data = dataset(links, seed)
    db = OUT / "queries-db" / data.directory.name
    if not (db / ".loaded").exists():
        log(f"loading {links:,} links into {db}")
        run_probe("bench.probe_embedded", "load", str(data.directory), str(db), "100000")
        (db / ".loaded").write_text("ok\n")
    return db


def table(rows: list[dict[str, Any]]) -> str:
    """Medians per mode, with the load averages seen."""
    lines = [
        "| links | figure | runs (s) | load avg (1 min) |",
        "|---|---|---|---|",
    ]
    keys = (
        ("full", "open_seconds", "full read + view rebuild"),
        ("full", "first_answer_seconds", "full: open + first reachable-suppliers"),
        ("full", "first_answer_cpu_seconds", "full: the same, CPU seconds"),
        ("lazy", "open_seconds", "lazy open (view.bin)"),
        ("lazy", "first_answer_seconds", "lazy: open + first reachable-suppliers"),
        ("lazy", "first_answer_cpu_seconds", "lazy: the same, CPU seconds"),
        ("lazy", "exposure_seconds", "exposure (after the first answer)"),
        ("lazy", "exposure_cpu_seconds", "exposure, CPU seconds"),
        ("lazy", "reachable_again_seconds", "reachable-suppliers again"),
        ("bfs", "networkx_bfs_seconds", "networkx BFS up + down (SUPPLIES)"),
        ("bfs", "rustworkx_bfs_seconds", "rustworkx BFS up + down (SUPPLIES)"),
    )
    for row in rows:
        for mode, key, label in keys:
            runs = [r[key] for r in row["runs"] if r["mode"] == mode and key in r]
            loads = [r["load_before"] for r in row["runs"] if r["mode"] == mode and key in r]
            if runs:
                figures = ", ".join(f"{v:.2f}" for v in runs)
                load = ", ".join(f"{v:.1f}" for v in loads)
                lines.append(f"| {row['links']:,} | {label} | {figures} | {load} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_open", description=__doc__)
    parser.add_argument("--links", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--db", type=Path, help="use this store instead of a generated one")
    args = parser.parse_args(argv)
    from bench.queries import params

    rows = []
    for links in args.links:
        db = args.db or loaded_db(links, args.seed)
        p = json.dumps(params(links, args.seed))
        runs = []
        for _ in range(args.repeats):
            for mode in args.modes:
                log(f"{mode} on {links:,} links (load {load_average():.1f})")
                runs.append(run_probe("bench.bench_open", "--probe", str(db), mode, p))
        rows.append({"links": links, "runs": runs})
    print(table(rows))
    path = OUT / "open-latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        db, mode, raw = sys.argv[2:5]
        print(json.dumps(probe(Path(db), mode, json.loads(raw))))
    else:
        main()
