"""Run the canned ``.cypher`` files against a Neo4j store, with parameters.

The files under ``cypher/`` are the very text users paste into Neo4j Browser (their
``:param`` lines are comments there); this module reads them and executes them
read-only with the driver, passing ``database_`` on every call.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from neo4j import READ_ACCESS, ManagedTransaction, NotificationMinimumSeverity
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from chipkg.errors import ChipkgError, Neo4jUnavailable, StoreError
from chipkg.graph.neo4j_store import Neo4jStore

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
