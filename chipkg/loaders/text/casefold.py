"""Case-blind matching as a case-sensitive scan of the lower-cased text, where that is exact.

Python's regex engine compares every character of a case-blind (``re.I``) pattern through
its own lower-case mapping, which makes a large alternation such as the gazetteer's trie
about twice as slow as the same pattern, case-sensitive, over ``text.lower()``. The two
agree exactly when

* every character of the text lower-cases (``str.lower``) to one character, the one the
  regex engine itself compares, keeps being (or not being) a word or space character, and
  has no extra case-blind equivalent (the engine's ``_EXTRA_CASES``: dotless ı, long ſ,
  micro sign ...); ``Σ`` is excluded because ``str.lower`` picks its final form by context;
* every character of the pattern's literals is already lower case and either of a set
  checked against the engine (ASCII and lower-case Latin letters up to U+024F), or without
  case (CJK, Hangul ...) and the lower case of no other character, which the engine then
  compares as it is (``tests/text/test_text_casefold.py`` compares both scans for these
  characters against every character of the Basic Multilingual Plane).

:func:`lowered` answers None for a text with any other character; callers then scan with
the case-blind pattern as before, so the result is the same either way.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

_SRE: Any = importlib.import_module("_sre")
_CASEFIX: Any = importlib.import_module("re._casefix")

SAFE_LATIN = (0xC0, 0x24F)  # pattern characters beyond ASCII that are checked in tests
_last: list[tuple[str, str | None]] = []


@cache
def _extra_cases() -> frozenset[int]:
    extra: set[int] = set()
    for code, others in _CASEFIX._EXTRA_CASES.items():
        extra.add(code)
        extra.update(others)
    return frozenset(extra)


def text_char_ok(code: int) -> bool:
    """Whether a text character may be lower-cased before a case-sensitive scan."""
    if code < 0x80:
        return True
    if code > 0xFFFF or code == 0x3A3 or code in _extra_cases():
        return False
    ch = chr(code)
    low = ch.lower()
    if len(low) != 1 or ord(low) != _SRE.unicode_tolower(code) or ord(low) in _extra_cases():
        return False
    return ch.isalnum() == low.isalnum() and ch.isspace() == low.isspace()


def pattern_char_ok(ch: str) -> bool:
    """Whether a literal of a case-blind pattern may be matched case-sensitively."""
    code = ord(ch)
    if code < 0x80:
        return ch == ch.lower()
    if code > 0xFFFF or ch != ch.lower() or code in _extra_cases() or not text_char_ok(code):
        return False
    if _SRE.unicode_iscased(code):
        return SAFE_LATIN[0] <= code <= SAFE_LATIN[1]
    return code not in _lower_targets()


@cache
def _lower_targets() -> frozenset[int]:
    """Characters that some other character lower-cases to."""
    out = set()
    for code in range(0x80, 0x10000):
        low = chr(code).lower()
        if len(low) == 1 and ord(low) != code:
            out.add(ord(low))
    return frozenset(out)


def keys_ok(keys: Iterable[str]) -> bool:
    """Whether all these literals may be matched case-sensitively over lowered text."""
    return all(pattern_char_ok(ch) for ch in set("".join(keys)))


@cache
def _unsafe_re() -> re.Pattern[str]:
    bad = [code for code in range(0x80, 0x10000) if not text_char_ok(code)]
    ranges: list[tuple[int, int]] = []
    for code in bad:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    body = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


def lowered(text: str) -> str | None:
    """``text.lower()`` when a case-sensitive scan of it equals a case-blind scan of
    ``text`` (see module docstring), else None. The last answer is kept: the gazetteer's
    two layers scan the same text one after the other."""
    if _last and _last[0][0] is text:
        return _last[0][1]
    low = None if _unsafe_re().search(text) else text.lower()
    _last[:] = [(text, low)]
    return low
