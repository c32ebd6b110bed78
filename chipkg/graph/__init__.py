"""The graph and its stores: an embedded default (no server) and Neo4j, behind one interface."""

from __future__ import annotations

from pathlib import Path

from chipkg.graph.embedded import EmbeddedStore, default_db_path
from chipkg.graph.store import Counts, Store, Writer, WriteReport


def open_store(
    db: Path | None = None, neo4j: bool = False, lock_timeout: float | None = None
) -> Store:
    """The store the CLI's ``--db PATH`` / ``--neo4j`` / ``--lock-timeout`` options select."""
    if neo4j:
        from chipkg.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_env()
    return EmbeddedStore(db, lock_timeout=lock_timeout, lazy=True)


__all__ = [
    "Counts",
    "EmbeddedStore",
    "Store",
    "WriteReport",
    "Writer",
    "default_db_path",
    "open_store",
]
