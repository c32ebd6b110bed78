"""Dates in text, in four languages: "September 15, 2020", "15 settembre 2020",
"15. September 2020", "October 2023", "2020-12-18", and a year on its own.

A day and month without a year ("after Sept. 15") take the year last written before
them in the document; with no year anywhere before, they are not dates at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from chipkg.loaders.text.quantities import COUNT_NOUN
from chipkg.loaders.text.resources import dates

_YEAR = r"(?:19[5-9]\d|20[0-3]\d)"


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date: span, year (None when not written), month and day (0 when absent)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int

    def iso(self, year: int | None = None) -> str | None:
        """``YYYY[-MM[-DD]]``, with ``year`` standing in for a missing one."""
        y = self.year or year
        if y is None:
            return None
        if not self.month:
            return f"{y:04d}"
        if not self.day:
            return f"{y:04d}-{self.month:02d}"
        return f"{y:04d}-{self.month:02d}-{self.day:02d}"


@cache
def _months() -> dict[str, int]:
    table: dict[str, int] = {}
    for names in dates().months.values():
        for name, number in names.items():
            table[name.lower()] = number
    return table


@cache
def _date_re() -> re.Pattern[str]:
    months = "|".join(re.escape(m) for m in sorted(_months(), key=len, reverse=True))
    month = rf"(?:{months})(?!\w)"
    day = r"(?:[12]\d|3[01]|0?[1-9])"
    return re.compile(
        rf"(?<![\w])(?:(?P<m1>{month})\s*(?P<d1>{day})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y1>{_YEAR}))?"
        rf"|(?P<d2>{day})(?:\.|er|º|°)?\s+(?P<m2>{month})(?:,?\s+(?P<y2>{_YEAR}))?"
        rf"|(?P<m3>{month})\s+(?P<y3>{_YEAR})"
        rf"|(?P<y4>{_YEAR})-(?P<mo4>0[1-9]|1[0-2])-(?P<d4>[0-3]\d)"
        rf"|(?P<y5>{_YEAR}))(?![\w]|[.,]\d)",
        re.IGNORECASE,
    )


_DIGITS = re.compile(r"\d+")
_WINDOW = (16, 24)


def _candidates(text: str, start: int, stop: int) -> list[re.Match[str]]:
    """Date matches, searched only around digits (every date form has a number in it)."""
    found: dict[int, re.Match[str]] = {}
    regex = _date_re()
    window_end = -1
    for digits in _DIGITS.finditer(text, start, stop):
        if digits.start() < window_end:
            continue
        a = max(start, digits.start() - _WINDOW[0])
        b = min(stop, digits.end() + _WINDOW[1])
        for m in regex.finditer(text, a, b):
            if m.end() == b and b < stop:
                m = regex.match(text, m.start(), stop) or m
            if m.start() not in found or found[m.start()].end() < m.end():
                found[m.start()] = m
        window_end = b
    ordered = sorted(found.values(), key=lambda m: m.start())
    out: list[re.Match[str]] = []
    for m in ordered:
        if out and m.start() < out[-1].end():
            continue
        out.append(m)
    return out


_LOWER_WORDS = frozenset(["may", "march", "mar.", "sep.", "jun.", "set.", "mai"])


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Dates in ``text[start:end]``; year-less ones have ``year`` None."""
    stop = len(text) if end is None else end
    months = _months()
    out = []
    for m in _candidates(text, start, stop):
        month_word = m.group("m1") or m.group("m2") or m.group("m3")
        if month_word and month_word in _LOWER_WORDS:
            continue  # "may", "march" in lower case are English words, not months
        if m.group("y5"):
            if COUNT_NOUN.match(text, m.end(), stop):
                continue
            out.append(DateMatch(m.start(), m.end(), int(m.group("y5")), 0, 0))
            continue
        if m.group("y4"):
            out.append(
                DateMatch(
                    m.start(), m.end(), int(m.group("y4")), int(m.group("mo4")), int(m.group("d4"))
                )
            )
            continue
        year = m.group("y1") or m.group("y2") or m.group("y3")
        day = m.group("d1") or m.group("d2")
        assert month_word is not None
        out.append(
            DateMatch(
                m.start(),
                m.end(),
                int(year) if year else None,
                months[month_word.lower()],
                int(day) if day else 0,
            )
        )
    return out
