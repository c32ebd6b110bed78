"""SHACL validation of exports, readable violations, and import refusing broken RDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF
from typer.testing import CliRunner

from chipkg.cli import app
from chipkg.demo import build_demo
from chipkg.errors import InputError
from chipkg.export.iris import CHIPKG, claim_iri, entity_iri
from chipkg.export.rdf import records_graph, write_rdf
from chipkg.export.rdf_import import import_rdf
from chipkg.export.selection import whole_store
from chipkg.export.terms import iri
from chipkg.export.validate import validate_file, validate_graph
from chipkg.graph import EmbeddedStore
from tests.support.export_helpers import filled_store

SUPPLIES = iri("chipkg:supplies")
PROV_DERIVED = iri("prov:wasDerivedFrom")


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = EmbeddedStore(tmp_path_factory.mktemp("demo") / "db")
    build_demo(store)
    path = tmp_path_factory.mktemp("export") / "demo.trig"
    selection = whole_store(store)
    with path.open("wb") as out:
        write_rdf(selection.entities, selection.claims, "trig", out, with_ontology=True)
    return path


@pytest.fixture
def good_graph(tmp_path: Path) -> Graph:
    store = filled_store(tmp_path / "db")
    return records_graph(store.entities(), store.claims())


def test_demo_export_conforms(demo_export: Path) -> None:
    report = validate_file(demo_export)
    assert report.violations == []
    assert report.conforms
    assert report.triples > 1000


def test_supplies_from_a_product_names_the_product(good_graph: Graph) -> None:
    good_graph.add((entity_iri("product/h800"), SUPPLIES, entity_iri("company/deepseek")))
    report = validate_graph(good_graph)
    assert not report.conforms
    [violation] = report.violations
    assert violation.focus == 'product/h800 (Product "H800")'
    assert violation.message == "SUPPLIES source label: must be a chipkg:Company"
    assert "product/h800" in violation.line()


def test_claim_without_source_names_the_claim(good_graph: Graph, tmp_path: Path) -> None:
    store = filled_store(tmp_path / "again")
    claim = next(store.claims(predicate="OWNS", subject="company/deepseek"))
    good_graph.remove((claim_iri(claim), PROV_DERIVED, None))
    [violation] = validate_graph(good_graph).violations
    assert violation.focus.startswith("claim company/deepseek OWNS product/h800 [claim/")
    assert violation.path == "prov:wasDerivedFrom"
    assert violation.message == "every claim needs at least one Source"


def test_evidence_without_source_and_bad_values_are_reported(good_graph: Graph) -> None:
    evidence = next(good_graph.subjects(RDF.type, CHIPKG.Evidence))
    good_graph.remove((evidence, PROV_DERIVED, None))
    deepseek = entity_iri("company/deepseek")
    good_graph.set((deepseek, iri("schema:foundingDate"), Literal("July 2023")))
    lines = [v.line() for v in validate_graph(good_graph).violations]
    assert len(lines) == 2
    assert any("every evidence names exactly one Source" in line for line in lines)
    assert any(
        line.startswith('Violation: company/deepseek (Company "DeepSeek"): schema:foundingDate')
        and "must be xsd:date or xsd:gYearMonth or xsd:gYear" in line
        for line in lines
    )


def _write(graph: Graph, path: Path) -> Path:
    graph.serialize(path, format="turtle")
    return path


def test_cli_validate_exit_codes_and_report(good_graph: Graph, tmp_path: Path) -> None:
    runner = CliRunner()
    good = _write(good_graph, tmp_path / "good.ttl")
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    good_graph.add((entity_iri("product/h800"), SUPPLIES, entity_iri("company/deepseek")))
    bad = _write(good_graph, tmp_path / "bad.ttl")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "1 violation" in result.output
    assert 'product/h800 (Product "H800"): SUPPLIES source label' in result.output
    result = runner.invoke(app, ["validate", "--json", str(bad)])
    data = json.loads(result.output)
    assert data["conforms"] is False
    assert data["violations"][0]["focus"] == 'product/h800 (Product "H800")'


def test_import_refuses_plain_triple_without_claim(good_graph: Graph, tmp_path: Path) -> None:
    good_graph.add((entity_iri("company/sgs"), SUPPLIES, entity_iri("company/deepseek")))
    path = _write(good_graph, tmp_path / "bad.ttl")
    store = EmbeddedStore(tmp_path / "target")
    with pytest.raises(InputError, match=r"bad\.ttl: triple .*company/sgs> SUPPLIES") as info:
        import_rdf(path, store)
    assert "\n" not in str(info.value)
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}


def test_import_refuses_supplies_from_a_product_and_writes_nothing(
    good_graph: Graph, tmp_path: Path
) -> None:
    claim = next(good_graph.subjects(RDF.predicate, SUPPLIES))
    good_graph.set((claim, RDF.subject, entity_iri("product/h800")))
    good_graph.remove((entity_iri("company/nvidia"), SUPPLIES, None))
    good_graph.add((entity_iri("product/h800"), SUPPLIES, entity_iri("company/deepseek")))
    path = _write(good_graph, tmp_path / "bad.ttl")
    store = EmbeddedStore(tmp_path / "target")
    with pytest.raises(InputError, match=r"bad\.ttl: SUPPLIES may not go from Product to Company"):
        import_rdf(path, store)
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}
    assert not (tmp_path / "target" / "graph.jsonl").exists()


def test_import_refuses_claim_without_evidence(good_graph: Graph, tmp_path: Path) -> None:
    claim = next(good_graph.subjects(RDF.predicate, SUPPLIES))
    good_graph.remove((claim, CHIPKG.evidence, None))
    path = _write(good_graph, tmp_path / "bad.ttl")
    with pytest.raises(InputError, match="has no chipkg:evidence"):
        import_rdf(path, EmbeddedStore(tmp_path / "target"))


def test_import_reports_unparsable_file_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.ttl: not valid turtle"):
        import_rdf(path, EmbeddedStore(tmp_path / "target"))
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        import_rdf(tmp_path / "graph.xyz", EmbeddedStore(tmp_path / "target"))


def test_cli_import_error_is_one_line(good_graph: Graph, tmp_path: Path) -> None:
    good_graph.add((entity_iri("company/sgs"), SUPPLIES, entity_iri("company/deepseek")))
    path = _write(good_graph, tmp_path / "bad.ttl")
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "chipkg", "import", str(path), "--db", str(tmp_path / "t")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "bad.ttl" in result.stderr and "SUPPLIES" in result.stderr


def test_validate_reads_every_syntax(good_graph: Graph, tmp_path: Path) -> None:
    for fmt, name in (("nt", "g.nt"), ("nq", "g.nq"), ("jsonld", "g.jsonld")):
        store = filled_store(tmp_path / f"db-{fmt}")
        out = io.BytesIO()
        write_rdf(store.entities(), store.claims(), fmt, out)
        (tmp_path / name).write_bytes(out.getvalue())
        report = validate_file(tmp_path / name)
        assert report.conforms, report.violations
        assert report.triples == len(good_graph)
