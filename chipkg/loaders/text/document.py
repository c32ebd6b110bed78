"""Documents: plain text, Markdown or HTML read into one plain text that offsets refer to.

Evidence spans (``start``/``end``) index :attr:`Document.text`. For ``.txt`` that is
the file itself (minus a BOM); for Markdown and HTML it is the text left after markup
is removed, and :meth:`Document.source_offset` maps a position back into the file.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from chipkg.errors import InputError
from chipkg.loaders.base import read_text

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
SUFFIXES.update({".html": "html", ".htm": "html"})

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# One pass of this table keeps the length of the text, so offsets survive it.
_MATCH_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2013": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\ue000": " ",
        "\ue001": " ",
    }
)
# The characters the table changes: most texts hold few, so only those are replaced
# (``str.translate`` with a table looks up every character of the text in a dict).
_MATCH_CHARS = re.compile("[" + "".join(chr(c) for c in sorted(_MATCH_TABLE)) + "]")


@dataclass(frozen=True)
class Document:
    """A document's plain text and where it came from."""

    name: str
    text: str
    kind: str = "text"
    title: str | None = None
    anchors: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @cached_property
    def match_text(self) -> str:
        """The text with typographic quotes, dashes and spaces made plain (same length)."""
        return _MATCH_CHARS.sub(_match_char, self.text)

    def source_offset(self, offset: int) -> int:
        """The position in the original file of ``offset`` in :attr:`text`."""
        if not self.anchors:
            return offset
        keys = [a[0] for a in self.anchors]
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        clean, raw = self.anchors[i]
        return raw + (offset - clean)


def _match_char(m: re.Match[str]) -> str:
    return m.group(0).translate(_MATCH_TABLE)


def document_kind(path: Path) -> str | None:
    """``text``, ``markdown`` or ``html`` for a supported suffix, else None."""
    return SUFFIXES.get(path.suffix.lower())


def read_document(path: Path) -> Document:
    """Read a UTF-8 text, Markdown or HTML file; binary or undecodable input is an error."""
    raw = read_text(path)
    bad = len(_CONTROL_RE.findall(raw[:65536]))
    if "\x00" in raw or bad > max(8, len(raw[:65536]) // 100):
        raise InputError("looks like a binary file, not text", str(path))
    return parse_document(raw, path.name, document_kind(path) or "text")


def parse_document(raw: str, name: str, kind: str = "text") -> Document:
    """Build a :class:`Document` from already decoded content."""
    raw = _CONTROL_RE.sub(" ", raw)
    if kind == "html":
        return _from_html(raw, name)
    if kind == "markdown":
        return _from_markdown(raw, name)
    return Document(name=name, text=raw, kind="text", title=_first_line(raw))


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().strip("#").strip()
        if line:
            return line[:200]
    return None


class _Builder:
    """Collects clean text pieces and remembers where each came from in the raw input."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.anchors: list[tuple[int, int]] = []

    def add(self, piece: str, raw_pos: int) -> None:
        if piece:
            self.anchors.append((self.length, raw_pos))
            self.parts.append(piece)
            self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)


_DROP_RE = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template|svg|head)\b.*?</\1\s*>|<!\w[^>]*>|<\?.*?\?>",
    re.S | re.I,
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>|&(#\d+|#x[0-9a-fA-F]+|\w+);")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "main",
        "aside",
        "nav",
        "dd",
        "dt",
        "dl",
        "title",
    ]
)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>|<h1[^>]*>(.*?)</h1\s*>", re.S | re.I)


def _from_html(raw: str, name: str) -> Document:
    """Strip tags (block tags become paragraph breaks) and decode character references."""
    title_match = _TITLE_RE.search(raw)
    title = None
    if title_match:
        inner = title_match.group(1) or title_match.group(2) or ""
        title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())[:200] or None
    out = _Builder()
    pos = 0
    for drop in _DROP_RE.finditer(raw):
        _html_segment(raw, pos, drop.start(), out)
        out.add("\n\n" if drop.group(1) else " ", drop.start())
        pos = drop.end()
    _html_segment(raw, pos, len(raw), out)
    text = out.text()
    return Document(name, text, "html", title or _first_line(text), tuple(out.anchors))


def _html_segment(raw: str, start: int, end: int, out: _Builder) -> None:
    pos = start
    for tag in _TAG_RE.finditer(raw, start, end):
        out.add(_squash(raw[pos : tag.start()]), pos)
        if tag.group(3):
            out.add(html.unescape(tag.group(0)), tag.start())
        elif tag.group(2).lower() in _BLOCK_TAGS:
            out.add("\n\n" if tag.group(2).lower() != "br" else "\n", tag.start())
        pos = tag.end()
    out.add(_squash(raw[pos:end]), pos)


def _squash(piece: str) -> str:
    """HTML whitespace: any run of spaces and newlines is one space."""
    return re.sub(r"\s+", " ", piece)


_MD_SKIP_RE = re.compile(
    r"^```.*?^```[^\n]*$"  # fenced code
    r"|!?\[([^\]\n]*)\]\([^)\n]*\)"  # links and images keep their text
    r"|^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)[ \t]+"  # heading, quote and list markers
    r"|(?<!\w)(?:\*\*|__|\*|_|`)(?=\S)|(?<=\S)(?:\*\*|__|\*|_|`)(?!\w)"  # emphasis marks
    r"|<[^>\n]+>",  # inline HTML
    re.M | re.S,
)


def _from_markdown(raw: str, name: str) -> Document:
    """Remove Markdown markup, keeping link text; headings stay lines of their own."""
    out = _Builder()
    pos = 0
    for mark in _MD_SKIP_RE.finditer(raw):
        out.add(raw[pos : mark.start()], pos)
        if mark.group(1):
            out.add(mark.group(1), mark.start(1))
        pos = mark.end()
    out.add(raw[pos:], pos)
    text = out.text()
    return Document(name, text, "markdown", _first_line(raw), tuple(out.anchors))
