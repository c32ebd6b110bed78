"""neo4j-admin CSV export: headers and rows, and a real bulk import into a fresh Neo4j."""

from __future__ import annotations

import csv
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipkg.errors import InputError
from chipkg.export.neo4j_csv import (
    ADMIN_OPTIONS,
    AFTER_IMPORT_FILE,
    ARRAY_DELIMITER,
    after_import_statements,
    write_neo4j_csv,
)
from chipkg.export.output import atomic_dir
from chipkg.graph import EmbeddedStore
from chipkg.ontology import Entity, Evidence
from tests.support.export_helpers import (
    CHINESE_ALIAS,
    CHINESE_NAME,
    ITALIAN_NAME,
    claims,
    entities,
    filled_store,
)
from tests.support.paths import ROOT


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def source(tmp_path: Path) -> EmbeddedStore:
    return filled_store(tmp_path / "db")


@pytest.fixture
def exported(source: EmbeddedStore, tmp_path: Path) -> Path:
    out = tmp_path / "csv"
    write_neo4j_csv(source.entities(), source.claims(), out)
    return out


def test_one_file_per_label_and_type_with_admin_headers(
    source: EmbeddedStore, exported: Path
) -> None:
    counts = source.counts().to_json()
    names = {p.name for p in exported.glob("*.csv")}
    assert names == {f"nodes_{label}.csv" for label in counts["nodes"]} | {
        f"rels_{rel}.csv" for rel in counts["relationships"]
    }
    header = (exported / "nodes_Company.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[:4] == ["id:ID(Entity)", ":LABEL", "name", "aliases:string[]"]
    assert "roles:string[]" in header.split(",")
    rel_header = (exported / "rels_SUPPLIES.csv").read_text(encoding="utf-8").splitlines()[0]
    assert rel_header.split(",") == [
        ":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "key", "modality", "confidence:double",
        "attributed_to", "valid_from", "valid_to", "derived:boolean", "sources:string[]",
        "evidence:string[]", "item", "volume",
    ]  # fmt: skip
    for label, n in counts["nodes"].items():
        assert len(read_csv(exported / f"nodes_{label}.csv")) == n
    for rel, n in counts["relationships"].items():
        assert len(read_csv(exported / f"rels_{rel}.csv")) == n


def test_number_columns_are_long_only_when_every_value_is_whole(exported: Path) -> None:
    tech = (exported / "nodes_Technology.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "node_nm:double" in tech.split(",")
    owns = (exported / "rels_OWNS.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "quantity:long" in owns.split(",")
    made = (exported / "rels_MANUFACTURES.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"market_share:double", "year:long"} <= set(made.split(","))


def test_rows_hold_arrays_evidence_json_and_unicode(source: EmbeddedStore, exported: Path) -> None:
    companies = {row["id:ID(Entity)"]: row for row in read_csv(exported / "nodes_Company.csv")}
    assert companies["company/huawei"]["name"] == CHINESE_NAME
    assert companies["company/sgs"]["name"] == ITALIAN_NAME
    assert companies["company/huawei"][":LABEL"].split(ARRAY_DELIMITER) == ["Entity", "Company"]
    deepseek = companies["company/deepseek"]["aliases:string[]"].split(ARRAY_DELIMITER)
    assert deepseek == ["DeepSeek AI", CHINESE_ALIAS]
    assert companies["company/nvidia"]["aliases:string[]"] == ""
    [row] = read_csv(exported / "rels_SUPPLIES.csv")
    claim = next(source.claims(predicate="SUPPLIES"))
    assert row["key"] == claim.key
    assert row["sources:string[]"].split(ARRAY_DELIMITER) == claim.sources
    evidence = [json.loads(x) for x in row["evidence:string[]"].split(ARRAY_DELIMITER)]
    assert [Evidence.model_validate(ev) for ev in evidence] == claim.evidence
    assert float(row["confidence:double"]) == claim.confidence
    assert row["valid_from"] == "2023" and row["attributed_to"] == "Reuters"


def test_import_script_and_after_import_cypher(exported: Path) -> None:
    script = (exported / "import.sh").read_text(encoding="utf-8")
    assert os.access(exported / "import.sh", os.X_OK)
    assert 'database import full "$DATABASE"' in script
    for option in ADMIN_OPTIONS:
        assert option in script
    assert "--nodes=nodes_Company.csv" in script
    assert "--relationships=rels_SUPPLIES.csv" in script
    cypher = (exported / AFTER_IMPORT_FILE).read_text(encoding="utf-8")
    assert "SET n.aliases = []" in cypher
    assert "CREATE CONSTRAINT entity_id" in cypher


def test_empty_graph_writes_helpers_only(tmp_path: Path) -> None:
    result = write_neo4j_csv([], [], tmp_path / "csv")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [AFTER_IMPORT_FILE, "import.sh"]
    assert result.nodes == {} and result.relationships == {}


def test_an_alias_holding_the_array_delimiter_is_refused_by_name(tmp_path: Path) -> None:
    """neo4j-admin would split such a value in two: the export names it instead."""
    bad = Entity(id="company/x", label="Company", name="X", aliases=["ok", f"a{ARRAY_DELIMITER}b"])
    good = Entity(id="company/y", label="Company", name="Y", aliases=["one", "two", ""])
    with pytest.raises(InputError, match="contains U\\+001F") as caught:
        write_neo4j_csv([good, bad], [], tmp_path / "csv")
    assert repr(f"a{ARRAY_DELIMITER}b") in str(caught.value)


def test_directory_is_replaced_only_when_it_is_an_earlier_export(tmp_path: Path) -> None:
    target = tmp_path / "csv"
    with atomic_dir(target) as temp:
        write_neo4j_csv(entities(), claims(), temp)
    (target / "rels_STALE.csv").write_text("old", encoding="utf-8")
    with atomic_dir(target) as temp:
        write_neo4j_csv(entities()[:3], [], temp)
    assert sorted(p.name for p in target.glob("*.csv")) == ["nodes_Company.csv"]
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"), atomic_dir(other):
        pass
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "failed") as temp:
        (temp / "half.csv").write_text("x", encoding="utf-8")
        raise RuntimeError("boom")
    assert not (tmp_path / "failed").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- the real thing: neo4j-admin into a fresh throw-away instance ---------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


NODES_CYPHER = (
    "MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
)
RELS_CYPHER = (
    "MATCH (a:Entity)-[r]->(b:Entity) "
    "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props ORDER BY r.key"
)


def _rows(driver: Any, query: str, database: str) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, database_=database)
    rows = [record.data() for record in records]
    for row in rows:
        if "labels" in row:
            row["labels"] = sorted(row["labels"])
    return rows


@pytest.fixture
def imported_neo4j(exported: Path, tmp_path: Path) -> Iterator[Any]:
    """A fresh instance whose database was bulk-loaded from the export, then started."""
    from chipkg.graph.neo4j_settings import Neo4jSettings, connect
    from chipkg.graph.neo4j_store import Neo4jStore
    from chipkg.graph.server import NEO4J_VERSION, ManagedNeo4j

    env_dist = os.environ.get("CHIPKG_NEO4J_DIST")
    dist = Path(env_dist) if env_dist else ROOT / ".neo4j" / "dist" / NEO4J_VERSION
    server = ManagedNeo4j(
        home=tmp_path / "neo4j-home",
        bolt_port=_free_port(),
        http_port=_free_port(),
        dist_dir=dist,
    )
    nodes = sorted(exported.glob("nodes_*.csv"))
    rels = sorted(exported.glob("rels_*.csv"))
    report = server.import_full(nodes, rels, extra_args=ADMIN_OPTIONS)
    assert "IMPORT DONE" in report
    try:
        server.start(timeout=180)
        driver = connect(Neo4jSettings(server.bolt_uri, password=server.password()))
        store = Neo4jStore(driver, "neo4j", server.bolt_uri)
        for statement in after_import_statements():
            store._run(statement)
        yield store
        store.close()
    finally:
        server.stop(timeout=60)


@pytest.mark.neo4j
@pytest.mark.slow
def test_bulk_import_gives_the_same_graph_as_neo4j_store(
    source: EmbeddedStore, imported_neo4j: Any, neo4j_store: Any
) -> None:
    assert imported_neo4j.counts().to_json() == source.counts().to_json()
    assert sorted(imported_neo4j.entities(), key=lambda e: e.id) == sorted(
        source.entities(), key=lambda e: e.id
    )
    assert list(imported_neo4j.claims()) == list(source.claims())
    neo4j_store.write(entities(), claims())
    for query in (NODES_CYPHER, RELS_CYPHER):
        bulk = _rows(imported_neo4j.driver, query, imported_neo4j.database)
        written = _rows(neo4j_store.driver, query, neo4j_store.database)
        assert len(bulk) > 5
        assert bulk == written
