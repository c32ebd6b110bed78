"""The relation stages: records they pass on, and readings added with issue 15."""

from __future__ import annotations

import dataclasses

import pytest

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import parse_document
from chipkg.loaders.text.extractor import RuleExtractor
from chipkg.loaders.text.facts import Fact
from chipkg.loaders.text.kinds import Kind
from chipkg.loaders.text.sentences import Sentence


def claims(text: str, lang: str) -> set[tuple[str, str, str]]:
    found = RuleExtractor().extract(parse_document(text, "t.txt"), Resolver(), lang)
    return {(c.subject, c.predicate, c.object) for c in found.claims}


def test_fact_is_frozen_and_keyword_only() -> None:
    sentence = Sentence(0, 5, 0, 0, True)
    with pytest.raises(TypeError):
        Fact("USES", "company/a", "product/b", sentence, "r", 0.8)  # type: ignore[call-arg]
    fact = Fact(
        predicate="USES",
        subject="company/a",
        object="product/b",
        sentence=sentence,
        rule="r",
        confidence=0.8,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.confidence = 0.1  # type: ignore[misc]


def test_kind_members_are_the_pattern_letters() -> None:
    assert str(Kind.COMPANY) == "C" and Kind("P") is Kind.PRODUCT
    assert "C" in {Kind.COMPANY} and Kind.DEMONYM in "KDGR"
    assert f"{Kind.REGULATION}" == "R"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Moonshot AI ha addestrato il suo modello Kimi su circa 4.000 GPU H800.", "it"),
        ("Moonshot AI trained Kimi on about 4,000 H800 chips.", "en"),
    ],
)
def test_a_model_named_between_trained_and_its_chips_is_not_used(text: str, lang: str) -> None:
    found = claims(text, lang)
    assert ("company/moonshot-ai", "USES", "product/h800") in found
    assert ("company/moonshot-ai", "USES", "product/kimi") not in found


def test_german_passive_with_a_place() -> None:
    found = claims("Die H20-Beschleuniger von Nvidia werden bei TSMC in Taiwan gefertigt.", "de")
    assert ("company/tsmc", "MANUFACTURES", "product/h20") in found
    assert ("company/tsmc", "LOCATED_IN", "country/tw") in found


def test_german_let_made_at_a_foundry() -> None:
    found = claims("Huawei lässt seine Ascend-Chips bei SMIC produzieren.", "de")
    assert ("company/smic", "MANUFACTURES", "product/ascend") in found
    assert ("company/smic", "SUPPLIES", "company/huawei") in found
