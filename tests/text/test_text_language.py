"""Language detection from stop-word profiles."""

from __future__ import annotations

import pytest

from chipkg.loaders.text.language import detect_language

SAMPLES = {
    "it": "Si ritiene che l'azienda possieda circa diecimila chip e che non sia ancora pronta.",
    "en": "The company is believed to own about ten thousand chips and it has not said more.",
    "de": "Das Unternehmen soll rund zehntausend Chips besitzen, die es nicht selbst herstellt.",
    "fr": "Selon la presse, la société aurait acheté des puces pour ses centres de données.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_each_language(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_undecided_text_defaults_to_english() -> None:
    assert detect_language("") == "en"
    assert detect_language("H100 H800 A800") == "en"
