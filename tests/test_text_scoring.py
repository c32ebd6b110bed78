"""The scorer, and the extractor's quality on the annotated texts (a regression guard)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import Document
from chipkg.loaders.text.extractor import Extraction, RuleExtractor, source_entity
from chipkg.loaders.text.scoring import score, score_document
from chipkg.ontology import Claim, Entity

TEXTS = Path(__file__).parent / "data" / "texts"


class FixedExtractor:
    """An extractor plugged in through the same interface: returns two fixed claims."""

    name = "fixed"
    version = "0"

    def extract(
        self, document: Document, resolver: Resolver, language: str | None = None
    ) -> Extraction:
        source = source_entity(document, language or "en")
        ev = {"source": source.id, "quote": "q"}
        claims = [
            Claim(subject="company/nvidia", predicate="DESIGNS", object="product/h20", evidence=ev),
            Claim(subject="company/huawei", predicate="DESIGNS", object="product/h20", evidence=ev),
        ]
        names = ["company/nvidia", "company/huawei"]
        entities: list[Entity] = [source] + [
            Entity(id=i, label="Company", name=i.split("/")[1]) for i in names
        ]
        return Extraction(source, language or "en", entities, claims)


def test_scorer_counts_hits_misses_extras_and_forbidden() -> None:
    doc = TEXTS / "en" / "dev-nvidia-china.txt"
    result = score_document(doc, FixedExtractor())
    total = result.total
    expected = 9  # claims listed in dev-nvidia-china.expected.yaml
    assert (total.tp, total.fp, total.fn) == (1, 1, expected - 1)
    assert result.forbidden == ["company/huawei DESIGNS product/h20 [asserted]"]


def test_rule_extractor_on_the_development_texts() -> None:
    report = score(TEXTS, "dev", RuleExtractor())
    assert report.forbidden == []
    assert report.total.precision >= 0.9
    assert report.total.recall >= 0.8


def test_rule_extractor_on_the_held_out_texts_makes_no_forbidden_claim() -> None:
    report = score(TEXTS, "eval", RuleExtractor())
    if not report.scores:
        pytest.skip("the blind eval-* texts are not in this checkout yet")
    assert report.forbidden == []
    assert report.total.precision >= 0.85
