"""Bulk loading into an EMPTY Neo4j database through ``neo4j-admin database import``.

The transactional writer MERGEs claim by claim (about 5-10k claims/s here); the
import tool writes the store files directly, several times faster, but only into
a stopped database that it overwrites. So the bulk path:

1. checks the target database holds nothing (an overwrite then loses nothing),
2. merges and checks the batch exactly like ``Neo4jStore.write`` does,
3. writes the ``neo4j-csv`` layout (the export's own writer) into a temp dir
   (a streamed load: steps 2 and 3 bucket by bucket, see ``bulk_stream``),
4. stops the managed server, moves the old database files aside, imports,
   starts, runs ``after_import.cypher`` (schema included) and waits for indexes.

Any failure after step 4 began puts the old files back and restarts the server,
so the database is as it was. An external server (``NEO4J_URI``) cannot be
stopped by chipkg: the CSV is kept and the commands to run are returned instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from neo4j import NotificationMinimumSeverity, Query

from chipkg.errors import ChipkgError, InputError, Neo4jUnavailable, StoreError
from chipkg.export.neo4j_csv import (
    ADMIN_OPTIONS,
    AFTER_IMPORT_FILE,
    CsvExport,
    after_import_statements,
    write_neo4j_csv,
)
from chipkg.graph.bulk_stream import stream_neo4j_csv
from chipkg.graph.neo4j_settings import Neo4jSettings, connect
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.graph.server import ManagedNeo4j
from chipkg.graph.store import WriteReport, check_endpoints, merge_batch
from chipkg.ontology import Claim, Entity

#: Without ``--bulk``/``--no-bulk``, an empty managed database is bulk-loaded from this
#: many claims up. From bench/RESULTS.md (quiet machine): the writer does ~10k claims/s;
#: the bulk path costs ~30 s fixed (stop, start, JVMs, schema) + ~10 s per million claims,
#: so it wins from about 350k claims; the margin covers the interruption of the server.
AUTO_BULK_MIN_CLAIMS = 500_000
INDEX_WAIT_SECONDS = 3600


class ExternalBulk(ChipkgError):
    """chipkg does not run this server: the user must stop it and import by hand."""

    def __init__(self, message: str, commands: list[str]) -> None:
        super().__init__(message)
        self.commands = commands


@dataclass(frozen=True)
class BulkTarget:
    """Where a bulk load goes: a database, and the managed server that holds it (if any)."""

    database: str = "neo4j"
    server: ManagedNeo4j | None = None
    uri: str = ""


def target_from_env(store: Neo4jStore) -> BulkTarget:
    """The managed server unless ``NEO4J_URI`` names another one (as ``Neo4jSettings``)."""
    if os.environ.get("NEO4J_URI", "").strip():
        return BulkTarget(store.database, None, store.uri)
    return BulkTarget(store.database, ManagedNeo4j(), store.uri)


def database_empty(store: Neo4jStore) -> bool:
    """True when the database holds no node at all (so an overwrite loses nothing)."""
    with store.driver.session(database=store.database) as session:
        record = session.run("MATCH (n) WITH n LIMIT 1 RETURN count(n) AS n").single()
    return record is None or int(record["n"]) == 0


def want_bulk(flag: bool | None, store: Neo4jStore, claims: int) -> bool:
    """``--bulk`` / ``--no-bulk`` decide; unset means bulk for a big load into an empty managed db."""
    if flag is not None:
        return flag
    if os.environ.get("NEO4J_URI", "").strip() or claims < AUTO_BULK_MIN_CLAIMS:
        return False
    return database_empty(store)


def bulk_write(
    store: Neo4jStore,
    entities: Sequence[Entity],
    claims: Sequence[Claim],
    target: BulkTarget,
    log: Callable[[str], None] = lambda _: None,
) -> WriteReport:
    """Load one batch into the empty target database via ``neo4j-admin``; all or nothing."""
    _require_empty(store, target)
    started = time.monotonic()
    ents, clms = merge_batch(entities, claims)
    check_endpoints(clms, {e.id: e.label for e in ents}, lambda _ids: {})
    report = WriteReport(len(entities), len(claims), len(ents), len(clms))
    if target.server is not None:  # else the one line of ExternalBulk is all stderr says
        log(f"merging and checking the batch took {time.monotonic() - started:.1f}s")
    return _import(store, target, lambda path: (write_neo4j_csv(ents, clms, path), report), log)


def bulk_write_streamed(
    store: Neo4jStore,
    entities: Iterable[Entity],
    claims: Iterable[Claim],
    counts: tuple[int, int],
    target: BulkTarget,
    log: Callable[[str], None] = lambda _: None,
) -> WriteReport:
    """:func:`bulk_write` of records read one at a time (``counts``: how many of each).

    Merged, checked and written to CSV bucket by bucket (:mod:`chipkg.graph.bulk_stream`),
    so memory stays bounded; the database is the same as from :func:`bulk_write`.
    """
    _require_empty(store, target)
    phases = log if target.server is not None else (lambda _: None)

    def write(path: Path) -> tuple[CsvExport, WriteReport]:
        return stream_neo4j_csv(entities, claims, counts, path, phases)

    return _import(store, target, write, log)


def _require_empty(store: Neo4jStore, target: BulkTarget) -> None:
    if not database_empty(store):
        raise InputError(
            f"--bulk needs an empty database; {target.database!r} at {store.uri} holds data "
            "(load without --bulk, or clear it first)"
        )


def _import(
    store: Neo4jStore,
    target: BulkTarget,
    write: Callable[[Path], tuple[CsvExport, WriteReport]],
    log: Callable[[str], None],
) -> WriteReport:
    """Write the CSV with ``write`` and import it (managed) or hand it over (external)."""
    if target.server is None:
        raise _external(write, target)
    server = target.server
    staging = server.home / "import"
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chipkg-bulk-", dir=staging) as tmp:
        started = time.monotonic()
        export, report = write(Path(tmp))
        log(f"wrote the import CSV in {time.monotonic() - started:.1f}s")
        store.close()
        replace_database(server, export, target.database, log)
    return report


def _external(
    write: Callable[[Path], tuple[CsvExport, WriteReport]], target: BulkTarget
) -> ExternalBulk:
    """Keep the CSV in a new directory and say how to import it on the user's server."""
    directory = Path(tempfile.mkdtemp(prefix="chipkg-bulk-"))
    try:
        export, _ = write(directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    commands = [
        f"cd {shlex.quote(str(directory))} && {export.command(target.database)}",
        f"cypher-shell -a {shlex.quote(target.uri)} -d {shlex.quote(target.database)} "
        f"-f {shlex.quote(str(directory / AFTER_IMPORT_FILE))}",
    ]
    return ExternalBulk(
        f"{target.uri} is not the managed server, so chipkg cannot stop it to import: "
        f"with Neo4j stopped run the first command above, start it, then the second",
        commands,
    )


def _database_dirs(server: ManagedNeo4j, database: str) -> list[Path]:
    data = server.home / "data"
    return [data / "databases" / database, data / "transactions" / database]


def replace_database(
    server: ManagedNeo4j, export: CsvExport, database: str, log: Callable[[str], None]
) -> None:
    """Stop, import ``export`` over ``database``, start, finish; on failure restore and restart."""
    started = time.monotonic()
    server.stop()
    log(f"stopping the server took {time.monotonic() - started:.1f}s")
    current = _database_dirs(server, database)
    aside = [path.with_name(f".{path.name}.before-bulk-{os.getpid()}") for path in current]
    try:
        for path, old in zip(current, aside, strict=True):
            if path.exists():
                path.rename(old)
        started = time.monotonic()
        server.import_full(
            [export.directory / name for name in export.node_files],
            [export.directory / name for name in export.relationship_files],
            database,
            ADMIN_OPTIONS,
        )
        log(f"neo4j-admin import took {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        server.start()
        log(f"starting the server took {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        after_import(server, database)
        log(f"schema and after-import Cypher took {time.monotonic() - started:.1f}s")
    except (Exception, KeyboardInterrupt) as exc:
        try:
            _restore(server, database, aside)
        except Exception as again:
            raise StoreError(
                f"bulk load failed ({_line(exc)}) and restarting on the old database "
                f"also failed ({_line(again)}); its files are back in place"
            ) from exc
        raise _failure(exc) from exc
    for old in aside:
        shutil.rmtree(old, ignore_errors=True)


def _restore(server: ManagedNeo4j, database: str, aside: list[Path]) -> None:
    """Put the previous database files back and start the server on them."""
    server.stop()
    for path, old in zip(_database_dirs(server, database), aside, strict=True):
        if old.exists():  # else ``path`` was never moved: it is the old database
            shutil.rmtree(path, ignore_errors=True)
            old.rename(path)
    server.start()


def _failure(exc: BaseException) -> ChipkgError:
    """One line naming the cause; Neo4j trouble keeps its exit code 3."""
    message = f"bulk load failed, database left as it was: {_line(exc)}"
    return Neo4jUnavailable(message) if isinstance(exc, Neo4jUnavailable) else StoreError(message)


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def after_import(server: ManagedNeo4j, database: str) -> None:
    """Run ``after_import.cypher`` (empty aliases, constraints, indexes); wait for indexes."""
    settings = Neo4jSettings(uri=server.bolt_uri, password=server.password(), database=database)
    driver = connect(settings, tries=10)
    try:
        quiet = NotificationMinimumSeverity.OFF  # the export's Cypher, not the user's
        with driver.session(database=database, notifications_min_severity=quiet) as session:
            for statement in after_import_statements():
                session.run(Query(statement)).consume()
            session.run("CALL db.awaitIndexes($seconds)", seconds=INDEX_WAIT_SECONDS).consume()
    finally:
        driver.close()
