"""GraphML export read back by networkx: labels, properties and provenance as attributes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from chipkg.export.graphml import EDGE_FIELDS, NODE_FIELDS, write_graphml
from chipkg.graph import EmbeddedStore
from chipkg.ontology import ONTOLOGY, Evidence
from tests.support.export_helpers import (
    CHINESE_ALIAS,
    CHINESE_NAME,
    ITALIAN_NAME,
    ITALIAN_QUOTE,
    filled_store,
)


def read_back(store: EmbeddedStore) -> nx.MultiDiGraph:
    out = io.BytesIO()
    write_graphml(store.entities(), store.claims(), out)
    graph = nx.read_graphml(io.BytesIO(out.getvalue()), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    return graph


@pytest.fixture
def source(tmp_path: Path) -> EmbeddedStore:
    return filled_store(tmp_path / "db")


def test_nodes_carry_label_type_names_and_properties(source: EmbeddedStore) -> None:
    graph = read_back(source)
    assert set(graph.nodes) == {e.id for e in source.entities()}
    huawei = graph.nodes["company/huawei"]
    assert huawei["label"] == huawei["name"] == CHINESE_NAME
    assert huawei["type"] == "Company"
    assert json.loads(huawei["roles"]) == ["chip_designer", "idm"]
    assert huawei["founded"] == "1987"
    assert json.loads(graph.nodes["company/deepseek"]["aliases"]) == ["DeepSeek AI", CHINESE_ALIAS]
    assert graph.nodes["company/sgs"]["name"] == ITALIAN_NAME
    assert graph.nodes["regulation/test-rule"]["fdpr"] is True
    assert graph.nodes["technology/n6-5"]["node_nm"] == 6.5
    assert graph.nodes["technology/n7"]["node_nm"] == 7.0


def test_edges_carry_type_provenance_and_evidence(source: EmbeddedStore) -> None:
    graph = read_back(source)
    claims = list(source.claims())
    assert graph.number_of_edges() == len(claims)
    for claim in claims:
        data = graph.edges[claim.subject, claim.object, claim.key]
        assert data["label"] == data["predicate"] == claim.predicate
        assert data["confidence"] == pytest.approx(claim.confidence, abs=0)
        assert data["modality"] == claim.modality
        assert data["derived"] is claim.derived
        assert json.loads(data["sources"]) == claim.sources
        evidence = [Evidence.model_validate(ev) for ev in json.loads(data["evidence"])]
        assert evidence == claim.evidence
        for name, value in claim.properties.items():
            assert data[name] == value
    supplies = next(source.claims(predicate="SUPPLIES"))
    edge = graph.edges[supplies.subject, supplies.object, supplies.key]
    assert edge["attributed_to"] == "Reuters"
    assert ITALIAN_QUOTE in edge["evidence"]
    manufactures = next(source.claims(predicate="MANUFACTURES"))
    assert graph.edges[manufactures.subject, manufactures.object, manufactures.key]["year"] == 1990


def test_empty_graph_is_valid_graphml(tmp_path: Path) -> None:
    graph = read_back(EmbeddedStore(tmp_path / "empty"))
    assert graph.number_of_nodes() == 0 and graph.number_of_edges() == 0


def test_reserved_attribute_names_never_clash_with_properties() -> None:
    node_props = {name for label in ONTOLOGY.labels for name in ONTOLOGY.entity_properties(label)}
    edge_props = {name for rtype in ONTOLOGY.relationships.values() for name in rtype.properties}
    assert not (set(NODE_FIELDS) - {"name", "aliases"}) & node_props
    assert not set(EDGE_FIELDS) & edge_props
