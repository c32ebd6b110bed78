"""Peak memory of ``chipkg load`` on a FollowTheMoney file: ``python -m bench.bench_ftm_memory``.

``--mb 100,1024`` sizes (synthetic files in the published OpenSanctions shape, written by
``bench.bench_ftm.generate``), ``--backend embedded,neo4j``. Each load runs the real CLI
in a child process (``chipkg load FILE --format ftm``, into a fresh embedded store or the
CLEARED Neo4j the environment names); its peak RSS comes from ``wait4``. Prints one JSON
line per run with the load average, because the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_ftm import generate

LOADED = re.compile(r"loaded (\d+) entities .*? and (\d+) claims")


def _clear_neo4j() -> None:
    from chipkg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore.from_env()
    try:
        store.clear()
    finally:
        store.close()


def load(path: Path, backend: str) -> dict[str, Any]:
    """Run ``chipkg load`` on ``path`` in a child; wall time, peak RSS and what it wrote."""
    workdir = Path(tempfile.mkdtemp(prefix="chipkg-ftm-mem-"))
    target = ["--neo4j"] if backend == "neo4j" else ["--db", str(workdir / "db")]
    if backend == "neo4j":
        _clear_neo4j()
    command = [sys.executable, "-m", "chipkg", "load", str(path), "--format", "ftm", "-q"]
    if backend == "neo4j":  # the streamed write, not the bulk import an empty database gets
        command.append("--no-bulk")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(workdir / "out", "w") as out, open(workdir / "err", "w") as err:
        child = subprocess.Popen([*command, *target], stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    text = (workdir / "out").read_text() + (workdir / "err").read_text()
    shutil.rmtree(workdir, ignore_errors=True)
    if status != 0:
        raise RuntimeError(f"chipkg load failed ({status}): {text[-500:]}")
    found = LOADED.search(text)
    return {
        "backend": backend,
        "file_mb": round(path.stat().st_size / 1e6),
        "entities": int(found.group(1)) if found else None,
        "claims": int(found.group(2)) if found else None,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", default="100", help="comma-separated file sizes in MB")
    parser.add_argument("--backend", default="embedded,neo4j", help="embedded and/or neo4j")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the files go")
    args = parser.parse_args()
    for megabytes in (int(m) for m in args.mb.split(",")):
        path = args.dir / f"chipkg-bench-published-{megabytes}mb.ftm.json"
        if not path.exists():
            generate(path, megabytes, "published")
        for backend in args.backend.split(","):
            print(json.dumps({"mb": megabytes, **load(path, backend)}), flush=True)
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
