"""Dates as the queries compare them: ISO strings, partial dates cover a whole period.

Stored dates may be ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A start date is
compared as the first day it covers and an end date as the last (``2023`` ends
on 2023-12-31), which on strings is: ``start <= on`` and
``end >= on[:len(end)]``. Cypher uses the very same expressions, so both
backends agree without a date library.
"""

from __future__ import annotations

import datetime as dt

from chipkg.errors import InputError
from chipkg.ontology.schema import DATE_RE


def as_of(on: str | None) -> str:
    """The query date as ``YYYY-MM-DD``: today by default, partial dates padded to day one."""
    if on is None or on == "":
        return dt.date.today().isoformat()
    text = on.strip()
    if not DATE_RE.match(text):
        raise InputError(f"--on must be a date YYYY[-MM[-DD]], got {on!r}")
    return text + ("-01-01", "-01", "")[text.count("-")]


def starts_by(start: str | None, on: str) -> bool:
    """True when a period that starts at ``start`` has begun on ``on`` (open start allowed)."""
    return start is None or start <= on


def ends_after(end: str | None, on: str) -> bool:
    """True when a period that ends at ``end`` has not ended before ``on`` (open end allowed)."""
    return end is None or end >= on[: len(end)]


def within(start: str | None, end: str | None, on: str) -> bool:
    """``on`` lies inside [start, end], both ends inclusive and optional."""
    return starts_by(start, on) and ends_after(end, on)
