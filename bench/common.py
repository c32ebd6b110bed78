"""Shared benchmark plumbing: data sets, timing with medians, machine facts, record streams."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import from_obj
from chipkg.synth import generate
from chipkg.synth.output import CLAIM_FILE, ENTITY_FILE, MANIFEST, write_dir

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SEED = 42


def log(message: str) -> None:
    """Progress on stderr, so stdout keeps only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Dataset:
    """One generated graph on disk (chipkg JSON lines) and its manifest."""

    links: int
    directory: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def entities(self) -> int:
        return int(self.manifest["entities"])

    @property
    def claims(self) -> int:
        return int(self.manifest["claims"])

    @property
    def files(self) -> list[Path]:
        return [self.directory / ENTITY_FILE, self.directory / CLAIM_FILE]


def dataset(links: int, seed: int = SEED) -> Dataset:
    """The generated graph for ``links`` (cached under bench/out/data; regenerated if absent)."""
    directory = OUT / "data" / f"links-{links}-seed-{seed}"
    manifest_path = directory / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("links") == links and manifest.get("seed") == seed:
            return Dataset(links, directory, manifest)
    log(f"generating {links:,} links into {directory}")
    started = time.perf_counter()
    write_dir(generate(links, seed), directory, {"links": links, "seed": seed}, lambda n: None)
    manifest = json.loads(manifest_path.read_text())
    manifest["generate_seconds"] = round(time.perf_counter() - started, 2)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return Dataset(links, directory, manifest)


def records(data: Dataset) -> Iterator[Entity | Claim]:
    """Every record of a data set, parsed and validated line by line (bounded memory)."""
    for path in data.files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield from_obj(json.loads(line))


def batches(data: Dataset, size: int) -> Iterator[tuple[list[Entity], list[Claim]]]:
    """Records in batches of ``size`` (entities first, so claims find their endpoints)."""
    entities: list[Entity] = []
    claims: list[Claim] = []
    for record in records(data):
        if isinstance(record, Entity):
            entities.append(record)
        else:
            claims.append(record)
        if len(entities) + len(claims) >= size:
            yield entities, claims
            entities, claims = [], []
    if entities or claims:
        yield entities, claims


def median_of(runs: int, work: Callable[[], float]) -> dict[str, Any]:
    """Run ``work`` (which returns seconds) ``runs`` times: median, min, max and all runs."""
    values = [work() for _ in range(runs)]
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": [round(v, 4) for v in values],
    }


def timed(work: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "ram_gib": round(ram / 2**30, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "git_commit": _git_commit(),
    }


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip()
    except OSError:
        return ""


def run_probe(module: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh process; its last stdout line is JSON."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed: {proc.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result
