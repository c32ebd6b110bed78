"""``chipkg export`` / ``validate`` / ``import`` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from chipkg.export.iris import entity_iri
from chipkg.export.rdf import RDF_FORMATS, records_graph
from chipkg.export.rdf_import import read_graph
from chipkg.graph import EmbeddedStore
from tests.support.export_helpers import CHINESE_NAME, claims, entities, filled_store


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CI": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    filled_store(tmp_path / "db")
    return tmp_path / "db"


def expected_graph(db: Path) -> Graph:
    store = EmbeddedStore(db)
    return records_graph(store.entities(), store.claims())


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_export_every_rdf_format_to_a_file(fmt: str, db: Path, tmp_path: Path) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--db", str(db), "-f", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"as {fmt} to {out}" in result.stderr
    assert isomorphic(read_graph(out), expected_graph(db))


def test_export_turtle_to_stdout_by_default(db: Path) -> None:
    result = run("export", "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(graph, expected_graph(db))


def test_export_graphml_and_neo4j_csv(db: Path, tmp_path: Path) -> None:
    result = run("export", "--db", str(db), "-f", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert graph.nodes["company/huawei"]["name"] == CHINESE_NAME
    assert graph.number_of_edges() == len(claims())
    result = run("export", "--db", str(db), "-f", "neo4j-csv", "-o", str(tmp_path / "csv"))
    assert result.returncode == 0, result.stderr
    assert "neo4j-admin database import full neo4j" in result.stderr
    assert (tmp_path / "csv" / "nodes_Company.csv").is_file()
    assert (tmp_path / "csv" / "import.sh").is_file()


def test_export_neighbourhood_by_name(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "n.ttl"
    result = run(
        "export", "--db", str(db), "--entity", "Ascend 910B", "--hops", "1", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    graph = read_graph(out)
    typed = {str(s) for s in graph.subjects(predicate=None, object=None)}
    for inside in ("product/ascend-910b", "company/huawei", "company/deepseek", "source/dataset"):
        assert str(entity_iri(inside)) in typed
    for outside in ("company/nvidia", "company/sgs", "country/it"):
        assert str(entity_iri(outside)) not in typed


def test_import_then_export_round_trips_through_the_cli(db: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.trig"
    assert run("export", "--db", str(db), "-f", "trig", "-o", str(first)).returncode == 0
    result = run("import", str(first), "--db", str(tmp_path / "copy"))
    assert result.returncode == 0, result.stderr
    assert f"imported {len(entities())} entities ({len(entities())} new)" in result.stdout
    second = tmp_path / "second.trig"
    assert (
        run("export", "--db", str(tmp_path / "copy"), "-f", "trig", "-o", str(second)).returncode
        == 0
    )
    assert isomorphic(read_graph(first), read_graph(second))
    assert run("validate", str(second)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["-f", "xml"], "unknown export format 'xml'", 2),
        (["-f", "neo4j-csv"], "--format neo4j-csv needs -o DIR", 2),
        (["-f", "graphml", "--with-ontology"], "--with-ontology applies to RDF formats only", 2),
        (["--entity", "Deepsek"], "no entity 'Deepsek' in the graph; did you mean: DeepSeek", 2),
    ],
)
def test_export_errors_are_one_line(
    args: list[str], message: str, code: int, db: Path, tmp_path: Path
) -> None:
    result = run("export", "--db", str(db), *args)
    assert result.returncode == code
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_failed_export_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    from chipkg.export.output import atomic_file

    out = tmp_path / "graph.ttl"
    out.write_bytes(b"previous export")
    with pytest.raises(RuntimeError), atomic_file(out) as handle:
        handle.write(b"half of a new export")
        raise RuntimeError("disk full")
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
    with atomic_file(out) as handle:
        handle.write(b"new export")
    assert out.read_bytes() == b"new export"


@pytest.mark.neo4j
def test_export_from_neo4j_matches_embedded(
    neo4j_store: Any, neo4j_env: dict[str, str], db: Path, tmp_path: Path
) -> None:
    neo4j_store.write(entities(), claims())
    out = tmp_path / "neo4j.nt"
    result = run("export", "--neo4j", "-f", "nt", "-o", str(out), env=neo4j_env)
    assert result.returncode == 0, result.stderr
    assert isomorphic(read_graph(out), expected_graph(db))
