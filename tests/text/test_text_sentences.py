"""Sentence and paragraph splitting."""

from __future__ import annotations

from chipkg.loaders.text.sentences import split_sentences


def texts(text: str, lang: str = "en") -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, lang)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "The U.S. Commerce Dept. acted on Sept. 15. J. Smith said so."
    assert texts(text) == ["The U.S. Commerce Dept. acted on Sept. 15.", "J. Smith said so."]


def test_missing_space_after_a_full_stop_still_splits() -> None:
    assert texts("modelli (LLM).Questa emersione", "it") == ["modelli (LLM).", "Questa emersione"]


def test_german_ordinal_dates_do_not_split() -> None:
    assert len(texts("Am 15. September 2020 endete die Lieferung.", "de")) == 1


def test_long_lines_are_paragraphs() -> None:
    line = "DeepSeek uses Ascend chips for inference in its data centres today. " * 3
    sentences = split_sentences(f"{line}\n{line}", "en")
    assert [s.paragraph for s in sentences] == [0, 0, 0, 1, 1, 1]
    assert sentences[3].first_in_paragraph


def test_hard_wrapped_text_joins_lines_and_keeps_headings() -> None:
    text = "A heading\nThe company said it\nwould ship chips.\n\nNext paragraph."
    sentences = split_sentences(text, "en")
    assert [text[s.start : s.end] for s in sentences] == [
        "A heading",
        "The company said it\nwould ship chips.",
        "Next paragraph.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 2]


def test_unpunctuated_run_is_capped() -> None:
    text = "word " * 2000
    assert all(s.end - s.start <= 1500 for s in split_sentences(text, "en"))
