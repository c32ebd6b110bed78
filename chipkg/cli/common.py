"""Options and helpers every CLI command shares, so ``--db`` means the same everywhere."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from chipkg.graph import Store, open_store

console = Console(soft_wrap=True)  # paths and ids stay on one line
err_console = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="CHIPKG_DB",
        help="Directory of the embedded graph (default: $CHIPKG_DB or ~/.local/share/chipkg/db).",
        show_default=False,
    ),
]
Neo4jOption = Annotated[
    bool,
    typer.Option(
        "--neo4j",
        help="Use Neo4j (NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE, "
        "else the managed local server) instead of the embedded store.",
    ),
]
StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store backend: 'embedded' or 'neo4j' (same as --neo4j)."),
]
LockTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--lock-timeout",
        envvar="CHIPKG_LOCK_TIMEOUT",
        min=0,
        help="Seconds to wait for another process writing the same --db "
        "(default: wait as long as it takes); then fail with exit code 75.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]


def store_from_options(
    db: Path | None, neo4j: bool, store: str | None = None, lock_timeout: float | None = None
) -> Store:
    """Open the store chosen on the command line."""
    if store not in (None, "embedded", "neo4j"):
        raise typer.BadParameter("--store must be 'embedded' or 'neo4j'")
    return open_store(db, neo4j or store == "neo4j", lock_timeout)


def show_progress(quiet: bool) -> bool:
    """Progress bars only on a terminal, never with --quiet or under CI."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def progress_bar(quiet: bool) -> Progress:
    """A rich progress bar with rate and ETA, disabled when not wanted."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not show_progress(quiet),
        transient=False,
    )


def track(items: Iterable[T], description: str, total: int | None, quiet: bool) -> Iterator[T]:
    """Iterate with a progress bar (when on a terminal)."""
    with progress_bar(quiet) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


@contextmanager
def gc_paused(active: bool = True) -> Iterator[None]:
    """Hold Python's cycle collector off while a load builds its records.

    A load allocates millions of small objects that all stay alive until the write;
    each automatic collection walks them all again, which cost about 40% of the CPU
    of reading 100k links. Records and their indexes form no reference cycles, so
    waiting frees nothing late that plain reference counting would not free at once;
    whatever cyclic garbage there is goes at the first collection after the block.
    """
    if not active or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
