"""RDF export and import: round trips in every syntax, provenance pattern, Unicode, SPARQL."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH, XSD

from chipkg.export.iris import (
    CHIPKG,
    DATA_GRAPH,
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    claim_iri,
    entity_id,
    entity_iri,
)
from chipkg.export.rdf import RDF_FORMATS, records_graph, write_rdf
from chipkg.export.rdf_import import import_rdf, read_graph
from chipkg.export.selection import find_entity, neighbourhood, whole_store
from chipkg.export.terms import iri
from chipkg.export.validate import validate_file
from chipkg.graph import EmbeddedStore, Store
from chipkg.ontology import Claim, Entity
from tests.support.export_helpers import (
    CHINESE_ALIAS,
    CHINESE_NAME,
    ITALIAN_NAME,
    ITALIAN_QUOTE,
    filled_store,
)
from tests.support.paths import ROOT

FORMATS = list(RDF_FORMATS)
SUFFIX = {"ttl": "ttl", "trig": "trig", "nq": "nq", "nt": "nt", "jsonld": "jsonld"}
EXPORT_PAGE = ROOT / "docs" / "export.md"
PROV_DERIVED = iri("prov:wasDerivedFrom")
SUPPLIES = iri("chipkg:supplies")
OWNS = iri("schema:owns")


def export_file(store: Store, fmt: str, path: Path, with_ontology: bool = False) -> Path:
    selection = whole_store(store)
    with path.open("wb") as out:
        write_rdf(selection.entities, selection.claims, fmt, out, with_ontology)
    return path


def records(store: Store) -> tuple[list[Entity], list[Claim]]:
    return sorted(store.entities(), key=lambda e: e.id), list(store.claims())


@pytest.fixture
def source(tmp_path: Path) -> EmbeddedStore:
    return filled_store(tmp_path / "source")


@pytest.mark.parametrize("fmt", FORMATS)
def test_import_rebuilds_identical_records(fmt: str, source: EmbeddedStore, tmp_path: Path) -> None:
    path = export_file(source, fmt, tmp_path / f"graph.{SUFFIX[fmt]}")
    target = EmbeddedStore(tmp_path / "target")
    report = import_rdf(path, target)
    assert report.new_entities == len(records(source)[0])
    assert records(target) == records(source)
    claim = next(target.claims(predicate="SUPPLIES"))
    assert {ev.source: ev.extractor_version for ev in claim.evidence} == {
        "source/news-it": None,
        "source/news-zh": "1.2",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_import_export_is_the_same_graph(
    fmt: str, source: EmbeddedStore, tmp_path: Path
) -> None:
    first = export_file(source, fmt, tmp_path / f"first.{SUFFIX[fmt]}")
    target = EmbeddedStore(tmp_path / "target")
    import_rdf(first, target)
    second = export_file(target, fmt, tmp_path / f"second.{SUFFIX[fmt]}")
    one, two = read_graph(first), read_graph(second)
    assert len(one) > 100
    assert isomorphic(one, two)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unicode_names_and_quotes_survive(fmt: str, source: EmbeddedStore, tmp_path: Path) -> None:
    path = export_file(source, fmt, tmp_path / f"graph.{SUFFIX[fmt]}")
    graph = read_graph(path)
    name = iri("schema:name")
    assert (entity_iri("company/huawei"), name, Literal(CHINESE_NAME)) in graph
    assert (entity_iri("company/sgs"), name, Literal(ITALIAN_NAME)) in graph
    assert (entity_iri("company/deepseek"), iri("skos:altLabel"), Literal(CHINESE_ALIAS)) in graph
    assert Literal(ITALIAN_QUOTE) in set(graph.objects(None, iri("chipkg:quote")))


def test_fact_is_a_plain_triple_and_a_sourced_claim(source: EmbeddedStore, tmp_path: Path) -> None:
    graph = read_graph(export_file(source, "ttl", tmp_path / "g.ttl"))
    nvidia, deepseek = entity_iri("company/nvidia"), entity_iri("company/deepseek")
    assert (nvidia, SUPPLIES, deepseek) in graph
    claim = next(source.claims(predicate="SUPPLIES"))
    node = claim_iri(claim)
    assert (node, RDF.type, CHIPKG.Claim) in graph
    assert graph.value(node, RDF.subject) == nvidia
    assert graph.value(node, RDF.predicate) == SUPPLIES
    assert graph.value(node, RDF.object) == deepseek
    assert str(graph.value(node, iri("chipkg:modality"))) == claim.modality == "reported"
    assert graph.value(node, iri("chipkg:attributedTo")) == Literal("Reuters")
    assert float(graph.value(node, iri("chipkg:confidence"))) == claim.confidence
    assert {entity_id(s) for s in graph.objects(node, PROV_DERIVED)} == set(claim.sources)
    evidence = list(graph.objects(node, CHIPKG.evidence))
    assert len(evidence) == 2
    by_source = {entity_id(graph.value(ev, PROV_DERIVED)): ev for ev in evidence}
    italian = by_source["source/news-it"]
    assert (italian, RDF.type, CHIPKG.Evidence) in graph
    assert str(graph.value(italian, iri("chipkg:modality"))) == "rumored"
    assert graph.value(italian, iri("chipkg:spanEnd")) == Literal(70)
    assert graph.value(italian, iri("dcterms:language")) == Literal("it")


def test_negated_claim_keeps_provenance_without_plain_triple(
    source: EmbeddedStore, tmp_path: Path
) -> None:
    graph = read_graph(export_file(source, "ttl", tmp_path / "g.ttl"))
    huawei, h800 = entity_iri("company/huawei"), entity_iri("product/h800")
    assert (huawei, OWNS, h800) not in graph
    negated = next(source.claims(predicate="OWNS", subject="company/huawei"))
    assert str(graph.value(claim_iri(negated), iri("chipkg:modality"))) == "negated"
    assert (entity_iri("company/deepseek"), OWNS, h800) in graph


def test_values_are_typed_literals(source: EmbeddedStore, tmp_path: Path) -> None:
    graph = read_graph(export_file(source, "nt", tmp_path / "g.nt"))
    founded = iri("schema:foundingDate")
    assert graph.value(entity_iri("company/huawei"), founded).datatype == XSD.gYear
    assert graph.value(entity_iri("company/deepseek"), founded).datatype == XSD.gYearMonth
    assert graph.value(entity_iri("company/nvidia"), founded).datatype == XSD.date
    assert graph.value(entity_iri("company/nvidia"), iri("schema:url")).datatype == XSD.anyURI
    node_nm = iri("chipkg:nodeNanometres")
    assert graph.value(entity_iri("technology/n7"), node_nm) == Literal(7)
    assert graph.value(entity_iri("technology/n6-5"), node_nm).datatype == XSD.decimal
    fdpr = graph.value(
        entity_iri("regulation/test-rule"), iri("chipkg:usesForeignDirectProductRule")
    )
    assert fdpr == Literal(True)
    roles = set(graph.objects(entity_iri("company/huawei"), iri("chipkg:role")))
    assert roles == {Literal("chip_designer"), Literal("idm")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_graph_exports_and_imports(fmt: str, tmp_path: Path) -> None:
    empty = EmbeddedStore(tmp_path / "empty")
    path = export_file(empty, fmt, tmp_path / f"empty.{SUFFIX[fmt]}")
    assert len(read_graph(path)) == 0
    target = EmbeddedStore(tmp_path / "target")
    assert import_rdf(path, target).entities == 0
    assert target.counts().to_json() == {"nodes": {}, "relationships": {}}
    assert validate_file(path).conforms


def test_trig_with_ontology_uses_named_graphs(source: EmbeddedStore, tmp_path: Path) -> None:
    from rdflib import Dataset

    path = export_file(source, "trig", tmp_path / "g.trig", with_ontology=True)
    dataset = Dataset().parse(path, format="trig")
    assert (CHIPKG.Company, RDF.type, OWL.Class) in dataset.graph(ONTOLOGY_GRAPH)
    assert (CHIPKG["shape/Claim"], RDF.type, SH.NodeShape) in dataset.graph(SHAPES_GRAPH)
    data = dataset.graph(DATA_GRAPH)
    assert (entity_iri("company/nvidia"), SUPPLIES, entity_iri("company/deepseek")) in data
    assert (CHIPKG.Company, RDF.type, OWL.Class) not in data
    target = EmbeddedStore(tmp_path / "target")
    import_rdf(path, target)
    assert records(target) == records(source)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_single_graph_formats_carry_ontology_inline(
    fmt: str, source: EmbeddedStore, tmp_path: Path
) -> None:
    path = export_file(source, fmt, tmp_path / f"g.{SUFFIX[fmt]}", with_ontology=True)
    graph = Graph().parse(path, format=RDF_FORMATS[fmt])
    assert (CHIPKG.Company, RDF.type, OWL.Class) in graph
    assert (CHIPKG["shape/Claim"], RDF.type, SH.NodeShape) in graph
    assert validate_file(path).conforms
    target = EmbeddedStore(tmp_path / "target")
    import_rdf(path, target)
    assert records(target) == records(source)


@pytest.mark.parametrize("fmt", ["nt", "nq"])
@pytest.mark.parametrize("chunk", [1, 3, 10_000])
def test_streamed_line_formats_parse_to_the_records_graph(
    fmt: str, chunk: int, source: EmbeddedStore, tmp_path: Path
) -> None:
    entities, claims = records(source)
    out = io.BytesIO()
    write_rdf(entities, claims, fmt, out, chunk=chunk)
    path = tmp_path / f"streamed.{fmt}"
    path.write_bytes(out.getvalue())
    assert isomorphic(read_graph(path), records_graph(entities, claims))


@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_characters_survive(fmt: str, tmp_path: Path) -> None:
    awkward = 'a "quoted" back\\slash\nnew line\r\ttab – «è» 华为 \U0001f600'
    store = EmbeddedStore(tmp_path / "db")
    store.write(
        [
            Entity(id="company/x", label="Company", name=awkward, aliases=[awkward + "!"]),
            Entity(id="company/y", label="Company", name="Y"),
            Entity(id="source/s", label="Source", name="S"),
        ],
        [
            Claim.model_validate(
                {"subject": "company/x", "predicate": "SUPPLIES", "object": "company/y",
                 "evidence": {"source": "source/s", "quote": awkward,
                              "properties": {"item": awkward}}}
            )
        ],
    )  # fmt: skip
    path = export_file(store, fmt, tmp_path / f"g.{SUFFIX[fmt]}")
    target = EmbeddedStore(tmp_path / "target")
    import_rdf(path, target)
    assert records(target) == records(store)
    assert target.get("company/x") is not None
    assert target.get("company/x").name == awkward  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "eid", ["company/at&t", "source/a#b?c%20d", "company/华为", 'company/x"<y>', "company/a\\b"]
)
def test_entity_iris_round_trip(eid: str) -> None:
    node = entity_iri(eid)
    assert entity_id(node) == eid
    assert not re.search(r'[<>"{}|\\^`\s]', str(node))


def _documented_sparql() -> str:
    text = EXPORT_PAGE.read_text(encoding="utf-8")
    section = text.split("<!-- section:export -->")[1].split("<!-- /section:export -->")[0]
    match = re.search(r"```sparql\n(.*?)```", section, re.S)
    assert match, "docs/export.md has no ```sparql example"
    return match.group(1)


def test_documented_sparql_who_supplies_deepseek(source: EmbeddedStore, tmp_path: Path) -> None:
    graph = Graph().parse(export_file(source, "ttl", tmp_path / "g.ttl"), format="turtle")
    rows = {
        (str(r.supplier), str(r.sourceName), str(r.quote) if r.quote else None)
        for r in graph.query(_documented_sparql())
    }
    names = {e.id: e.name for e in source.entities()}
    expected = {
        (names[c.subject], names[ev.source], ev.quote)
        for c in source.claims(predicate="SUPPLIES", object="company/deepseek")
        if c.modality != "negated"
        for ev in c.evidence
    }
    assert len(expected) == 2
    assert rows == expected


def test_neighbourhood_holds_entities_within_hops_and_their_sources(
    source: EmbeddedStore,
) -> None:
    start = find_entity(source, "深度求索")
    assert start.id == "company/deepseek"
    claims = list(source.claims())
    for hops in (0, 1, 2):
        reach = {start.id}
        for _ in range(hops):
            reach |= {
                e for c in claims for e in (c.subject, c.object) if reach & {c.subject, c.object}
            }
        inside = [c for c in claims if {c.subject, c.object} <= reach]
        picked = neighbourhood(source, start, hops)
        sources = {s for c in inside for s in c.sources}
        assert [c.key for c in picked.claims] == sorted(c.key for c in inside)
        assert {e.id for e in picked.entities} == reach | sources
    assert "company/nvidia" in {e.id for e in neighbourhood(source, start, 1).entities}


def test_export_is_the_same_from_every_backend(store: Store, tmp_path: Path) -> None:
    from tests.support.export_helpers import claims, entities

    store.write(entities(), claims())
    reference = filled_store(tmp_path / "reference")
    mine = read_graph(export_file(store, "nt", tmp_path / "backend.nt"))
    theirs = read_graph(export_file(reference, "nt", tmp_path / "reference.nt"))
    assert isomorphic(mine, theirs)


def test_claim_iri_names_the_fact_not_its_sources(source: EmbeddedStore) -> None:
    claim = next(source.claims(predicate="OWNS", subject="company/deepseek"))
    extra = claim.model_copy(
        update={"evidence": [claim.evidence[0].model_copy(update={"source": "source/dataset"})]}
    )
    assert claim_iri(claim.merged_with(extra)) == claim_iri(claim)
    other = next(source.claims(predicate="SUPPLIES"))
    changed = other.model_copy(update={"properties": {"item": "product/other"}})
    assert changed.key != other.key
    assert claim_iri(changed) != claim_iri(other)
