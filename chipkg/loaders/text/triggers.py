"""Which words can start a regex: an index that skips rules whose verb is absent.

``first_words("(?:owns?|possess(?:es|ed)?) by")`` is ``{"own", "owns", "possess",
"possesses", "possessed"}``: every match of the fragment starts with one of these whole
words. A view whose words include none of them cannot match a pattern containing the
fragment, so the pattern is not run at all. Fragments whose first word is not a finite
set (``\\w+``, ``.``) give ``None`` and their rules are always tried.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The regex parser of the standard library (stable since Python 3.11; typeshed has no stubs).
C: Any = importlib.import_module("re._constants")
P: Any = importlib.import_module("re._parser")

MAX_WORDS = 3000
_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")


class _Infinite(Exception):
    """The first word is not a small finite set."""


def first_words(pattern: str) -> frozenset[str] | None:
    """The lower-cased words a match of ``pattern`` can start with, or None if unbounded."""
    try:
        done, open_ = _walk(list(P.parse(pattern, re.IGNORECASE).data), {""})
    except (_Infinite, re.error, RecursionError):
        return None
    words = done | open_
    if "" in words or not words:
        return None
    return frozenset(w.lower() for w in words)


def _walk(items: list[tuple[Any, Any]], open_: set[str]) -> tuple[set[str], set[str]]:
    """Extend the open prefixes through ``items``; return (finished words, still open)."""
    done: set[str] = set()
    for op, av in items:
        if not open_:
            break
        new_done, open_ = _step(op, av, open_)
        done |= new_done
        if len(done) + len(open_) > MAX_WORDS:
            raise _Infinite
    return done, open_


def _chars(op: Any, av: Any) -> tuple[set[str], bool]:
    """The characters one item matches, and whether it is whitespace."""
    if op is C.LITERAL:
        return {chr(av)}, chr(av).isspace()
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 40:
                chars |= {chr(c) for c in range(sub_av[0], sub_av[1] + 1)}
            elif sub_op is C.CATEGORY and sub_av is C.CATEGORY_SPACE:
                return set(), True
            else:
                raise _Infinite
        return chars, False
    if op is C.CATEGORY and av is C.CATEGORY_SPACE:
        return set(), True
    raise _Infinite


def _step(op: Any, av: Any, open_: set[str]) -> tuple[set[str], set[str]]:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), open_
    if op is C.SUBPATTERN:
        return _walk(list(av[3].data), open_)
    if op is C.ATOMIC_GROUP:
        return _walk(list(av.data), open_)
    if op is C.BRANCH:
        done: set[str] = set()
        still: set[str] = set()
        for alt in av[1]:
            d, o = _walk(list(alt.data), set(open_))
            done |= d
            still |= o
        return done, still
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return _repeat(av, open_)
    chars, space = _chars(op, av)
    return _advance(chars, space, open_)


def _advance(chars: set[str], space: bool, open_: set[str]) -> tuple[set[str], set[str]]:
    if space:
        return {p for p in open_ if p}, {p for p in open_ if not p}
    word = {c for c in chars if _WORD.match(c)}
    if word != chars and word:
        raise _Infinite
    if not word:  # punctuation ends a started word, is skipped before one
        return {p for p in open_ if p}, {p for p in open_ if not p}
    return set(), {p + c.lower() for p in open_ for c in word}


def _repeat(av: Any, open_: set[str]) -> tuple[set[str], set[str]]:
    low, high, sub = av
    items = list(sub.data)
    if len(items) == 1 and items[0][0] in (C.IN, C.CATEGORY):
        try:
            _, space = _chars(*items[0])
        except _Infinite:
            space = False
        if space:
            finished = {p for p in open_ if p}
            return finished, (open_ - finished) | (finished if low == 0 else set())
    if high > 4:
        raise _Infinite
    done: set[str] = set()
    result: set[str] = set(open_) if low == 0 else set()
    current = set(open_)
    for count in range(1, high + 1):
        d, current = _walk(items, current)
        done |= d
        if count >= low:
            result |= current
    return done, result


def view_words(text: str) -> frozenset[str]:
    """The lower-cased words of a view (what :func:`first_words` is compared with)."""
    return frozenset(_WORDS.findall(text.lower()))
