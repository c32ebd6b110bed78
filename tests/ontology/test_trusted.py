"""``construct`` rebuilds a trusted record exactly as pydantic's ``model_construct`` does."""

from __future__ import annotations

import pytest

from chipkg.graph.compact import decode_claim, encode_claim, parse
from chipkg.ontology import Claim, Entity, Evidence
from chipkg.ontology.trusted import construct
from tests.support.records import make_claim


def same_model(fast: object, slow: object) -> None:
    assert type(fast) is type(slow)
    assert fast == slow
    assert list(fast.__dict__) == list(slow.__dict__)  # field order: dumps keep their order
    assert fast.model_fields_set == slow.model_fields_set  # type: ignore[attr-defined]


def test_missing_fields_take_their_defaults_and_fields_set_names_the_given_ones() -> None:
    values = {"source": "source/a", "quote": "q", "confidence": 0.4}
    fast, slow = construct(Evidence, values), Evidence.model_construct(**values)
    same_model(fast, slow)
    assert fast.modality == "asserted" and fast.properties == {}
    assert fast.model_dump(exclude_unset=True) == values


def test_a_default_factory_gives_each_record_its_own_value() -> None:
    one = construct(Evidence, {"source": "source/a"})
    two = construct(Evidence, {"source": "source/b"})
    one.properties["item"] = "product/x"
    assert two.properties == {}


def test_a_missing_required_field_is_an_error_not_a_half_built_record() -> None:
    with pytest.raises(KeyError, match="subject"):
        construct(Claim, {"predicate": "SUPPLIES", "object": "company/b", "evidence": []})


def test_keys_that_are_not_fields_are_left_out() -> None:
    entity = construct(Entity, {"id": "company/a", "label": "Company", "name": "A", "kind": "x"})
    same_model(entity, Entity.model_construct(id="company/a", label="Company", name="A"))
    assert "kind" not in entity.__dict__


def test_a_decoded_claim_equals_the_validated_one_field_for_field() -> None:
    claim = make_claim(
        "company/a",
        "SUPPLIES",
        "company/b",
        properties={"item": "product/x"},
        valid_from="2021-03",
        modality="reported",
        confidence=0.7,
    )
    decoded = decode_claim(claim.predicate, encode_claim(claim))
    assert decoded == claim
    assert decoded.model_dump_json() == claim.model_dump_json()
    for fast, slow in zip(decoded.evidence, claim.evidence, strict=True):
        assert fast == slow and list(fast.__dict__) == list(slow.__dict__)


def test_parse_takes_what_only_pythons_parser_accepts() -> None:
    assert parse(b'["\\ud800", 1]') == ["\ud800", 1]
    with pytest.raises(ValueError):
        parse(b'["unterminated')


def test_a_mutable_plain_default_is_copied_for_each_record() -> None:
    from pydantic import BaseModel

    class Tagged(BaseModel):
        name: str
        tags: list[str] = []

    one, two = construct(Tagged, {"name": "a"}), construct(Tagged, {"name": "b"})
    one.tags.append("x")
    assert two.tags == [] and Tagged.model_fields["tags"].default == []
    same_model(construct(Tagged, {"name": "c"}), Tagged.model_construct(name="c"))
