"""Where the annotated claims' two ends are named: the recall a sentence-level reading can reach.

For each claim of an annotation (``NAME.expected.yaml``) it asks the extractor's own mention
finder and coreference where the subject and the object are named: both in one sentence (a
pronoun or "the company" counts once coreference has resolved it), both in the text but never
in one sentence, or one of them never recognised. A wildcard end (``regulation/us-*``: the
extractor names the rule itself) is not looked for, and such claims are counted apart. The
first share bounds the recall of rules that read one sentence at a time; the other two say how
much needs cross-sentence inference or entities the gazetteer lacks. Totals only, so it can be
run on the blind split without showing its text.

``python -m chipkg.loaders.text.reach tests/data/texts [--split dev|eval]``
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections import Counter
from pathlib import Path

import yaml

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import read_document
from chipkg.loaders.text.extractor import read_mentions
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.scoring import documents

ONE_SENTENCE = "both in one sentence"
ONE_SENTENCE_RULE = "rule + end in one"
APART = "both, never together"
UNSEEN = "an end unrecognised"
PLACES = (ONE_SENTENCE, ONE_SENTENCE_RULE, APART, UNSEEN)


def named_per_sentence(path: Path, language: str) -> list[set[str]]:
    """The entity ids each sentence of ``path`` names, after coreference."""
    read = read_mentions(read_document(path).match_text, language, Resolver())
    return [_ids(group) for group in read.groups]


def _ids(group: list[Mention]) -> set[str]:
    return {e for m in group for e in (m.entity, *(a.entity for a in m.absorbed)) if e}


def place(claim: dict[str, str], sentences: list[set[str]]) -> str:
    """Which of :data:`PLACES` one annotated claim falls in."""
    ends = [claim[k] for k in ("subject", "object") if "*" not in claim[k]]

    def named(pattern: str, ids: set[str]) -> bool:
        return any(fnmatch.fnmatchcase(i, pattern) for i in ids)

    if not all(any(named(end, ids) for ids in sentences) for end in ends):
        return UNSEEN
    if any(all(named(end, ids) for end in ends) for ids in sentences):
        return ONE_SENTENCE if len(ends) == 2 else ONE_SENTENCE_RULE
    return APART


def reach(root: Path, split: str | None = None) -> dict[str, Counter[str]]:
    """Claims by place, per language of the annotated documents under ``root``."""
    out: dict[str, Counter[str]] = {}
    for path in documents(root, split):
        spec = yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text("utf-8"))
        language = (spec or {}).get("language") or path.parent.name
        sentences = named_per_sentence(path, language)
        tally = out.setdefault(language, Counter())
        tally.update(place(claim, sentences) for claim in (spec or {}).get("claims") or [])
    return dict(sorted(out.items()))


def format_reach(by_language: dict[str, Counter[str]]) -> str:
    """Shares per language and overall, one column per place."""
    total: Counter[str] = sum(by_language.values(), Counter())
    rows = [f"{'':6} {'claims':>6} " + " ".join(f"{p:>22}" for p in PLACES)]
    for name, tally in [*by_language.items(), ("all", total)]:
        n = sum(tally.values()) or 1
        shares = " ".join(f"{tally[p] / n:22.2f}" for p in PLACES)
        rows.append(f"{name:6} {sum(tally.values()):6d} {shares}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--split", choices=["dev", "eval"], default=None)
    args = parser.parse_args(argv)
    print(format_reach(reach(args.root, args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
