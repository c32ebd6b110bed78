"""Shared fixtures: sample records and a ``store`` fixture run against every backend.

The contract tests in ``test_store_contract.py`` take ``store``; each backend in
``STORE_BACKENDS`` gets the same tests, so the embedded default and Neo4j cannot drift.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from chipkg.graph import EmbeddedStore, Store
from chipkg.ontology import Claim, Entity
from tests.support.records import make_claim

if TYPE_CHECKING:
    from chipkg.graph.neo4j_settings import Neo4jSettings
    from chipkg.graph.neo4j_store import Neo4jStore

MARKER_LABEL = "ChipkgTestSession"
"""A node only the test session creates: its presence means the database is ours to wipe."""

STORE_BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
]


@pytest.fixture(params=STORE_BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend."""
    if request.param == "embedded":
        opened: Store = EmbeddedStore(tmp_path / "db")
    else:
        opened = request.getfixturevalue("neo4j_store")
    try:
        yield opened
    finally:
        if request.param == "embedded":
            opened.close()


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    """The Neo4j the tests use: ``NEO4J_URI`` if set, else the managed server (started here).

    ``make test`` points the managed server at a test-only instance (``.neo4j/test``,
    Bolt 7688), so a developer's own graph is never touched.
    """
    from chipkg.graph.neo4j_settings import Neo4jSettings
    from chipkg.graph.server import ManagedNeo4j

    if not os.environ.get("NEO4J_URI"):
        ManagedNeo4j().start()
    return Neo4jSettings.from_env()


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    """One connection for the session; refuses a database that holds someone else's data."""
    from chipkg.graph.neo4j_settings import connect
    from chipkg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(connect(neo4j_settings), neo4j_settings.database, neo4j_settings.uri)
    records, _, _ = store.driver.execute_query(
        f"RETURN COUNT {{ (m:{MARKER_LABEL}) }} AS marked, "
        f"COUNT {{ (n) WHERE NOT n:{MARKER_LABEL} }} AS others",
        database_=store.database,
    )
    marked, others = records[0]["marked"], records[0]["others"]
    if others and not marked and os.environ.get("CHIPKG_TEST_WIPE") != "1":
        store.close()
        pytest.exit(
            f"refusing to wipe {neo4j_settings.uri} database {neo4j_settings.database!r}: it holds "
            f"{others} nodes not created by chipkg's tests (set CHIPKG_TEST_WIPE=1 to allow)",
            returncode=4,
        )
    yield store
    store.close()


def _mark(store: Neo4jStore) -> None:
    store.driver.execute_query(f"MERGE (:{MARKER_LABEL})", database_=store.database)


@pytest.fixture
def neo4j_store(neo4j_session_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """An empty Neo4j store (the test session's own database, wiped before each test)."""
    neo4j_session_store.clear()
    _mark(neo4j_session_store)
    neo4j_session_store.batch_size = 5_000
    yield neo4j_session_store


@pytest.fixture
def neo4j_env(neo4j_settings: Neo4jSettings) -> dict[str, str]:
    """Environment that points a ``chipkg`` subprocess at the test database."""
    return {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }


@pytest.fixture
def sample_entities() -> list[Entity]:
    """A tiny graph: DeepSeek, NVIDIA, H800, the US, China and one source."""
    return [
        Entity(id="company/deepseek", label="Company", name="DeepSeek"),
        Entity(id="company/nvidia", label="Company", name="NVIDIA", aliases=["Nvidia Corp."]),
        Entity(id="product/h800", label="Product", name="H800", properties={"category": "gpu"}),
        Entity(id="country/us", label="Country", name="United States", properties={"iso2": "US"}),
        Entity(id="country/cn", label="Country", name="China"),
        Entity(id="source/test-a", label="Source", name="Test article A"),
        Entity(id="source/test-b", label="Source", name="Test article B"),
    ]


@pytest.fixture
def sample_claims() -> list[Claim]:
    """Claims over :func:`sample_entities`, with provenance."""
    return [
        make_claim(
            "company/deepseek",
            "OWNS",
            "product/h800",
            modality="rumored",
            confidence=0.6,
            properties={"quantity": 10000},
        ),
        make_claim("company/nvidia", "DESIGNS", "product/h800"),
        make_claim(
            "company/nvidia",
            "SUPPLIES",
            "company/deepseek",
            properties={"item": "product/h800"},
            valid_to="2023-10-17",
        ),
        make_claim("company/nvidia", "LOCATED_IN", "country/us"),
        make_claim("company/deepseek", "LOCATED_IN", "country/cn"),
    ]
