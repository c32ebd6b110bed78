"""Journal store vs SQLite (WAL) for the embedded engine: load rate, open time, memory.

``python -m bench.bench_engines [LINKS ...]`` (default 100000): each figure comes from
a fresh process (``bench.probe_embedded`` / ``bench.probe_sqlite``), one run each,
printed as a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import dataset, log, run_probe

BATCH = 50_000


def measure(links: int, work: Path) -> list[str]:
    """Two table rows (journal, SQLite) for one data-set size."""
    data = dataset(links)
    journal, lite = work / f"journal-{links}", work / f"sqlite-{links}.db"
    log(f"{links:,} links: journal load")
    jl = run_probe("bench.probe_embedded", "load", str(data.directory), str(journal), str(BATCH))
    log("journal open")
    jo = run_probe("bench.probe_embedded", "open", str(journal))
    log("sqlite load")
    sl = run_probe("bench.probe_sqlite", "load", str(data.directory), str(lite), str(BATCH))
    log("sqlite open")
    so = run_probe("bench.probe_sqlite", "open", str(lite))
    size = sum(f.stat().st_size for f in journal.iterdir()) / 2**20
    claims = data.claims
    return [
        f"| {links:,} | journal (now) | {jl['write_seconds']:.1f} | "
        f"{claims / jl['write_seconds']:,.0f} | {jl['peak_rss_mb']:,.0f} | "
        f"{jo['open_seconds']:.2f} (full read) | {jo['store_rss_mb']:,.0f} | {size:,.0f} |",
        f"| {links:,} | SQLite WAL | {sl['write_seconds']:.1f} | "
        f"{claims / sl['write_seconds']:,.0f} | {sl['peak_rss_mb']:,.0f} | "
        f"{so['first_lookup_seconds']:.3f} first lookup / {so['full_read_seconds']:.2f} full read | "
        f"{so['lookup_rss_mb']:,.0f} / {so['full_read_rss_mb']:,.0f} | {sl['file_mb']:,.0f} |",
    ]


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    work = Path(tempfile.mkdtemp(prefix="chipkg-engines-"))
    try:
        rows = [row for links in sizes for row in measure(links, work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        "| links | engine | write s | claims/s | peak RSS MiB (load) | open s | held MiB | disk MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
