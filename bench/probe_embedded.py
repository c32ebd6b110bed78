"""Embedded-store measurements, each in a fresh process so memory figures are its own.

``python -m bench.probe_embedded load DATA DB BATCH``: stream a data set into a new
store in batches; time only the ``write`` calls (parsing is timed apart), report peak RSS.
``python -m bench.probe_embedded open DB``: time opening the store and the memory it holds.
``python -m bench.probe_embedded cli DATA DB``: time the user's path, ``chipkg load --db DB
-q entities.jsonl claims.jsonl`` in a child process (wall clock and its CPU seconds).
Each prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Dataset, batches
from chipkg.graph import EmbeddedStore


def rss_mb() -> float:
    """Resident memory now (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(data_dir: Path, db: Path, batch: int) -> dict[str, Any]:
    """Stream the data set into a fresh store."""
    manifest = json.loads((data_dir / "manifest.json").read_text())
    data = Dataset(int(manifest["links"]), data_dir, manifest)
    shutil.rmtree(db, ignore_errors=True)
    store = EmbeddedStore(db)
    base = rss_mb()
    write = 0.0
    started = time.perf_counter()
    for entities, claims in batches(data, batch):
        before = time.perf_counter()
        store.write(entities, claims)
        write += time.perf_counter() - before
    total = time.perf_counter() - started
    return {
        "write_seconds": write,
        "total_seconds": total,
        "peak_rss_mb": peak_mb(),
        "base_rss_mb": base,
        "counts": store.counts().to_json(),
    }


def open_db(db: Path) -> dict[str, Any]:
    """Open a store; report time, resident memory it adds, and its index sizes."""
    gc.collect()
    base = rss_mb()
    started = time.perf_counter()
    store = EmbeddedStore(db)
    seconds = time.perf_counter() - started
    gc.collect()
    held = rss_mb() - base
    return {"open_seconds": seconds, "store_rss_mb": held, "stats": store.stats()}


def cli_load(data_dir: Path, db: Path) -> dict[str, Any]:
    """``chipkg load`` of the data set's two files into a new store, as a user runs it."""
    shutil.rmtree(db, ignore_errors=True)
    files = [str(data_dir / name) for name in ("entities.jsonl", "claims.jsonl")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "chipkg", "load", "--db", str(db), "-q", *files],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cli_seconds": wall, "cli_cpu_seconds": cpu, "peak_rss_mb": after.ru_maxrss / 1024}


def main() -> None:
    mode, *args = sys.argv[1:]
    if mode == "load":
        result = load(Path(args[0]), Path(args[1]), int(args[2]))
    elif mode == "cli":
        result = cli_load(Path(args[0]), Path(args[1]))
    elif mode == "open":
        result = open_db(Path(args[0]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
