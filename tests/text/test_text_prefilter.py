"""The first-character guard keeps a regex's matches exactly and skips what it cannot bound."""

from __future__ import annotations

import re

import pytest

from chipkg.loaders.text.prefilter import guarded

TEXT = (
    "Die Société générale, ÉTATS-UNIS und Huawei: H100s, 7nm, x-ray; "
    "il governo (Roma) ha detto 'sì' a TSMC-Chips. ſ Kelvin K"
)


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"(?<![\w-])(?:huawei|tsmc|société|états)(?![\w])", re.I),
        (r"(?<![\w-])(?:(?-i:H\d{3})s?|\d+nm|x-ray)(?![\w])", re.I),
        (r"(?:sì|\(roma\))", re.I),
        (r"(?:[a-c]|\d)+", 0),
        (r"(?:s|k)", re.I),  # folding: 'ſ' and the Kelvin sign match under IGNORECASE
    ],
)
def test_guarded_pattern_matches_exactly_like_the_plain_one(pattern: str, flags: int) -> None:
    plain = [(m.span(), m.groups()) for m in re.finditer(pattern, TEXT, flags)]
    fast = guarded(pattern, flags)
    assert fast.pattern.startswith("(?=[")
    assert [(m.span(), m.groups()) for m in fast.finditer(TEXT)] == plain
    assert plain  # each case finds something, so the comparison says something


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"a?b*", 0),  # can match the empty string
        (r".x", 0),  # any character first
        (r"[^a]b", 0),  # negated class first
        (r"(?i:huawei)", 0),  # a case-blind part under case-sensitive flags
    ],
)
def test_unbounded_patterns_are_compiled_as_they_are(pattern: str, flags: int) -> None:
    assert guarded(pattern, flags).pattern == pattern


def test_a_single_first_literal_keeps_the_engines_prefix_search() -> None:
    assert guarded("\ue000C\\d+\ue001 supplies", re.I).pattern == "\ue000C\\d+\ue001 supplies"
    assert guarded(r"\d+ GPUs", re.I).pattern.startswith("(?=[")
