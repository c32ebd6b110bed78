"""One recorded run at a size too big for the main bench: ``python -m bench.huge``.

Issue 17 item 5 (10M links): ``chipkg load`` of the generated JSON lines as a user runs
it, then the first answers, each step a separate ``chipkg`` process whose wall clock,
CPU and peak RSS (``wait4``) are recorded, with the load average and free disk beside
them. ``--backend embedded`` loads a store under ``bench/out/huge-db``;
``--backend neo4j`` starts a managed server in ``bench/out/huge-neo4j`` (ports
``BENCH_NEO4J_BOLT_PORT``/``HTTP_PORT`` + 10) and loads it through the bulk path.
Both need disk: see ``bench/RESULTS.md`` for what a 10M run takes. Prints a table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.common import OUT, dataset, log
from bench.neo4j_bench import BOLT_PORT, HTTP_PORT
from bench.queries import params


@dataclass
class Step:
    """One ``chipkg`` process and what it cost."""

    name: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: int
    exit_code: int
    loadavg: float
    free_gb: float


def _free_gb() -> float:
    return shutil.disk_usage(OUT).free / 1e9


def measure(name: str, argv: list[str], env: dict[str, str]) -> Step:
    """Run one command and return its wall clock, CPU and peak RSS (of its process tree)."""
    log(f"{name}: {' '.join(argv)}")
    loadavg = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Step(name, wall, cpu, usage.ru_maxrss // 1024, code, loadavg, _free_gb())


def steps(backend: str, links: int, seed: int) -> list[tuple[str, list[str]]]:
    """The commands of one run, in order."""
    data = dataset(links, seed)
    p = params(links, seed)
    chipkg = [sys.executable, "-m", "chipkg"]
    where = ["--db", str(OUT / "huge-db")] if backend == "embedded" else ["--neo4j"]
    load = [*chipkg, "load", *where, "-q", *map(str, data.files)]
    if backend == "neo4j":
        load.insert(len(load) - len(data.files), "--bulk")
    ask = [*chipkg, "ask", "reachable-suppliers", p["buyer"], "--on", p["on"], *where]
    exposure = [*chipkg, "ask", "exposure", p["hub"], "--on", p["on"], *where]
    run = [("load", load), ("first reachable-suppliers", ask), ("second reachable-suppliers", ask)]
    run += [("exposure", exposure), ("exposure again", exposure)]
    if backend == "neo4j":
        run.insert(0, ("server start", [*chipkg, "neo4j", "start"]))
        run.append(("server stop", [*chipkg, "neo4j", "stop"]))
    return run


def environment(backend: str) -> dict[str, str]:
    """The commands' environment: a bench-owned Neo4j home and ports."""
    env = dict(os.environ)
    if backend == "neo4j":
        env["CHIPKG_NEO4J_HOME"] = str(OUT / "huge-neo4j")
        env["CHIPKG_NEO4J_BOLT_PORT"] = str(BOLT_PORT + 10)
        env["CHIPKG_NEO4J_HTTP_PORT"] = str(HTTP_PORT + 10)
    return env


def table(backend: str, links: int, done: list[Step]) -> str:
    """The run as a markdown table."""
    lines = [
        f"### {links:,} links, {backend}",
        "",
        "| step | wall s | CPU s | peak RSS MB | exit | load avg at start | free disk GB after |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in done:
        lines.append(
            f"| {s.name} | {s.wall_s:,.1f} | {s.cpu_s:,.1f} | {s.peak_rss_mb:,} | "
            f"{s.exit_code} | {s.loadavg:.1f} | {s.free_gb:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    args = parser.parse_args()
    target = OUT / ("huge-db" if args.backend == "embedded" else "huge-neo4j")
    shutil.rmtree(target, ignore_errors=True)
    env = environment(args.backend)
    done: list[Step] = []
    for name, argv in steps(args.backend, args.links, args.seed):
        done.append(measure(name, argv, env))
        if done[-1].exit_code != 0 and name != "server stop":
            log(f"{name} failed (exit {done[-1].exit_code}); stopping the run")
            break
    if args.backend == "neo4j" and done[-1].name != "server stop":
        subprocess.run([sys.executable, "-m", "chipkg", "neo4j", "stop"], env=env, check=False)
    print(table(args.backend, args.links, done))
    if not args.keep:
        shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
