"""``chipkg demo``, ``chipkg stats`` and ``chipkg load``."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chipkg.cli.bulk_load import BulkOption, write_loaded
from chipkg.cli.common import (
    DbOption,
    JsonOption,
    LockTimeoutOption,
    Neo4jOption,
    QuietOption,
    StoreOption,
    console,
    gc_paused,
    progress_bar,
    store_from_options,
)
from chipkg.demo import build_demo, demo_answers, demo_inputs
from chipkg.errors import InputError
from chipkg.graph import Counts, EmbeddedStore
from chipkg.loaders.base import LoadResult, detect_format, load_path
from chipkg.loaders.disk_index import DiskIndex
from chipkg.loaders.ftm import load_ftm
from chipkg.loaders.jsonl import load_jsonl
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver

STREAM_JSONL_BYTES = 256 << 20  # JSON lines from this size on stream unless told otherwise


def counts_table(counts: Counts) -> Table:
    """Counts as a two-part rich table."""
    table = Table(title="Graph contents")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    data = counts.to_json()
    for label, n in data["nodes"].items():
        table.add_row("node", label, str(n))
    for rel, n in data["relationships"].items():
        table.add_row("relationship", rel, str(n))
    return table


def demo(
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    quiet: QuietOption = False,
    lock_timeout: LockTimeoutOption = None,
) -> None:
    """Build the demo graph (bundled corpus + reference data) and answer canned questions."""
    with store_from_options(db, neo4j, None, lock_timeout) as store, progress_bar(quiet) as bar:
        task = bar.add_task("building demo graph", total=len(demo_inputs()) + 2)
        built = build_demo(store, lambda name: bar.update(task, advance=1, description=name))
        bar.update(task, completed=len(demo_inputs()) + 2, description="done")
        counts = store.counts()
        console.print(f"[bold]chipkg demo[/] on the {store.backend} store")
        console.print(
            f"documents: {len(built.documents)}; new entities: "
            f"{built.report.new_entities}; new claims: {built.report.new_claims}"
        )
        for note in built.notes:
            console.print(f"[yellow]note:[/] {note}")
        console.print(counts_table(counts))
        for answer in demo_answers(store):
            console.print(f"\n[bold]{answer.question}[/]")
            for line in answer.lines or ["(nothing in the graph)"]:
                console.print(f"  {line}", markup=False)
    where = " --neo4j" if neo4j else f" --db {db}" if db else ""
    console.print(
        "\n[bold]Try next:[/]\n"
        f"  chipkg stats{where} --json\n"
        f"  chipkg ask reachable-suppliers DeepSeek --on 2024-06-01{where}\n"
        "  chipkg ask --list\n"
        f"  chipkg viz DeepSeek --hops 2 -o deepseek.html{where}\n"
        f"  chipkg export --format ttl -o graph.ttl{where}\n"
        "  chipkg --help",
        markup=True,
    )


def stats(
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Node counts by label and relationship counts by type."""
    with store_from_options(db, neo4j, store) as opened:
        counts = opened.counts()
    if as_json:
        typer.echo(json.dumps(counts.to_json(), indent=2, sort_keys=True))
    else:
        console.print(counts_table(counts))


def load(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or dataset directories.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Input format (auto-detected where unambiguous)."),
    ] = None,
    reference: Annotated[
        bool, typer.Option("--reference", help="Also load the bundled curated reference data.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Skip malformed rows instead of stopping.")
    ] = False,
    explain_merges: Annotated[
        bool,
        typer.Option("--explain-merges", help="Print which names were resolved to which entity."),
    ] = False,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
    bulk: BulkOption = None,
    quiet: QuietOption = False,
    lock_timeout: LockTimeoutOption = None,
    stream: Annotated[
        bool | None,
        typer.Option(
            "--stream/--in-memory",
            help="Park chipkg JSON lines on disk and write in batches (memory stays flat; "
            f"about 2.5x the CPU), or hold them in memory. Default: stream from "
            f"{STREAM_JSONL_BYTES >> 20} MiB of JSON lines on.",
        ),
    ] = None,
) -> None:
    """Load files into the graph: every input is read and checked, then all written.

    The write is one batch, except for FollowTheMoney inputs and large chipkg JSON lines
    inputs (see ``--stream``), which wait on disk once read and checked, and are written in
    batches.
    """
    if not paths and not reference:
        raise InputError("nothing to load: give a PATH or --reference")
    result = LoadResult()
    jsonl_streams = _stream_jsonl(paths or [], fmt, stream)
    streamed = any(_stream_as(path, fmt, jsonl_streams) for path in paths or [])
    with (
        store_from_options(db, neo4j, store, lock_timeout) as opened,
        # the embedded store's records pile up in memory (and, unless streamed, the input's
        # until the write); the Neo4j driver's objects are not vouched for, so its loads
        # keep the collector
        gc_paused(isinstance(opened, EmbeddedStore)),
        _scratch(streamed) as disk,
    ):
        resolver = Resolver.of(opened.entities(), disk=disk)
        if reference:
            result.extend(load_reference(REFERENCE_DIR, resolver))
        with progress_bar(quiet) as bar:
            task = bar.add_task("reading", total=len(paths or []))
            for path in paths or []:
                result.extend(_read_input(path, resolver, fmt, skip_invalid, jsonl_streams))
                bar.advance(task)
        try:
            result.check()
            report = write_loaded(opened, result, bulk)
        finally:
            result.close()
        taken = (m for m in resolver.merges) if explain_merges else iter(())
        merges = dict.fromkeys((m.name, m.entity_id, m.via) for m in taken)  # before disk closes
    console.print(
        f"loaded {report.entities} entities ({report.new_entities} new) and "
        f"{report.claims} claims ({report.new_claims} new)"
    )
    for tally in result.tallies:
        console.print(tally.line(), markup=False, soft_wrap=True)
    if result.skipped:
        console.print(f"[yellow]skipped {len(result.skipped)} invalid rows:[/]")
        for line in result.skipped:
            console.print(f"  {line}", markup=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    for name, entity_id, via in merges:
        console.print(f"  merged {name!r} -> {entity_id} (via {via})", markup=False)


def _stream_as(path: Path, fmt: str | None, jsonl: bool) -> str | None:
    """How ``path`` is streamed: ``ftm``, ``jsonl`` when ``jsonl``; None when held in memory."""
    name = _stream_format(path, fmt)
    return name if name == "ftm" or (name == "jsonl" and jsonl) else None


def _stream_jsonl(paths: list[Path], fmt: str | None, stream: bool | None) -> bool:
    """Whether JSON-lines inputs stream: as asked, else when they reach STREAM_JSONL_BYTES.

    Held in memory a load takes about eight times its JSON lines in RSS (8.6 GiB for the
    1.1 GB of a 1M-link synth set) but a streamed one costs about 2.5x the CPU, so only
    inputs too big to hold comfortably stream by default.
    """
    if stream is not None:
        return stream
    jsonl = [p for p in paths if _stream_format(p, fmt) == "jsonl"]
    return sum(_bytes(p) for p in jsonl) >= STREAM_JSONL_BYTES


def _bytes(path: Path) -> int:
    """A file's size, or the size of the files directly in a directory."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def _stream_format(path: Path, fmt: str | None) -> str | None:
    """``ftm`` for a FollowTheMoney file, ``jsonl`` for JSON lines (a file or directory)."""
    try:
        name = (fmt or detect_format(path)) if path.exists() else None
    except (InputError, RecursionError):  # reported in its turn, after the files before it
        return None
    if name == "ftm" and path.is_file():
        return name
    return name if name == "jsonl" else None


def _scratch(streamed: bool) -> AbstractContextManager[DiskIndex | None]:
    """A temporary on-disk index for a streamed load's resolver; none otherwise."""
    return DiskIndex() if streamed else nullcontext()


def _read_input(
    path: Path, resolver: Resolver, fmt: str | None, skip_invalid: bool, jsonl_streams: bool
) -> LoadResult:
    """One input file or directory; input nested deeper than Python's stack is bad input.

    Streamed inputs park their records on disk, and the resolver keeps its indexes on
    disk for them (see :func:`_scratch`): the load's memory does not grow with them.
    """
    try:
        streamed = _stream_as(path, fmt, jsonl_streams)
        if streamed == "ftm":
            result = load_ftm(
                path, resolver, skip_invalid=skip_invalid, spool=True, park_entities=True
            )
        elif streamed == "jsonl":
            result = load_jsonl(path, resolver, skip_invalid=skip_invalid, streamed=True)
        if streamed:
            result.merges = list(resolver.merges)
            return result
        return load_path(path, resolver, fmt, skip_invalid=skip_invalid)
    except RecursionError as exc:
        raise InputError("nested too deeply to read (RecursionError)", str(path)) from exc
