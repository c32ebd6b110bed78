"""Case-blind scans done as case-sensitive scans of lowered text must find the same."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.casefold import (
    SAFE_LATIN,
    lowered,
    pattern_char_ok,
    text_char_ok,
)
from chipkg.loaders.text.document import read_document
from chipkg.loaders.text.extractor import gazetteer_for, prepare_resolver
from chipkg.loaders.text.gazetteer import Gazetteer
from chipkg.ontology import Entity
from tests.support.paths import DATA

SAFE_TEXT = "".join(chr(c) for c in range(1, 0x10000) if text_char_ok(c))


def _pattern_chars() -> list[str]:
    """ASCII, the checked Latin range, the reference gazetteer's own characters."""
    chars = {chr(c) for c in range(1, 0x80)}
    chars |= {chr(c) for c in range(SAFE_LATIN[0], SAFE_LATIN[1] + 1)}
    reference = gazetteer_for(prepare_resolver(Resolver()))
    chars |= {ch for key in reference.entries for ch in key}
    return sorted(ch for ch in chars if pattern_char_ok(ch))


@pytest.mark.parametrize("form", ["{}", "[{}]"])
def test_every_allowed_literal_matches_what_its_lower_case_scan_matches(form: str) -> None:
    """For each allowed pattern character, re.I over the text and a plain scan of the
    lowered text accept exactly the same characters of the Basic Multilingual Plane."""
    wrong = []
    for ch in _pattern_chars():
        pattern = form.format(re.escape(ch))
        blind = {m.group() for m in re.finditer(pattern, SAFE_TEXT, re.I)}
        plain = {c for c in SAFE_TEXT if c.lower() == ch}
        if blind != plain:
            wrong.append(ch)
    assert wrong == []


def test_lowering_keeps_word_and_space_classes() -> None:
    low = SAFE_TEXT.lower()
    assert len(low) == len(SAFE_TEXT)
    for pattern in (r"\w", r"\s"):
        blind = [m.start() for m in re.finditer(pattern, SAFE_TEXT)]
        assert blind == [m.start() for m in re.finditer(pattern, low)]


@pytest.mark.parametrize("text", ["İstanbul", "ıntel", "Maſter", "ΟΔΟΣ", "µm", "𝐀"])
def test_text_with_special_case_characters_is_not_lowered(text: str) -> None:
    assert lowered(text) is None


def test_plain_text_is_lowered() -> None:
    assert lowered("Società Über SMIC") == "società über smic"


def test_characters_without_case_others_lower_to_are_refused() -> None:
    assert not pattern_char_ok("\u1e9e")  # capital sharp s: not lower case
    assert not pattern_char_ok("ı")  # dotless i: re.I also matches I and i
    assert pattern_char_ok("中")


def _both_scans(gazetteer: Gazetteer, text: str) -> tuple[list[object], list[object]]:
    fast = list(gazetteer.find(text))
    plain, gazetteer._plain = gazetteer._plain, None
    try:
        slow = list(gazetteer.find(text))
    finally:
        gazetteer._plain = plain
    return fast, slow


def test_reference_gazetteer_takes_the_fast_path_and_finds_the_same_on_every_text() -> None:
    gazetteer = gazetteer_for(prepare_resolver(Resolver()))
    assert isinstance(gazetteer, Gazetteer) and gazetteer._plain is not None
    paths = sorted((DATA / "texts").glob("*/*.txt"))
    assert paths
    for path in paths:
        text = read_document(path).match_text
        fast, slow = _both_scans(gazetteer, text)
        assert fast == slow, path.name


@given(st.text(alphabet=st.sampled_from("HuaHong hua HONG İıſΣσς Aé É-_.,  \n"), max_size=40))
def test_any_text_finds_the_same_with_and_without_the_fast_path(text: str) -> None:
    gazetteer = Gazetteer(
        [
            Entity(id="company/hua-hong", label="Company", name="Hua Hong"),
            Entity(id="company/ae", label="Company", name="Aé Systems", aliases=["AÉ"]),
        ]
    )
    fast, slow = _both_scans(gazetteer, text)
    assert fast == slow
