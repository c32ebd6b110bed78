"""How ``chipkg load`` writes: one batch, streamed batches, or a bulk import (``--bulk``)."""

from __future__ import annotations

from typing import Annotated

import typer

from chipkg.cli.common import err_console
from chipkg.errors import ChipkgError, InputError
from chipkg.graph import Store, WriteReport
from chipkg.loaders.base import LoadResult

BulkOption = Annotated[
    bool | None,
    typer.Option(
        "--bulk/--no-bulk",
        help="Neo4j only: load an EMPTY database with neo4j-admin import (managed server: "
        "stop, import, start, schema; external: print the commands). Default: bulk when "
        "the managed database is empty and the load has at least 500,000 claims.",
        show_default=False,
    ),
]


#: Records per batch of a streamed load: a batch is held as records (~4.4 KiB a claim
#: of a FollowTheMoney file), so this bounds the write's memory (~45 MiB).
STREAM_BATCH = 10_000


def write_loaded(store: Store, result: LoadResult, flag: bool | None) -> WriteReport:
    """Write through the store, or bulk-import into an empty Neo4j database."""
    from chipkg.graph.neo4j_store import Neo4jStore

    if not isinstance(store, Neo4jStore):
        if flag:
            raise InputError("--bulk applies to Neo4j only (add --neo4j)")
        return write_result(store, result, STREAM_BATCH)
    from chipkg.graph import bulk

    if not bulk.want_bulk(flag, store, result.claim_count):
        return write_result(store, result, min(store.tx_records, STREAM_BATCH))

    def log(line: str) -> None:
        err_console.print(f"bulk: {line}", markup=False, highlight=False)

    target = bulk.target_from_env(store)
    try:
        if result.streamed:  # parked records: merged bucket by bucket, never all in memory
            counts = (result.entity_count, result.claim_count)
            return bulk.bulk_write_streamed(
                store, result.all_entities(), result.all_claims(), counts, target, log
            )
        return bulk.bulk_write(store, result.entities, result.claims, target, log)
    except bulk.ExternalBulk as exc:
        for command in exc.commands:
            typer.echo(command)
        raise


def write_result(store: Store, result: LoadResult, batch_size: int) -> WriteReport:
    """One write; a load with parked records goes in batches of ``batch_size`` records.

    Entities go first, so each batch of claims finds its endpoints stored. A claim
    repeated in two batches is merged by the store with the stored one, as in one write.
    """
    if not result.streamed:
        return store.write(result.entities, result.claims)
    total = result.entity_count + result.claim_count
    writer = store.writer(batch_size)
    try:
        with writer:
            for entity in result.all_entities():
                writer.add_entity(entity)
            for claim in result.all_claims():
                writer.add_claim(claim)
    except ChipkgError as exc:
        exc.args = (
            f"{exc}; {writer.written:,} of {total:,} records written (a streamed load "
            "commits in batches); run the same load again to complete it",
        )
        raise
    return writer.report
