"""A sentence seen as text with its mentions replaced by typed tokens.

``DeepSeek possiede circa 10.000 GPU NVIDIA H800`` becomes
``\\ue000C0\\ue001 possiede \\ue000Q1\\ue001 GPU \\ue000P2\\ue001`` once the maker rule has
folded NVIDIA into the H800 token. Relation patterns are regular expressions over this
string, so one compiled regex checks a whole construction in a single C-level scan.

Besides the whole sentence, relative clauses and appositions introduced by a comma
("OpenAI, che sviluppa i modelli GPT", "DeepSeek, the Chinese AI developer,") are cut
out into views of their own that start with the token they describe; the main view is
the sentence without them, so "DeepSeek, which competes with OpenAI, develops chips"
reads "DeepSeek develops chips" and "DeepSeek competes with OpenAI" separately.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from chipkg.loaders.text.mentions import Mention

OPEN, CLOSE = "\ue000", "\ue001"
TOKEN_RE = re.compile("\ue000([A-Z])(\\d+)\ue001")

_INTRO = {
    "en": "which|who|whose|that|the|a|an|one of|its|based in|headquartered in",
    "it": "che|il quale|la quale|i quali|le quali|cui|il|lo|la|l'|i|gli|le|un|una|uno|un'",
    "de": "der|die|das|welche|welcher|welches|ein|eine|einer|dessen|deren|mit Sitz in",
    "fr": "qui|que|dont|lequel|laquelle|le|la|l'|les|un|une|basée? à",
}
_RELATIVE = {
    "en": "which|who|that",
    "it": "che|il quale|la quale|i quali|le quali|cui",
    "de": "der|die|das|welche|welcher|welches",
    "fr": "qui|que|dont|lequel|laquelle",
}


@dataclass
class View:
    """A view: its text, the tokens it shows, and how its positions map to the sentence view."""

    text: str
    tokens: list[Mention]
    pieces: list[tuple[int, int, int]] = field(default_factory=list)  # (view_pos, full_pos, len)
    kind: str = "full"
    segments: list[tuple[int, int, int, int]] = field(default_factory=list)  # full view -> doc

    def full_pos(self, pos: int) -> int:
        """The position in the full sentence view of ``pos`` in this view."""
        if not self.pieces:
            return pos
        i = bisect.bisect_right([p[0] for p in self.pieces], pos) - 1
        vpos, fpos, _ = self.pieces[max(i, 0)]
        return fpos + (pos - vpos)

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """The document span of a span of the full view (tokens map to their mention)."""
        keys = [seg[0] for seg in self.segments]
        a = self.segments[max(bisect.bisect_right(keys, start) - 1, 0)]
        b = self.segments[max(bisect.bisect_right(keys, max(end - 1, start)) - 1, 0)]
        doc_start = a[2] + (start - a[0]) if a[3] - a[2] == a[1] - a[0] else a[2]
        doc_end = b[2] + (end - b[0]) if b[3] - b[2] == b[1] - b[0] else b[3]
        return doc_start, doc_end

    def letters(self) -> frozenset[str]:
        """The token kinds of the sentence (a superset for a derived view)."""
        return frozenset(m.kind for m in self.tokens)


def token(kind: str, index: int) -> str:
    """The token string of mention ``index``."""
    return f"{OPEN}{kind}{index}{CLOSE}"


def build_view(text: str, start: int, end: int, tokens: list[Mention]) -> View:
    """The full view of ``text[start:end]`` with ``tokens`` (sorted, disjoint) replaced."""
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    pos, vpos = start, 0
    for i, m in enumerate(tokens):
        plain = text[pos : m.start]
        segments.append((vpos, vpos + len(plain), pos, m.start))
        vpos += len(plain)
        tok = token(m.kind, i)
        segments.append((vpos, vpos + len(tok), m.start, m.end))
        vpos += len(tok)
        parts += [plain, tok]
        pos = m.end
    segments.append((vpos, vpos + end - pos, pos, end))
    parts.append(text[pos:end])
    return View("".join(parts), tokens, segments=segments)


@cache
def _paren_re(lang: str) -> re.Pattern[str]:
    intro = _INTRO.get(lang, _INTRO["en"])
    tok = "\ue000[A-Z]\\d+\ue001"
    return re.compile(
        rf"(?P<ante>{tok})\s*,\s*(?P<body>(?:(?:{intro})(?![\w])|\ue000[DKC]\d+\ue001)[^,;]*?)"
        rf"\s*(?P<close>,|(?=[.;:!?]?\s*$))"
        rf"|(?P<ante2>{tok})\s*\((?P<body2>[^()]{{1,200}})\)",
        re.I,
    )


@cache
def _relative_re(lang: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{_RELATIVE.get(lang, _RELATIVE['en'])})\s+", re.I)


def _opens_parenthetical(full: View, m: re.Match[str]) -> bool:
    """A comma then a company name is a list ("SMIC, Huawei and ..."), not an apposition,
    unless the company token is a description ("ASML, the Dutch equipment maker,")."""
    body = m.group("body")
    lead = TOKEN_RE.match(body) if body else None
    if lead is None or lead.group(1) != "C":
        return True
    closed = m.group("close") == ","
    return closed and full.tokens[int(lead.group(2))].via == "description"


def clause_views(full: View, lang: str) -> list[View]:
    """The main view (parentheticals cut out) and one view per parenthetical."""
    cuts: list[tuple[int, int]] = []
    views: list[View] = []
    for m in _paren_re(lang).finditer(full.text):
        if not _opens_parenthetical(full, m):
            continue
        ante = m.group("ante") or m.group("ante2")
        body_group = "body" if m.group("body") is not None else "body2"
        ante_start = m.start("ante") if m.group("ante") else m.start("ante2")
        body_start, body_end = m.start(body_group), m.end(body_group)
        rel = _relative_re(lang).match(full.text, body_start, body_end)
        if rel:
            body_start = rel.end()
        text = ante + " " + full.text[body_start:body_end]
        pieces = [(0, ante_start, len(ante)), (len(ante) + 1, body_start, body_end - body_start)]
        views.append(View(text, full.tokens, pieces, "paren"))
        cuts.append((m.end("ante") if m.group("ante") else m.end("ante2"), m.end()))
    if not cuts:
        return [full]
    parts, pieces, pos, vpos = [], [], 0, 0
    for a, b in cuts:
        parts.append(full.text[pos:a])
        pieces.append((vpos, pos, a - pos))
        vpos += a - pos + 1
        parts.append(" ")
        pos = b
    parts.append(full.text[pos:])
    pieces.append((vpos, pos, len(full.text) - pos))
    main = View("".join(parts), full.tokens, pieces, "main")
    return [main, *views]
