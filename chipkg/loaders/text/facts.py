"""The records the relation stages pass on: candidates inside a sentence, facts out of it.

A ``Candidate`` may still point at a regulation the sentence introduces and whose id is
only settled once the whole sentence is read (its id depends on the targets found);
``settle`` turns candidates into ``Fact`` records, whose ends are entity ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chipkg.loaders.text.kinds import Kind
from chipkg.loaders.text.sentences import Sentence

REG_PREDICATES = frozenset(["TARGETS", "RESTRICTS", "ISSUED_BY"])


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A claim found in a sentence, before it becomes a record."""

    predicate: str
    subject: str
    object: str
    sentence: Sentence
    rule: str
    confidence: float
    modality: str = "asserted"
    attributed_to: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    valid_from: str | None = None
    valid_to: str | None = None
    ended: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A fact whose subject may be a regulation introduced by this sentence.

    ``pending`` is that regulation's index among the sentence's new regulations (the
    subject id is then unknown until ``settle``); ``regulation_date`` is the date of the
    regulation phrase the subject stands for, which a rule's facts inherit.
    """

    predicate: str
    subject: str | None
    object: str
    object_kind: Kind
    rule: str
    confidence: float
    modality: str = "asserted"
    attributed_to: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    valid_from: str | None = None
    valid_to: str | None = None
    ended: bool = False
    pending: int | None = None
    regulation_date: str | None = None


def settle(
    candidates: list[Candidate],
    sentence: Sentence,
    regulation_ids: Mapping[int, str | None],
    regulation_dates: Mapping[int, str | None],
) -> list[Fact]:
    """Facts with every end an id (candidates on an unidentified regulation are dropped)."""
    facts = []
    for c in candidates:
        subject, date = c.subject, c.regulation_date
        if c.pending is not None:
            subject, date = regulation_ids.get(c.pending), regulation_dates.get(c.pending)
        if subject is None:
            continue
        valid_from = c.valid_from
        if c.predicate in REG_PREDICATES and (c.pending is not None or c.regulation_date):
            valid_from = valid_from or date
        facts.append(
            Fact(
                predicate=c.predicate,
                subject=subject,
                object=c.object,
                sentence=sentence,
                rule=c.rule,
                confidence=c.confidence,
                modality=c.modality,
                attributed_to=c.attributed_to,
                properties=c.properties,
                valid_from=valid_from,
                valid_to=c.valid_to,
                ended=c.ended,
            )
        )
    return facts


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per claim and modality; a rule that reads an end ("will not ship after")
    overrides plain readings of the same pair in the sentence."""
    ended = {(f.predicate, f.subject, f.object) for f in facts if f.ended}
    best: dict[tuple[Any, ...], Fact] = {}
    for f in facts:
        if (f.predicate, f.subject, f.object) in ended and not f.ended:
            continue
        key = (f.predicate, f.subject, f.object, tuple(sorted(f.properties.items())), f.modality)
        if key not in best or best[key].confidence < f.confidence:
            best[key] = f
    return list(best.values())
