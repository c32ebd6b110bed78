"""The reach report places each annotated claim by where the mention finder sees its two ends:
in one sentence, apart, or one end not recognised; a wildcard end is not looked for."""

from __future__ import annotations

from pathlib import Path

from chipkg.loaders.text import reach

TEXT = (
    "Nvidia designs the H100 accelerator.\n\n"
    "TSMC is based in Taiwan. Separately, Nvidia said demand was strong.\n\n"
    "Washington banned exports of the H100 to China.\n"
)
GOLD = """claims:
  - {subject: company/nvidia, predicate: DESIGNS, object: product/h100}
  - {subject: company/tsmc, predicate: SUPPLIES, object: company/nvidia}
  - {subject: company/zzz-unknown-maker, predicate: SUPPLIES, object: company/nvidia}
  - {subject: "regulation/us-*", predicate: RESTRICTS, object: product/h100}
"""


def test_each_claim_is_placed_by_where_its_ends_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "dev-x.txt").write_text(TEXT, encoding="utf-8")
    (folder / "dev-x.expected.yaml").write_text(GOLD, encoding="utf-8")
    tally = reach.reach(tmp_path, "dev")["en"]
    assert tally[reach.ONE_SENTENCE] == 1
    assert tally[reach.APART] == 1
    assert tally[reach.UNSEEN] == 1
    assert tally[reach.ONE_SENTENCE_RULE] == 1


def test_place_needs_both_ends_in_the_same_sentence() -> None:
    claim = {"subject": "company/a", "object": "company/b"}
    assert reach.place(claim, [{"company/a"}, {"company/b"}]) == reach.APART
    assert reach.place(claim, [{"company/a", "company/b"}]) == reach.ONE_SENTENCE
    assert reach.place(claim, [{"company/a"}]) == reach.UNSEEN


def test_the_report_gives_shares_per_language_and_overall() -> None:
    from collections import Counter

    text = reach.format_reach({"en": Counter({reach.ONE_SENTENCE: 3, reach.UNSEEN: 1})})
    lines = text.splitlines()
    assert lines[1].split()[:3] == ["en", "4", "0.75"]
    assert lines[2].split()[0] == "all" and lines[2].split()[-1] == "0.25"
