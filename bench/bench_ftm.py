"""FollowTheMoney loading at scale: ``python -m bench.bench_ftm [--mb 1024] [--mix M] [--json]``.

Writes a synthetic file in the published OpenSanctions shape (one FtM entity per line:
``id``, ``caption``, ``schema``, ``properties``, ``referents``, ``datasets``,
``first_seen``, ``last_seen``, ``last_change``, ``target``) to /tmp, then loads it with
``chipkg.loaders.ftm`` in a fresh process and reports wall time, MB/s, records/s and peak
RSS. Nothing is written to a store: this measures the loader (reading, resolving,
building records), which must hold what it loads but never the file. ``--streamed``
reads as ``chipkg load`` does (resolver, ids and records in a temporary SQLite file) and
then reads every parked record back, as the write would: its peak RSS is the loader's
alone, with no store (``bench.bench_ftm_memory`` measures the loads into stores).

Mixes: ``published`` (people with sanctions and addresses, companies with sanctions,
addresses and owners, vessels: roughly the proportions of a sanctions export) and
``people`` (only records chipkg does not load: the reading cost alone).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

NOTE = (
    "Synthetic record for the chipkg FtM benchmark; the text only pads the line to the "
    "length of a published record's notes, addresses and identifiers."
)
SEEN = {"first_seen": "2022-03-01T06:00:00", "last_seen": "2026-11-30T06:00:00"}


def _entity(eid: str, schema: str, props: dict[str, list[str]], rng: random.Random) -> str:
    record: dict[str, Any] = {
        "id": eid,
        "caption": (props.get("name") or props.get("program") or [eid])[0],
        "schema": schema,
        "properties": props,
        "referents": [f"ref-{eid}"] if rng.random() < 0.3 else [],
        "datasets": [rng.choice(["us_ofac_sdn", "us_trade_csl", "eu_fsf", "gb_hmt_sanctions"])],
        **SEEN,
        "last_change": "2025-06-01T08:00:00",
        "target": schema in ("Person", "Company"),
    }
    return json.dumps(record, ensure_ascii=False)


def _cluster(n: int, mix: str, rng: random.Random) -> list[str]:
    """A few related lines: a party, its address and sanction (and an owner)."""
    country = rng.choice(["cn", "ru", "ir", "hk", "ae", "tr", "kp", "by"])
    addr = {"full": [f"{n} Example Street, District {n % 97}"], "country": [country]}
    lines = [_entity(f"addr-{n}", "Address", addr, rng)]
    roll = rng.random() if mix == "published" else 0.0
    if roll < 0.6:
        schema, name = "Person", {"name": [f"Person {n}"], "birthDate": ["1970"]}
    elif roll < 0.95:
        schema, name = "Company", {"name": [f"Example Trading {n} Co., Ltd."]}
    else:
        schema, name = "Vessel", {"name": [f"EXAMPLE {n}"]}
    props = {**name, "country": [country], "addressEntity": [f"addr-{n}"], "notes": [NOTE]}
    lines.append(_entity(f"ent-{n}", schema, props, rng))
    sanction = {
        "entity": [f"ent-{n}" if rng.random() < 0.7 else f"ref-ent-{n}"],
        "authority": [rng.choice(["Office of Foreign Assets Control", "Example Authority"])],
        "program": [rng.choice(["SDN", "Entity List", "Example Programme"])],
        "startDate": [f"20{10 + n % 15:02d}-0{1 + n % 9}-1{n % 9}"],
        "reason": [NOTE],
    }
    lines.append(_entity(f"sanc-{n}", "Sanction", sanction, rng))
    if schema == "Company" and n > 10 and rng.random() < 0.3:
        own = {"owner": [f"ent-{n - 7}"], "asset": [f"ent-{n}"], "percentage": ["51"]}
        lines.append(_entity(f"own-{n}", "Ownership", own, rng))
    return lines


def generate(path: Path, megabytes: int, mix: str, seed: int = 42) -> tuple[int, int]:
    """Write about ``megabytes`` MB of FtM lines; returns (bytes, records)."""
    rng = random.Random(seed)
    limit, size, records, n = megabytes * 1_000_000, 0, 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < limit:
            n += 1
            for line in _fix_referents(_cluster(n, mix, rng)):
                out.write(line + "\n")
                size += len(line.encode("utf-8")) + 1
                records += 1
    return size, records


def _fix_referents(lines: list[str]) -> list[str]:
    """Point a Sanction at the referent only when its entity carries that referent."""
    party = json.loads(lines[1])
    if party["referents"]:
        return lines
    return [line.replace('"ref-ent-', '"ent-') for line in lines]


def run(path: Path, streamed: bool = False) -> dict[str, Any]:
    """Load the file in this process; the figures of one run.

    ``streamed`` reads as ``chipkg load`` does (resolver and records on disk) and then
    reads every parked record back, as the write would, without writing it anywhere.
    """
    from chipkg.loaders.disk_index import DiskIndex
    from chipkg.loaders.ftm import load_ftm
    from chipkg.loaders.reference import load_reference
    from chipkg.loaders.resolver import Resolver

    disk = DiskIndex() if streamed else None
    resolver = Resolver.of(load_reference().entities, disk=disk)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    result = load_ftm(path, resolver, spool=streamed, park_entities=streamed)
    entities = sum(1 for _ in result.all_entities())
    claims = sum(1 for _ in result.all_claims())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.close()
    if disk is not None:
        disk.close()
    tally = result.tallies[0]
    size = path.stat().st_size
    return {
        "file_mb": round(size / 1e6, 1),
        "streamed": streamed,
        "records": tally.read,
        "mapped": tally.mapped,
        "entities": entities,
        "claims": claims,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "mb_per_s": round(size / 1e6 / seconds, 2),
        "mb_per_cpu_s": round(size / 1e6 / cpu, 2),
        "records_per_s": round(tally.read / seconds),
        "rss_before_mib": round(before / 1024),
        "peak_rss_mib": round(peak / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="file size in MB")
    parser.add_argument("--mix", choices=["published", "people"], default="published")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument(
        "--streamed", action="store_true", help="read as chipkg load does (indexes on disk)"
    )
    parser.add_argument("--run", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.run is not None:  # the child process: load and report
        print(json.dumps(run(args.run, args.streamed)))
        return
    path = args.out or Path(f"/tmp/chipkg-bench-{args.mix}-{args.mb}mb.ftm.json")
    started = time.perf_counter()
    if not (args.keep and path.exists()):  # a kept file of the same name is reused
        generate(path, args.mb, args.mix)
    made = time.perf_counter() - started
    streamed = ["--streamed"] if args.streamed else []
    child = subprocess.run(
        [sys.executable, "-m", "bench.bench_ftm", "--run", str(path), *streamed],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = {"mix": args.mix, "generated_s": round(made, 1), **json.loads(child.stdout)}
    if not args.keep:
        path.unlink()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
