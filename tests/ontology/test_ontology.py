"""The ontology loads from YAML, validates records, and its generated files are current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from chipkg.errors import OntologyError
from chipkg.ontology import ONTOLOGY, Claim, Entity, load_ontology
from chipkg.ontology.generate import neo4j_schema, stale_artifacts, write_artifacts
from chipkg.ontology.schema import SCHEMA_DIR

LABELS = [
    "Company",
    "Country",
    "GovernmentBody",
    "Product",
    "Technology",
    "Facility",
    "Regulation",
    "Person",
    "Source",
]
RELATIONSHIPS = [
    "SUPPLIES",
    "MANUFACTURES",
    "DESIGNS",
    "OWNS",
    "USES",
    "DEVELOPS",
    "COMPETES_WITH",
    "SUBSIDIARY_OF",
    "LOCATED_IN",
    "OPERATES",
    "ISSUED_BY",
    "TARGETS",
    "RESTRICTS",
    "VARIANT_OF",
    "TYPE_OF",
    "INPUT_TO",
]


def test_minimum_vocabulary_present() -> None:
    assert sorted(LABELS) == ONTOLOGY.labels
    assert sorted(RELATIONSHIPS) == ONTOLOGY.relationship_types


def test_every_relationship_has_reverse_description_and_iri() -> None:
    for rtype in ONTOLOGY.relationships.values():
        assert rtype.reverse and rtype.description
        assert ONTOLOGY.expand(rtype.rdf).startswith("http")


def test_endpoint_rules_from_yaml() -> None:
    ONTOLOGY.check_endpoints("MANUFACTURES", "Country", "Technology")
    with pytest.raises(OntologyError, match="SUPPLIES may not go from Product to Company"):
        ONTOLOGY.check_endpoints("SUPPLIES", "Product", "Company")


def test_unknown_label_and_type_are_rejected() -> None:
    with pytest.raises(OntologyError, match="unknown entity label 'Gizmo'"):
        Entity(id="gizmo/x", label="Gizmo", name="x")
    with pytest.raises(OntologyError, match="unknown relationship type 'LIKES'"):
        Claim(subject="a/b", predicate="LIKES", object="c/d", evidence={"source": "s/x"})


def test_abstract_entity_label_is_not_concrete() -> None:
    with pytest.raises(OntologyError):
        Entity(id="entity/x", label="Entity", name="x")


def test_property_types_enforced() -> None:
    with pytest.raises(OntologyError, match="category must be one of"):
        Entity(id="product/x", label="Product", name="x", properties={"category": "toaster"})
    with pytest.raises(OntologyError, match="has no property 'colour'"):
        Entity(id="product/x", label="Product", name="x", properties={"colour": "red"})
    with pytest.raises(OntologyError, match="quantity must be within"):
        Claim(
            subject="a/b",
            predicate="OWNS",
            object="c/d",
            properties={"quantity": -1},
            evidence={"source": "s/x"},
        )
    with pytest.raises(OntologyError, match="effective_from must be a date"):
        Entity(
            id="regulation/x", label="Regulation", name="x", properties={"effective_from": "soon"}
        )


def test_claim_needs_evidence_and_valid_modality() -> None:
    with pytest.raises(ValidationError):
        Claim(subject="a/b", predicate="OWNS", object="c/d", evidence=[])
    with pytest.raises(ValidationError):
        Claim(
            subject="a/b",
            predicate="OWNS",
            object="c/d",
            modality="certain",
            evidence={"source": "s/x"},
        )


def test_symmetric_relationship_is_stored_one_way() -> None:
    a = Claim(
        subject="company/z",
        predicate="COMPETES_WITH",
        object="company/a",
        evidence={"source": "s/x"},
    )
    b = Claim(
        subject="company/a",
        predicate="COMPETES_WITH",
        object="company/z",
        evidence={"source": "s/x"},
    )
    assert a.key == b.key and a.subject == "company/a"


def test_merging_is_order_independent_and_idempotent() -> None:
    one = Claim(
        subject="a/b",
        predicate="OWNS",
        object="c/d",
        confidence=0.4,
        properties={"quantity": 10},
        evidence={"source": "s/one"},
    )
    two = Claim(
        subject="a/b",
        predicate="OWNS",
        object="c/d",
        confidence=0.9,
        modality="rumored",
        properties={"quantity": 12},
        evidence={"source": "s/two"},
    )
    left, right = one.merged_with(two), two.merged_with(one)
    assert left == right
    assert left.merged_with(two) == left
    assert left.properties == {"quantity": 12}  # the more confident evidence's value
    assert left.modality == "asserted"
    assert left.confidence == pytest.approx(1 - 0.6 * 0.1)


def test_all_negated_evidence_gives_negated_claim() -> None:
    claim = Claim(
        subject="company/a",
        predicate="SUPPLIES",
        object="company/b",
        modality="negated",
        properties={"item": "x"},
        evidence={"source": "s/x"},
    )
    assert claim.modality == "negated"


def test_broken_yaml_reference_is_reported(tmp_path: Path) -> None:
    schema = tmp_path / "schema"
    (schema / "entities").mkdir(parents=True)
    (schema / "relationships").mkdir()
    (schema / "claim.yaml").write_text((SCHEMA_DIR / "claim.yaml").read_text())
    for name in ("Entity", "Company"):
        (schema / "entities" / f"{name}.yaml").write_text(
            (SCHEMA_DIR / "entities" / f"{name}.yaml").read_text()
        )
    rel = yaml.safe_load((SCHEMA_DIR / "relationships" / "SUPPLIES.yaml").read_text())
    rel["target"] = ["Spaceship"]
    (schema / "relationships" / "SUPPLIES.yaml").write_text(yaml.safe_dump(rel))
    with pytest.raises(OntologyError, match="Spaceship"):
        load_ontology(schema)


def test_generated_artifacts_are_up_to_date() -> None:
    assert stale_artifacts() == [], "run: python -m chipkg.ontology.generate"


def test_stale_artifact_is_detected(tmp_path: Path) -> None:
    write_artifacts(tmp_path)
    assert stale_artifacts(tmp_path) == []
    cypher = tmp_path / "neo4j_schema.cypher"
    cypher.write_text(cypher.read_text().replace("company_name", "company_nom"))
    (tmp_path / "chipkg.shacl.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"
    )
    assert stale_artifacts(tmp_path) == ["neo4j_schema.cypher", "chipkg.shacl.ttl"]


def test_neo4j_schema_covers_every_label_and_type() -> None:
    text = "\n".join(neo4j_schema())
    for label in LABELS:
        assert f"(n:{label}) REQUIRE n.id IS UNIQUE" in text
    for rel in RELATIONSHIPS:
        assert f"()-[r:{rel}]-() REQUIRE r.key IS UNIQUE" in text
    assert all("IF NOT EXISTS" in s for s in neo4j_schema())


def test_relationship_indexes_come_from_the_yaml(tmp_path: Path) -> None:
    assert (
        "CREATE INDEX supplies_item IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.item)"
        in neo4j_schema()
    )
    schema = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, schema)
    rel = yaml.safe_load((schema / "relationships" / "SUPPLIES.yaml").read_text())
    rel["indexes"] = ["colour"]
    (schema / "relationships" / "SUPPLIES.yaml").write_text(yaml.safe_dump(rel))
    with pytest.raises(OntologyError, match="index 'colour'"):
        load_ontology(schema)
