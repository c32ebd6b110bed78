"""A first-character guard for the large alternations scanned over whole documents.

Python's regex engine tries every alternative of a case-insensitive alternation at every
position where the leading look-behind holds. ``guarded(pattern)`` prepends a look-ahead
for the characters a match can start with (``(?=[AaBb0-9…])``), computed from the parsed
pattern, so most word starts are rejected by one class test. The guard is a superset of
the real first characters, so the matches are exactly those of the unguarded pattern;
when the first character cannot be bounded (``.``, a negated class, a back-reference) the
pattern is compiled as it is.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

C: Any = importlib.import_module("re._constants")
P: Any = importlib.import_module("re._parser")

_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
}


_LOCAL_I = re.compile(r"\(\?[a-zA-Z-]*i")


class _Unbounded(Exception):
    """The first character is not a known class."""


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a look-ahead for its possible first characters."""
    if not flags & re.IGNORECASE and _LOCAL_I.search(pattern):
        return re.compile(pattern, flags)  # a case-blind part would need both cases
    try:
        items, nullable = _first(list(P.parse(pattern, flags).data))
    except (_Unbounded, RecursionError):
        return re.compile(pattern, flags)
    if nullable or not items or _one_literal(items):
        return re.compile(pattern, flags)
    return re.compile(f"(?=[{''.join(sorted(items))}])(?:{pattern})", flags)


def _one_literal(items: set[str]) -> bool:
    """One fixed first character: the engine's own literal-prefix search beats a guard."""
    return len(items) == 1 and P.parse(f"[{next(iter(items))}]").data[0][0] is C.LITERAL


def _first(seq: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """Class items a match of ``seq`` can start with, and whether it can be empty."""
    out: set[str] = set()
    for op, av in seq:
        chars, nullable = _item(op, av)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item(op: Any, av: Any) -> tuple[set[str], bool]:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True
    if op is C.LITERAL:
        return {_lit(av)}, False
    if op is C.IN:
        return _class(av), False
    if op is C.CATEGORY and av in _CATEGORIES:
        return {_CATEGORIES[av]}, False
    if op is C.SUBPATTERN:
        return _first(list(av[3].data))
    if op is C.ATOMIC_GROUP:
        return _first(list(av.data))
    if op is C.BRANCH:
        out: set[str] = set()
        nullable = False
        for alt in av[1]:
            chars, empty = _first(list(alt.data))
            out |= chars
            nullable = nullable or empty
        return out, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, sub = av
        chars, empty = _first(list(sub.data))
        return chars, empty or low == 0
    raise _Unbounded


def _class(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(_lit(av))
        elif op is C.RANGE:
            out.add(f"{_lit(av[0])}-{_lit(av[1])}")
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:  # NEGATE and anything else: no bound
            raise _Unbounded
    return out


def _lit(code: int) -> str:
    return f"\\U{code:08x}" if code > 0x7F else re.escape(chr(code))
