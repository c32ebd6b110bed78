"""Split a document into paragraphs and sentences, with character spans.

Paragraphs matter because a hedge that opens a paragraph can govern the sentences
after it (see ``modality.py``). A file with long lines is taken to have one paragraph
per line; a hard-wrapped file (all lines short) has paragraphs separated by blank
lines, and its single line breaks are spaces unless they end a heading or a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipkg.loaders.text.resources import abbreviations

MAX_SENTENCE = 1500
WRAPPED_WIDTH = 100
_END_RE = re.compile(
    r"[.!?…]+[\"'”»)\]]*(?=\s+[\"'“«(\[]?[^\s\W_a-zß-ÿ]|\s*$)"  # stop, space, capital
    r"|(?<=[a-zà-ÿ)\]])\.(?=[A-ZÀ-Þ][a-zà-ÿ])"  # missing space: "(LLM).Questa"
    r"|[!?]+(?=\s)"
)
_LINE_RE = re.compile(r"[^\n]*\n?")
_TERMINAL = ".!?:;…\"'”»)"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its span in the document, its paragraph and its position."""

    start: int
    end: int
    paragraph: int
    index: int
    first_in_paragraph: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (start, end), in order; blank paragraphs dropped."""
    lines = [(m.start(), m.end()) for m in _LINE_RE.finditer(text) if m.end() > m.start()]
    longest = max((e - s for s, e in lines), default=0)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, (s, e) in enumerate(lines):
        body = text[s:e].strip()
        if not body:
            if start is not None:
                spans.append((start, s))
                start = None
            continue
        if start is None:
            start = s
        if longest > WRAPPED_WIDTH or _is_heading(text, lines, i, body):
            spans.append((start, e))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(s, e) for s, e in (_trim(text, a, b) for a, b in spans) if e > s]


def _is_heading(text: str, lines: list[tuple[int, int]], i: int, body: str) -> bool:
    """A short unpunctuated line followed by a capitalised line stands alone."""
    if body[-1] in _TERMINAL or len(body) > 0.6 * WRAPPED_WIDTH or i + 1 >= len(lines):
        return False
    following = text[lines[i + 1][0] : lines[i + 1][1]].strip()
    return bool(following) and following[0].isupper()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """All sentences of ``text`` in order, each with its paragraph number."""
    abbrev = abbreviations(lang)
    out: list[Sentence] = []
    for p, (pstart, pend) in enumerate(paragraphs(text)):
        first = True
        for s, e in _split_paragraph(text, pstart, pend, abbrev, lang):
            out.append(Sentence(s, e, p, len(out), first))
            first = False
    return out


def _split_paragraph(
    text: str, start: int, end: int, abbrev: frozenset[str], lang: str
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _END_RE.finditer(text, start, end):
        if text[m.start()] == "." and _no_break(text, cur, m.start(), abbrev, lang):
            continue
        spans += _cap(text, cur, m.end())
        cur = m.end()
    spans += _cap(text, cur, end)
    return [(s, e) for s, e in (_trim(text, a, b) for a, b in spans) if e > s]


def _no_break(text: str, start: int, dot: int, abbrev: frozenset[str], lang: str) -> bool:
    """True when the full stop at ``dot`` belongs to an abbreviation, initial or ordinal."""
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("(\"'“«[").lower()
    if not word:
        return False
    if word in abbrev or (len(word) == 1 and word.isalpha()):
        return True
    return lang == "de" and word.isdigit() and len(word) <= 2


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut overlong runs (no punctuation at all) at spaces so no sentence is unbounded."""
    spans = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans
