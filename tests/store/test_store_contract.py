"""The store contract: every backend must pass these (see conftest's ``store`` fixture)."""

from __future__ import annotations

import pytest

from chipkg.errors import OntologyError
from chipkg.graph import Store
from chipkg.ontology import Claim, Entity
from tests.support.records import make_claim


def test_empty_store_has_no_counts(store: Store) -> None:
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}


def test_write_then_read_back(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    report = store.write(sample_entities, sample_claims)
    assert report.new_entities == len(sample_entities)
    assert report.new_claims == len(sample_claims)
    assert store.get("company/nvidia") == sample_entities[1]
    assert store.get("company/missing") is None
    assert [e.id for e in store.entities("Company")] == ["company/deepseek", "company/nvidia"]
    owns = list(store.claims(predicate="OWNS"))
    assert owns == [sample_claims[0]]
    assert owns[0].properties == {"quantity": 10000}
    assert owns[0].modality == "rumored"
    assert owns[0].sources == ["source/test-a"]


def test_counts_by_label_and_type(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store.write(sample_entities, sample_claims)
    assert store.counts().to_json() == {
        "nodes": {"Company": 2, "Country": 2, "Product": 1, "Source": 2},
        "relationships": {"DESIGNS": 1, "LOCATED_IN": 2, "OWNS": 1, "SUPPLIES": 1},
    }


def test_writing_twice_changes_nothing(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store.write(sample_entities, sample_claims)
    before = (store.counts(), list(store.entities()), list(store.claims()))
    again = store.write(sample_entities, sample_claims)
    assert again.new_entities == 0 and again.new_claims == 0
    assert (store.counts(), list(store.entities()), list(store.claims())) == before


def test_same_fact_from_two_sources_is_one_edge(
    store: Store, sample_entities: list[Entity]
) -> None:
    first = make_claim("company/nvidia", "DESIGNS", "product/h800", confidence=0.5)
    second = make_claim(
        "company/nvidia",
        "DESIGNS",
        "product/h800",
        source="source/test-b",
        confidence=0.5,
        modality="reported",
        attributed_to="Reuters",
    )
    store.write(sample_entities, [first])
    store.write([], [second])
    (claim,) = store.claims(predicate="DESIGNS")
    assert claim.sources == ["source/test-a", "source/test-b"]
    assert len(claim.evidence) == 2
    assert claim.confidence == pytest.approx(0.75)
    assert claim.modality == "asserted"


def test_neighbours_and_endpoint_filters(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store.write(sample_entities, sample_claims)
    out = {(c.predicate, c.object) for c in store.neighbours("company/nvidia", "out")}
    assert out == {
        ("DESIGNS", "product/h800"),
        ("SUPPLIES", "company/deepseek"),
        ("LOCATED_IN", "country/us"),
    }
    inbound = {(c.subject, c.predicate) for c in store.neighbours("product/h800", "in")}
    assert inbound == {("company/deepseek", "OWNS"), ("company/nvidia", "DESIGNS")}
    assert [
        c.predicate for c in store.claims(subject="company/nvidia", object="company/deepseek")
    ] == ["SUPPLIES"]


def test_forbidden_endpoint_rejects_whole_batch(
    store: Store, sample_entities: list[Entity]
) -> None:
    bad = make_claim("product/h800", "SUPPLIES", "company/deepseek", properties={"item": "x"})
    with pytest.raises(OntologyError, match="SUPPLIES may not go from Product to Company"):
        store.write(sample_entities, [bad])
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}


def test_claim_to_unknown_entity_rejected(store: Store, sample_entities: list[Entity]) -> None:
    with pytest.raises(OntologyError, match="unknown entity 'company/ghost'"):
        store.write(sample_entities, [make_claim("company/ghost", "DESIGNS", "product/h800")])
    assert store.get("company/deepseek") is None


def test_claim_without_known_source_rejected(store: Store, sample_entities: list[Entity]) -> None:
    claim = make_claim("company/nvidia", "DESIGNS", "product/h800", source="source/nowhere")
    with pytest.raises(OntologyError, match="unknown Source"):
        store.write(sample_entities, [claim])


def test_label_clash_rejected(store: Store, sample_entities: list[Entity]) -> None:
    store.write(sample_entities, [])
    with pytest.raises(OntologyError, match="cannot also be a Product"):
        store.write([Entity(id="company/nvidia", label="Product", name="NVIDIA")], [])


def test_hostile_strings_are_data(store: Store, sample_entities: list[Entity]) -> None:
    evil = "x'}) DETACH DELETE n //"
    entity = Entity(
        id="company/evil", label="Company", name=evil, aliases=['"; MATCH (n) DELETE n']
    )
    store.write(
        [*sample_entities, entity],
        [make_claim("company/evil", "DESIGNS", "product/h800", quote=evil)],
    )
    assert store.get("company/evil") == entity
    (claim,) = store.claims(subject="company/evil")
    assert claim.evidence[0].quote == evil
    assert store.counts().nodes["Company"] == 3


def test_unicode_survives(store: Store, sample_entities: list[Entity]) -> None:
    huawei = Entity(
        id="company/huawei", label="Company", name="华为", aliases=["Huawei", "Società"]
    )
    store.write([*sample_entities, huawei], [])
    assert store.get("company/huawei") == huawei


def test_entity_merge_unites_aliases_and_roles(store: Store) -> None:
    store.write(
        [
            Entity(
                id="company/x",
                label="Company",
                name="X",
                aliases=["X Corp"],
                properties={"roles": ["foundry"]},
            )
        ],
        [],
    )
    store.write(
        [Entity(id="company/x", label="Company", name="X Inc", properties={"roles": ["idm"]})], []
    )
    merged = store.get("company/x")
    assert merged is not None
    assert merged.aliases == ["X Corp", "X Inc"]
    assert merged.properties["roles"] == ["foundry", "idm"]


def test_clear_empties(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store.write(sample_entities, sample_claims)
    store.clear()
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}


def test_writer_block_that_raises_writes_nothing(
    store: Store, sample_entities: list[Entity]
) -> None:
    with pytest.raises(RuntimeError), store.writer() as writer:
        for entity in sample_entities:
            writer.add_entity(entity)
        raise RuntimeError("boom")
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}
    with store.writer() as writer:
        for entity in sample_entities:
            writer.add_entity(entity)
    assert writer.report.new_entities == len(sample_entities)
