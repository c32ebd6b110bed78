"""Run the canned ``.cypher`` files against a Neo4j store, with parameters.

The files under ``cypher/`` are the very text users paste into Neo4j Browser (their
``:param`` lines are comments there); this module reads them and executes them
read-only with the driver, passing ``database_`` on every call.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import READ_ACCESS, ManagedTransaction, NotificationMinimumSeverity
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from chipkg.errors import ChipkgError, Neo4jUnavailable, StoreError
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.queries.results import Answer
from chipkg.queries.spec import QuerySpec, cypher_params

if TYPE_CHECKING:
    from chipkg.queries.spec import Params

A = TypeVar("A", bound=Answer)
P = TypeVar("P", bound="Params")

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"


@cache
def cypher_text(name: str) -> str:
    """The text of ``cypher/<name>.cypher``."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise ChipkgError(f"no Cypher file for query {name!r} ({path})")
    return path.read_text(encoding="utf-8")


def run_file(store: Neo4jStore, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Execute one canned file read-only and return its rows as dicts."""
    query = cypher_text(name)

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        # The rows hold only maps, lists and scalars: take them as the driver decoded them
        # (``Record.data()`` would walk every nested value again).
        return [
            dict(zip(record.keys(), record.values(), strict=True))
            for record in tx.run(query, params)
        ]

    try:
        with store.driver.session(
            database=store.database,
            default_access_mode=READ_ACCESS,
            notifications_min_severity=NotificationMinimumSeverity.OFF,
        ) as session:
            return session.execute_read(work)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise Neo4jUnavailable(f"cannot reach Neo4j at {store.uri}: {exc}") from exc
    except ClientError as exc:
        raise StoreError(f"Neo4j rejected query {name}: {exc.message or exc}") from exc
    except Neo4jError as exc:
        raise StoreError(f"Neo4j failed on query {name}: {exc.message or exc}") from exc


def run_spec(store: Neo4jStore, spec: QuerySpec[P, A], params: P) -> A:
    """A canned query's answer: its file's single row, shaped by the spec."""
    rows = run_file(store, spec.cypher, cypher_params(params))
    return spec.from_row(rows[0], params)
