"""Shared fixtures: sample records and a ``store`` fixture run against every backend.

The contract tests in ``test_store_contract.py`` take ``store``; each backend in
``STORE_BACKENDS`` gets the same tests, so the embedded default and Neo4j cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipkg.graph import EmbeddedStore, Store
from chipkg.ontology import Claim, Entity

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
        opened.close()


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


def make_claim(
    subject: str, predicate: str, obj: str, source: str = "source/test-a", **kw: object
) -> Claim:
    """A claim with one piece of evidence from ``source``."""
    evidence = {"source": source, "quote": kw.pop("quote", f"{subject} {predicate} {obj}")}
    return Claim.model_validate(
        {"subject": subject, "predicate": predicate, "object": obj, "evidence": evidence, **kw}
    )


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
