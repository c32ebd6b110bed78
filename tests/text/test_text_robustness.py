"""Any input, however odd, gives a clear error or an extraction, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipkg.errors import InputError
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import parse_document
from chipkg.loaders.text.extractor import Extraction, RuleExtractor
from chipkg.loaders.text.loader import extract_path

WORDS = st.sampled_from(
    [
        "DeepSeek",
        "NVIDIA",
        "H800",
        "10.000",
        "2,048",
        "circa",
        "owns",
        "uses",
        "Si dice che",
        "According to Reuters,",
        "US sanctions",
        "the company",
        "l'azienda",
        ",",
        ".",
        "\n",
        "Huawei's",
        "Ascend 910B",
        "di",
        "from",
        "to",
        "(",
        ")",
        '"',
        "\ue000C0\ue001",
        "September 15, 2020",
    ]
)


def consistent(result: Extraction) -> None:
    ids = {e.id for e in result.entities}
    for claim in result.claims:
        assert {claim.subject, claim.object} <= ids


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), st.sampled_from(["it", "en", "de", "fr", None]))
def test_any_unicode_string(text: str, lang: str | None) -> None:
    consistent(RuleExtractor().extract(parse_document(text, "x.txt"), Resolver(), lang))


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join), st.sampled_from(["it", "en", "de", "fr"]))
def test_chip_news_shaped_noise(text: str, lang: str) -> None:
    consistent(RuleExtractor().extract(parse_document(text, "x.txt"), Resolver(), lang))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".html", ".md"]))
def test_binary_junk(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("junk") / f"junk{suffix}"
    path.write_bytes(data)
    try:
        consistent(extract_path(path, Resolver()))
    except InputError as exc:
        assert str(exc).startswith(str(path))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = extract_path(path, Resolver())
    assert result.claims == [] and [e.id for e in result.entities] == ["source/empty-txt"]


@pytest.mark.slow
def test_five_megabyte_file(tmp_path: Path) -> None:
    chunk = (
        "Si ritiene che DeepSeek possieda circa 10.000 GPU NVIDIA H800. "
        "Secondo DigiTimes, l'azienda sta valutando lo sviluppo di propri chip.\n"
    )
    path = tmp_path / "big.txt"
    path.write_text(chunk * (5_000_000 // len(chunk) + 1), encoding="utf-8")
    result = extract_path(path, Resolver(), "it")
    (owns,) = [c for c in result.claims if c.predicate == "OWNS"]
    assert len(owns.evidence) > 10_000
    consistent(result)


def test_one_five_megabyte_line_without_punctuation(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("chip " * 1_000_000, encoding="utf-8")
    assert extract_path(path, Resolver(), "en").claims == []
