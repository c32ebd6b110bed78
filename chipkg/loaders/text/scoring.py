"""Score the extractor against annotated texts: precision and recall per type and language.

A test directory holds ``<lang>/<name>.txt|.md|.html`` files, each with a
``<name>.expected.yaml`` (see ``tests/data/texts/README.md``). A claim is counted as found
when an extracted claim has the same subject, predicate and object (``*`` wildcards
allowed in the annotation; COMPETES_WITH in either direction). Modality and property
agreement are reported separately, over the claims that were found, as are claims the
annotation forbids. An annotated ``valid_from``/``valid_to`` is checked like a property
(validity agreement), and a forbidden rule may name ``modality`` or ``valid_to: null``.

Run ``python -m chipkg.loaders.text.scoring tests/data/texts [--split dev|eval] [--details]``;
it prints the totals, then each article with the claims it missed (``--details``: and the
extra ones).
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import SUFFIXES
from chipkg.loaders.text.extractor import Extractor, RuleExtractor
from chipkg.loaders.text.loader import extract_path
from chipkg.ontology import Claim

SYMMETRIC = frozenset(["COMPETES_WITH"])


@dataclass
class Counts:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class DocumentScore:
    """How one document scored."""

    path: Path
    language: str
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    modality: list[bool] = field(default_factory=list)
    properties: list[bool] = field(default_factory=list)
    validity: list[bool] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.by_type.values():
            out.add(c)
        return out


def _fits(pattern: dict[str, Any], claim: Claim) -> bool:
    if pattern["predicate"] != claim.predicate:
        return False
    pairs = [(claim.subject, claim.object)]
    if claim.predicate in SYMMETRIC:
        pairs.append((claim.object, claim.subject))
    return any(
        fnmatch.fnmatchcase(s, pattern["subject"]) and fnmatch.fnmatchcase(o, pattern["object"])
        for s, o in pairs
    )


def _show(claim: Claim | dict[str, Any]) -> str:
    if isinstance(claim, Claim):
        return f"{claim.subject} {claim.predicate} {claim.object} [{claim.modality}]"
    return f"{claim['subject']} {claim['predicate']} {claim['object']}"


def _props_agree(expected: dict[str, Any], claim: Claim) -> bool:
    for key, value in expected.items():
        got = claim.properties.get(key)
        if isinstance(value, int | float) and isinstance(got, int | float):
            if abs(float(value) - float(got)) > 1e-6:
                return False
        elif got != value:
            return False
    return True


VALIDITY = ("valid_from", "valid_to")


def _validity_agrees(expected: dict[str, Any], claim: Claim) -> bool:
    """Stated dates agree when the claim's date starts with the annotated one
    ("2024-11-11" agrees with "2024-11"); an annotated null wants no date."""
    for key in VALIDITY:
        if key not in expected:
            continue
        want, got = expected[key], getattr(claim, key)
        if want is None and got is not None:
            return False
        if want is not None and not str(got or "").startswith(str(want)):
            return False
    return True


def _forbidden_fields(rule: dict[str, Any], claim: Claim) -> bool:
    """A forbidden rule may also name the modality or validity that makes a claim wrong
    (``valid_to: null``: a supply the text says ended, extracted without its end)."""
    if rule.get("modality", claim.modality) != claim.modality:
        return False
    return all(getattr(claim, k) == rule[k] for k in VALIDITY if k in rule)


def score_document(path: Path, extractor: Extractor | None = None) -> DocumentScore:
    """Extract ``path`` (in the language of its folder) and compare with its annotation."""
    spec = yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text("utf-8")) or {}
    language = spec.get("language") or path.parent.name
    claims = extract_path(path, Resolver(), language, extractor or RuleExtractor()).claims
    score = DocumentScore(path, language)
    unmatched = list(claims)
    for expected in spec.get("claims") or []:
        hit = next((c for c in unmatched if _fits(expected, c)), None)
        counts = score.by_type[expected["predicate"]]
        if hit is None:
            counts.fn += 1
            score.missed.append(_show(expected))
            continue
        unmatched.remove(hit)
        counts.tp += 1
        if "modality" in expected:
            score.modality.append(expected["modality"] == hit.modality)
        if expected.get("properties"):
            score.properties.append(_props_agree(expected["properties"], hit))
        if any(k in expected for k in VALIDITY):
            score.validity.append(_validity_agrees(expected, hit))
    for claim in unmatched:
        score.by_type[claim.predicate].fp += 1
        score.spurious.append(_show(claim))
    for rule in spec.get("forbidden") or []:
        for claim in claims:
            if _fits(rule, claim) and _forbidden_fields(rule, claim):
                score.forbidden.append(_show(claim))
    return score


def documents(root: Path, split: str | None = None) -> list[Path]:
    """Annotated documents under ``root`` (``dev-*`` / ``eval-*`` when ``split`` is given)."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in SUFFIXES or path.name.endswith(".expected.yaml"):
            continue
        if not path.with_name(path.stem + ".expected.yaml").exists():
            continue
        if split and not path.name.startswith(f"{split}-"):
            continue
        found.append(path)
    return found


@dataclass
class Report:
    """Scores of many documents, summed by language and by relationship type."""

    scores: list[DocumentScore]

    def by_language(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for s in self.scores:
            out[s.language].add(s.total)
        return dict(sorted(out.items()))

    def by_type(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for s in self.scores:
            for name, counts in s.by_type.items():
                out[name].add(counts)
        return dict(sorted(out.items()))

    @property
    def total(self) -> Counts:
        out = Counts()
        for s in self.scores:
            out.add(s.total)
        return out

    def agreement(self, what: str) -> tuple[int, int]:
        values = [v for s in self.scores for v in getattr(s, what)]
        return sum(values), len(values)

    @property
    def forbidden(self) -> list[str]:
        return [f"{s.path.name}: {f}" for s in self.scores for f in s.forbidden]


def score(root: Path, split: str | None = None, extractor: Extractor | None = None) -> Report:
    """Score every annotated document under ``root``."""
    return Report([score_document(p, extractor) for p in documents(root, split)])


def format_report(report: Report, details: bool = False) -> str:
    """The report as plain-text tables."""
    lines = [f"{'':16} {'P':>6} {'R':>6} {'F1':>6} {'found':>6} {'false+':>6} {'missed':>6}"]

    def row(name: str, c: Counts) -> str:
        return (
            f"{name:16} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f} "
            f"{c.tp:6d} {c.fp:6d} {c.fn:6d}"
        )

    lines += [row(f"lang {k}", v) for k, v in report.by_language().items()]
    lines.append(row("all", report.total))
    lines.append("")
    lines += [row(k, v) for k, v in report.by_type().items()]
    for what in ("modality", "properties", "validity"):
        ok, n = report.agreement(what)
        lines.append(f"{what} agreement on found claims: {ok}/{n}")
    lines.append(f"forbidden claims produced: {len(report.forbidden)}")
    lines += [f"  {f}" for f in report.forbidden]
    bad = sum(1 for s in report.scores if s.forbidden)
    lines.append(f"articles with a forbidden claim: {bad} of {len(report.scores)}")
    lines.append("\nper article (found/expected, extra; then what was missed):")
    for s in report.scores:
        t = s.total
        lines.append(f"{s.path.parent.name}/{s.path.name}: {t.tp}/{t.tp + t.fn}, {t.fp} extra")
        lines += [f"  missed  {m}" for m in s.missed]
        if details:
            lines += [f"  extra   {m}" for m in s.spurious]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--split", choices=["dev", "eval"], default=None)
    parser.add_argument(
        "--details", action="store_true", help="Also list extra claims per article."
    )
    args = parser.parse_args(argv)
    print(format_report(score(args.root, args.split), args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
