"""The reference graph in the test session's Neo4j, for module-scoped fixtures.

The session store refuses foreign data (see ``tests/conftest.py``); this wipes the test
database, marks it as the session's own and loads the curated reference records once.
"""

from __future__ import annotations

from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from tests.conftest import MARKER_LABEL


def load_reference_graph(store: Neo4jStore) -> Neo4jStore:
    """``store`` wiped, marked as the test session's, holding only the reference graph."""
    store.clear()
    store.driver.execute_query(f"MERGE (:{MARKER_LABEL})", database_=store.database)
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    return store
