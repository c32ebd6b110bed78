"""``chipkg synth``: generate a synthetic supply-chain graph to files or into a store."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from chipkg.cli.common import JsonOption, Neo4jOption, QuietOption, console, progress_bar
from chipkg.errors import InputError
from chipkg.graph import open_store
from chipkg.synth import expected_records, generate
from chipkg.synth.output import Summary, load_into, write_dir

MAX_LINKS = 50_000_000


def synth(
    links: Annotated[
        int, typer.Option("--links", "-n", help="Number of SUPPLIES links to generate.")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", "-s", help="Random seed (same seed, same graph).")
    ] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write entities.jsonl, claims.jsonl and manifest.json here."
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Load straight into this embedded graph directory instead."),
    ] = None,
    neo4j: Neo4jOption = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Records per store write when loading directly.")
    ] = 50_000,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Generate a realistic tiered supply graph with provenance, deterministic for a seed."""
    targets = [t for t in (out is not None, db is not None, neo4j) if t]
    if len(targets) != 1:
        raise InputError("say where the graph goes: exactly one of -o DIR, --db PATH or --neo4j")
    if not 1 <= links <= MAX_LINKS:
        raise InputError(f"--links must be between 1 and {MAX_LINKS:,}, got {links}")
    if batch_size < 1:
        raise InputError("--batch-size must be at least 1")
    started = time.perf_counter()
    total = expected_records(links, seed)
    with progress_bar(quiet) as bar:
        task = bar.add_task("generating", total=total)

        def tick(n: int) -> None:
            bar.advance(task, n)

        records = generate(links, seed)
        if out is not None:
            summary = write_dir(records, out, {"links": links, "seed": seed}, tick)
        else:
            with open_store(db, neo4j) as store:
                summary = load_into(store, records, batch_size, tick)
        done = summary.entities + summary.claims
        bar.update(task, total=done, completed=done)
    _report(summary, time.perf_counter() - started, as_json)


def _report(summary: Summary, seconds: float, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({**summary.to_json(), "seconds": round(seconds, 3)}, indent=2))
        return
    rate = (summary.entities + summary.claims) / seconds if seconds else 0.0
    console.print(
        f"generated {summary.entities:,} entities and {summary.claims:,} claims "
        f"({summary.relationships['SUPPLIES']:,} SUPPLIES links) in {seconds:.1f} s "
        f"({rate:,.0f} records/s)"
    )
    if summary.files:
        console.print("wrote " + ", ".join(str(p) for p in summary.files), markup=False)
    if summary.report is not None:
        console.print(
            f"store: {summary.report.new_entities:,} new entities, "
            f"{summary.report.new_claims:,} new claims"
        )
