"""The scorer, and the extractor's quality on the annotated texts (a regression guard)."""

from __future__ import annotations

from pathlib import Path

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import Document
from chipkg.loaders.text.extractor import Extraction, RuleExtractor, source_entity
from chipkg.loaders.text.scoring import Report, documents, score, score_document
from chipkg.ontology import Claim, Entity
from tests.support.paths import DATA

TEXTS = DATA / "texts"


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


# Floors a little under the last measured dev figures (docs/extraction.md): a regression
# guard, not the goal.
DEV_PRECISION, DEV_RECALL = 0.88, 0.62


def test_rule_extractor_on_the_development_texts() -> None:
    """The floors hold for the pattern author's dev texts; the blind-written dev texts
    (``dev-blind-*``, far harder: P 0.72 / R 0.18 when merged) are held only to the
    forbidden-claim goal, like the eval split."""
    extractor = RuleExtractor()
    own = [p for p in documents(TEXTS, "dev") if not p.name.startswith("dev-blind-")]
    report = Report([score_document(p, extractor) for p in own])
    assert len(report.scores) >= 38
    assert sum(1 for s in report.scores if s.forbidden) * 20 <= len(report.scores)
    assert report.total.precision >= DEV_PRECISION
    assert report.total.recall >= DEV_RECALL
    every = score(TEXTS, "dev", extractor)
    assert len(every.scores) > len(report.scores)
    assert sum(1 for s in every.scores if s.forbidden) * 20 <= len(every.scores)


def test_rule_extractor_on_the_blind_texts_rarely_makes_a_forbidden_claim() -> None:
    """Only the forbidden-claim goal is asserted on the blind split (P/R are reported in
    docs/extraction.md, not turned into floors that would invite tuning on it)."""
    report = score(TEXTS, "eval", RuleExtractor())
    assert {s.language for s in report.scores} == {"en", "it", "de", "fr"}
    assert len(report.scores) >= 32
    assert sum(1 for s in report.scores if s.forbidden) * 20 <= len(report.scores)


class SupplyExtractor:
    """Returns one TSMC -> Huawei supply with the given end date."""

    name = "supply"
    version = "0"

    def __init__(self, valid_to: str | None) -> None:
        self.valid_to = valid_to

    def extract(
        self, document: Document, resolver: Resolver, language: str | None = None
    ) -> Extraction:
        source = source_entity(document, language or "en")
        ev = {"source": source.id, "quote": "q", "valid_to": self.valid_to}
        claim = Claim(
            subject="company/tsmc", predicate="SUPPLIES", object="company/huawei", evidence=ev
        )
        entities = [source] + [
            Entity(id=i, label="Company", name=i) for i in ("company/tsmc", "company/huawei")
        ]
        return Extraction(source, "en", entities, [claim])


def test_scorer_checks_stated_end_dates(tmp_path: Path) -> None:
    text = tmp_path / "en" / "dev-end.txt"
    text.parent.mkdir()
    text.write_text("TSMC will not supply Huawei after September 2020.\n", "utf-8")
    text.with_name("dev-end.expected.yaml").write_text(
        "claims:\n"
        "  - {subject: company/tsmc, predicate: SUPPLIES, object: company/huawei,"
        ' valid_to: "2020-09"}\n'
        "forbidden:\n"
        "  - {subject: company/tsmc, predicate: SUPPLIES, object: company/huawei,"
        " valid_to: null}\n",
        "utf-8",
    )
    open_ended = score_document(text, SupplyExtractor(None))
    assert open_ended.validity == [False]
    assert open_ended.forbidden == ["company/tsmc SUPPLIES company/huawei [asserted]"]
    ended = score_document(text, SupplyExtractor("2020-09-30"))
    assert ended.validity == [True]
    assert ended.forbidden == []
