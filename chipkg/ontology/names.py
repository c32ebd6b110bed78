"""Name normalisation and id minting, shared by every loader so they land on one node.

"NVIDIA Corporation", "Nvidia" and "NVIDIA Corp." normalise to the same key;
"Semiconductor Manufacturing International Corporation" keeps its words, and
only resolves to SMIC through an explicit alias, never through a shared word.
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "plc",
        "sa",
        "s",
        "a",
        "spa",
        "s",
        "p",
        "a",
        "srl",
        "ag",
        "gmbh",
        "kg",
        "se",
        "nv",
        "n",
        "v",
        "bv",
        "b",
        "v",
        "ab",
        "oy",
        "as",
        "asa",
        "kk",
        "k",
        "k",
        "kabushiki",
        "kaisha",
        "pte",
        "pty",
        "lp",
        "llp",
        "holdings",
        "holding",
        "group",
        "co",
        "ltd",
    ]
)
# Words that may end a legal name but not the whole of it ("Samsung Electronics" stays).
_PUNCT_RE = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = _PUNCT_RE.sub(" ", stripped.casefold().replace("&", " and "))
    return _SPACE_RE.sub(" ", cleaned).strip()


def normalize_name(text: str) -> str:
    """The resolution key of a name: folded, legal suffixes removed from the end."""
    words = fold(text).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def slugify(text: str) -> str:
    """An ASCII slug for ids: ``"Ascend 910B"`` -> ``"ascend-910b"``."""
    base = fold(text)
    slug = _SLUG_RE.sub("-", base).strip("-")
    if slug:
        return slug
    # Names with no Latin letters (e.g. Chinese) keep a stable id from their code points.
    return "u" + "-".join(f"{ord(ch):x}" for ch in text.strip() if not ch.isspace())[:60]


def mint_id(label: str, name: str) -> str:
    """A canonical id for a new entity: ``label-in-lower-case/slug-of-name``."""
    return f"{label.lower()}/{slugify(normalize_name(name) or name)}"
