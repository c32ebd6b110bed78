"""Guess a document's language (it, en, de, fr) from stop-word counts; no model needed.

Each language has a profile of frequent function words (``data/stopwords.yaml``); the
language whose words occur most often in the first 20,000 characters wins.
"""

from __future__ import annotations

import re
from collections import Counter

from chipkg.loaders.text.resources import stopwords

LANGUAGES = ("it", "en", "de", "fr")
DEFAULT_LANGUAGE = "en"
_WORD_RE = re.compile(r"[^\W\d_]+")
SAMPLE = 20_000


def detect_language(text: str) -> str:
    """The most likely language of ``text``; English when nothing decides."""
    return language_scores(text)[0][0]


def language_scores(text: str) -> list[tuple[str, int]]:
    """Languages with their stop-word hit counts, best first (ties: the default first)."""
    counts = Counter(w.lower() for w in _WORD_RE.findall(text[:SAMPLE]))
    profiles = stopwords()
    scores = {lang: sum(counts[w] for w in profiles[lang]) for lang in LANGUAGES}
    order = sorted(LANGUAGES, key=lambda lang: (-scores[lang], lang != DEFAULT_LANGUAGE))
    return [(lang, scores[lang]) for lang in order]
