"""Counts of units in text: "circa 10.000" -> 10000 (approximate), "2,048" -> 2048.

A group of exactly three digits after "." or "," is a thousands group in every
language, because these numbers count units (chips, GPUs, tools): "10.000" (Italian,
German) and "10,000" (English) are both ten thousand, "2,048" is 2048. Decimal parts
only occur with a multiplier word ("1,5 Millionen", "1.5 million"). Numbers followed by
a currency, percentage, size or duration are not counts and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from chipkg.loaders.text.resources import quantities

_GROUPED = re.compile(r"^\d{1,3}(?:([.,' ])\d{3})(?:\1\d{3})*$")
_GROUPED_DECIMAL = re.compile(r"^(\d{1,3}(?:([.,' ])\d{3})(?:\2\d{3})*)([.,])(\d+)$")
COUNT_NOUN = re.compile(
    r"\s*(?:[A-Z]{1,3}\d{2,3}|gpus?\b|chips?\b|processors?|processori|prozessoren|puces|"
    r"accelerat|beschleuniger|units?\b|unità|einheiten|unités|servers?\b|wafers?\b)",
    re.IGNORECASE,
)
YEAR = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed count."""

    value: float
    approximate: bool

    @property
    def number(self) -> int | float:
        """The value as an int when it is whole."""
        return int(self.value) if float(self.value).is_integer() else self.value


def parse_number(text: str) -> float | None:
    """The value of a digit string under the rules above, or None."""
    s = text.strip().replace("\u202f", " ").replace("\u00a0", " ")
    if _GROUPED.match(s):
        return float(re.sub(r"[.,' ]", "", s))
    m = _GROUPED_DECIMAL.match(s)
    if m and m.group(2) != m.group(3):
        return float(re.sub(r"[.,' ]", "", m.group(1)) + "." + m.group(4))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    return None


_DIGITS = re.compile(r"\d")
_BEFORE, _AFTER = 30, 40


def _near_digits(pattern: re.Pattern[str], text: str, start: int, stop: int) -> list[re.Match[str]]:
    """Matches of ``pattern`` in windows around digits (a count always has one)."""
    out: list[re.Match[str]] = []
    pos = start
    while True:
        digit = _DIGITS.search(text, pos, stop)
        if digit is None:
            return out
        a = max(start, digit.start() - _BEFORE, out[-1].end() if out else start)
        b = min(stop, digit.start() + _AFTER)
        last = None
        for m in pattern.finditer(text, a, b):
            if m.end() == b and b < stop:
                m = pattern.match(text, m.start(), stop) or m
            if not out or m.start() >= out[-1].end():
                out.append(m)
            last = m
        pos = max(b, last.end() if last else b)


@dataclass(frozen=True, slots=True)
class QuantityMatch:
    """A count found in text."""

    start: int
    end: int
    quantity: Quantity


@cache
def _quantity_re(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, float]]:
    data = quantities()
    approx = [*data.approximate.get(lang, []), *data.lower_bound.get(lang, [])]
    approx_alt = "|".join(sorted(approx, key=len, reverse=True))
    mult = {k.lower(): v for k, v in data.multipliers.get(lang, {}).items()}
    mult_alt = "|".join(re.escape(k) for k in sorted(mult, key=len, reverse=True))
    number = r"\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
    pattern = (
        rf"(?:(?<!\w)(?P<approx>{approx_alt})\s+)?(?<![\w.,$€£¥])(?P<num>{number})"
        rf"(?:\s?(?P<mult>{mult_alt})(?!\w))?(?![\w]|[.,]\d)"
    )
    not_count = re.compile(rf"\s*(?:(?:di|of|de|d'|an)\s+)?(?:{data.not_counts})", re.IGNORECASE)
    return re.compile(pattern, re.IGNORECASE), not_count, mult


def find_quantities(
    text: str, lang: str, start: int = 0, end: int | None = None
) -> list[QuantityMatch]:
    """Counts in ``text[start:end]`` (see module docstring)."""
    pattern, not_count, mult = _quantity_re(lang)
    stop = len(text) if end is None else end
    out = []
    for m in _near_digits(pattern, text, start, stop):
        raw = m.group("num")
        if not_count.match(text, m.end(), stop):
            continue
        if YEAR.match(raw) and not m.group("mult") and not COUNT_NOUN.match(text, m.end(), stop):
            continue
        value = parse_number(raw)
        if value is None:
            continue
        if m.group("mult"):
            value *= mult[m.group("mult").lower()]
        elif not value.is_integer():
            continue
        out.append(QuantityMatch(m.start(), m.end(), Quantity(value, bool(m.group("approx")))))
    return out
