"""Neo4j-specific behaviour of the store, against the real managed server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase, ManagedTransaction

from chipkg.errors import Neo4jUnavailable, OntologyError, StoreError
from chipkg.graph import EmbeddedStore
from chipkg.graph import neo4j_store as neo4j_store_module
from chipkg.graph.neo4j_store import Neo4jStore, safe_label, safe_type
from chipkg.ontology import Claim, Entity
from chipkg.ontology.generate import neo4j_schema
from chipkg.queries.cyphergen import CYPHER_DIR

pytestmark = pytest.mark.neo4j


def test_names_outside_ontology_rejected_before_cypher() -> None:
    with pytest.raises(OntologyError):
        safe_label("Company) DETACH DELETE (n")
    with pytest.raises(OntologyError):
        safe_type("SUPPLIES]->() DELETE r //")
    assert safe_label("Company") == "Company"
    assert safe_type("SUPPLIES") == "SUPPLIES"


def test_unknown_label_in_query_filter_rejected(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(OntologyError):
        list(neo4j_store.entities("Gizmo"))
    with pytest.raises(OntologyError):
        list(neo4j_store.claims(predicate="LIKES"))


def test_init_schema_is_idempotent(neo4j_store: Neo4jStore) -> None:
    neo4j_store.init_schema()
    neo4j_store.init_schema()
    records, _, _ = neo4j_store.driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names", database_=neo4j_store.database
    )
    names = set(records[0]["names"])
    assert {"entity_id", "company_id", "supplies_key"} <= names
    assert len(neo4j_schema()) > len(names) > 20


def test_init_schema_installs_the_supplies_item_index(neo4j_store: Neo4jStore) -> None:
    """alternatives looks SUPPLIES links up by item: without this index it scans every link."""
    neo4j_store.init_schema()
    records, _, _ = neo4j_store.driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties "
        "WHERE name = 'supplies_item' RETURN type, entityType, labelsOrTypes, properties",
        database_=neo4j_store.database,
    )
    assert [r.data() for r in records] == [
        {
            "type": "RANGE",
            "entityType": "RELATIONSHIP",
            "labelsOrTypes": ["SUPPLIES"],
            "properties": ["item"],
        }
    ]


def test_alternatives_seeks_supplies_by_item(neo4j_store: Neo4jStore) -> None:
    """The plan of alternatives reads SUPPLIES links through the item index, not a scan."""
    neo4j_store.init_schema()
    neo4j_store.driver.execute_query("CALL db.awaitIndexes(60)", database_=neo4j_store.database)
    query = (CYPHER_DIR / "alternatives.cypher").read_text(encoding="utf-8")
    params = {"buyer": "company/x", "item": "product/y", "on": "2024-06-01"}
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        plan = session.run("EXPLAIN " + query, params).consume().plan
    assert plan is not None
    seeks = [
        op["args"].get("Details", "")
        for op in _operators(plan)
        if "RelationshipIndexSeek" in op["operatorType"]
    ]
    assert any("SUPPLIES(item)" in d for d in seeks), seeks


def _operators(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operator of a plan tree, depth first."""
    return [plan, *(op for child in plan.get("children", []) for op in _operators(child))]


def test_failing_batch_rolls_back_whole(
    neo4j_store: Neo4jStore,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    neo4j_store.write(sample_entities, [])
    real = neo4j_store_module._write_claims

    def write_then_fail(tx: ManagedTransaction, *args: Any) -> int:
        written = real(tx, *args)
        tx.run("RETURN 1 / $zero", zero=0).consume()  # the server raises: the tx must roll back
        return written

    monkeypatch.setattr(neo4j_store_module, "_write_claims", write_then_fail)
    with pytest.raises(StoreError, match="rejected a write"):
        neo4j_store.write([], sample_claims)
    assert neo4j_store.counts().to_json()["relationships"] == {}


def test_stored_layout_is_what_users_query(
    neo4j_store: Neo4jStore, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    neo4j_store.write(sample_entities, sample_claims)
    records, _, _ = neo4j_store.driver.execute_query(
        "MATCH (a:Company {id: 'company/deepseek'})-[r:OWNS]->(p:Product) "
        "RETURN labels(a) AS labels, r.quantity AS q, r.modality AS m, r.sources AS s, "
        "r.evidence AS ev, r.key AS key",
        database_=neo4j_store.database,
    )
    row = records[0]
    assert set(row["labels"]) == {"Entity", "Company"}
    assert (row["q"], row["m"], row["s"]) == (10000, "rumored", ["source/test-a"])
    assert json.loads(row["ev"][0])["source"] == "source/test-a"
    assert row["key"] == "OWNS|company/deepseek|product/h800"


def test_same_records_as_embedded(
    neo4j_store: Neo4jStore,
    tmp_path: Path,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
) -> None:
    embedded = EmbeddedStore(tmp_path)
    for store in (embedded, neo4j_store):
        store.write(sample_entities, sample_claims[:2])
        store.write(sample_entities[:2], sample_claims[1:])
    assert list(neo4j_store.entities()) == list(embedded.entities())
    assert list(neo4j_store.claims()) == list(embedded.claims())
    assert neo4j_store.counts().to_json() == embedded.counts().to_json()


def test_small_batches_give_same_result(
    neo4j_store: Neo4jStore,
    tmp_path: Path,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
) -> None:
    neo4j_store.batch_size = 2
    report = neo4j_store.write(sample_entities, sample_claims)
    assert (report.new_entities, report.new_claims) == (len(sample_entities), len(sample_claims))
    assert neo4j_store.counts().to_json()["relationships"]["LOCATED_IN"] == 2


def test_unreachable_server_is_one_clear_error() -> None:
    driver = GraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x"))
    store = Neo4jStore(driver, uri="bolt://127.0.0.1:1")
    with pytest.raises(Neo4jUnavailable, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        store.counts()
    store.close()


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1", **env},
        timeout=600,
    )


def test_cli_reports_down_server() -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"}
    result = _cli("stats", "--neo4j", "--json", env=env)
    assert result.returncode == 3
    assert "bolt://127.0.0.1:1" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_demo_on_neo4j_matches_embedded_and_is_idempotent(
    neo4j_store: Neo4jStore, neo4j_env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "db")
    assert _cli("demo", "--db", db, env={}).returncode == 0
    embedded: dict[str, Any] = json.loads(_cli("stats", "--db", db, "--json", env={}).stdout)
    first = _cli("demo", "--neo4j", env=neo4j_env)
    assert first.returncode == 0, first.stderr
    on_neo4j = json.loads(_cli("stats", "--neo4j", "--json", env=neo4j_env).stdout)
    assert on_neo4j == embedded
    assert _cli("demo", "--neo4j", env=neo4j_env).returncode == 0
    assert json.loads(_cli("stats", "--neo4j", "--json", env=neo4j_env).stdout) == embedded


def test_init_schema_command_twice(neo4j_store: Neo4jStore, neo4j_env: dict[str, str]) -> None:
    def constraint_count() -> int:
        records, _, _ = neo4j_store.driver.execute_query(
            "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n", database_=neo4j_store.database
        )
        return int(records[0]["n"])

    first = _cli("neo4j", "init-schema", env=neo4j_env)
    assert first.returncode == 0, first.stderr
    count = constraint_count()
    second = _cli("neo4j", "init-schema", env=neo4j_env)
    assert second.returncode == 0, second.stderr
    assert constraint_count() == count
    assert "constraints and indexes in place" in second.stdout
