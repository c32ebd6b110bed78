"""``chipkg load --bulk``: the choice between the transactional writer and a bulk import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from chipkg.cli.common import err_console
from chipkg.errors import InputError
from chipkg.graph import Store, WriteReport
from chipkg.ontology import Claim, Entity

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


def write_loaded(
    store: Store, entities: Sequence[Entity], claims: Sequence[Claim], bulk: bool | None
) -> WriteReport:
    """Write through the store, or bulk-import into an empty Neo4j database."""
    from chipkg.graph.neo4j_store import Neo4jStore

    if not isinstance(store, Neo4jStore):
        if bulk:
            raise InputError("--bulk applies to Neo4j only (add --neo4j)")
        return store.write(entities, claims)
    from chipkg.graph.bulk import ExternalBulk, bulk_write, target_from_env, want_bulk

    if not want_bulk(bulk, store, len(claims)):
        return store.write(entities, claims)

    def log(line: str) -> None:
        err_console.print(f"bulk: {line}", markup=False, highlight=False)

    try:
        return bulk_write(store, entities, claims, target_from_env(store), log)
    except ExternalBulk as exc:
        for command in exc.commands:
            typer.echo(command)
        raise
