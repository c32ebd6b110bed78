"""Relations in one sentence: noun-phrase rules, regulation phrases, then clause rules.

Each stage is a function from typed records to new ones and changes nothing it is given:

1. ``noun_phrases`` (``noun_phrases.py``): what a phrase presupposes ("NVIDIA H800" is
   NVIDIA DESIGNS H800), asserted whatever the sentence's hedges; makers are folded into
   the product tokens the clause rules then see.
2. ``regulation_tokens``: regulation phrases become R tokens (``regulations.py``); one
   without an issuer refers back to a measure named up to five sentences before.
3. ``clause_candidates`` (``clauses.py``): clause rules with modality, count, purpose,
   status and dates.
4. ``described_places`` and ``settle_regulations``: "the Chinese company" is LOCATED_IN
   China; new regulations get their ids (which depend on their targets), issuers and
   dates; ``facts.settle`` turns the candidates into ``Fact`` records with ids at both ends.

The document-level state (the paragraph's frame, the last regulation named) lives in
``Context``; only ``sentence_facts`` updates it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from chipkg.loaders.text.clauses import Clauses, clause_candidates
from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.facts import Candidate, Fact, dedupe, settle
from chipkg.loaders.text.generic import by_role, generic_candidates, is_generic
from chipkg.loaders.text.kinds import ENTITY_KINDS, ISSUER_KINDS, Kind
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.modality import Frame
from chipkg.loaders.text.noun_phrases import Phrase, entity_labels_ok, noun_phrases
from chipkg.loaders.text.patterns import applicable, compiled_rules
from chipkg.loaders.text.regulations import (
    RegulationInfo,
    find_regulations,
    merge_tokens,
    regulation_id,
)
from chipkg.loaders.text.sentences import Sentence
from chipkg.loaders.text.triggers import view_words
from chipkg.loaders.text.views import View, build_view

REGULATION_MEMORY = 5


@dataclass
class Context:
    """What sentence processing shares across a document."""

    lang: str
    text: str
    book: EntityBook
    frame: Frame | None = None
    last_regulation: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class Regulated:
    """The tokens after stage 2, the regulations the sentence introduces, the last one named."""

    tokens: tuple[Mention, ...]
    new: tuple[Mention, ...]
    last: tuple[int, str] | None


def sentence_facts(ctx: Context, sentence: Sentence, mentions: list[Mention]) -> list[Fact]:
    """All facts of the sentence (nothing to do without two things to relate)."""
    tokens = tuple(sorted(mentions, key=lambda m: m.start))
    entities = _entities(tokens)
    if entities == 0 or (entities == 1 and not _may_name_a_measure(ctx, tokens)):
        return []
    np_rules, clause_rules = compiled_rules(ctx.lang)
    words = view_words(ctx.text[sentence.start : sentence.end])
    candidates: list[Candidate] = []
    shown, view = tokens, build_view(ctx.text, sentence.start, sentence.end, list(tokens))
    if entities >= 2:
        phrase = Phrase(ctx.text, sentence.start, sentence.end, ctx.lang, ctx.book)
        rules = applicable(np_rules, view.letters(), words)
        tokens, candidates = noun_phrases(phrase, tokens, view, rules)
    if tokens is not shown:
        shown, view = tokens, build_view(ctx.text, sentence.start, sentence.end, list(tokens))
    regulated = regulation_tokens(ctx, sentence, tokens, view, words)
    ctx.last_regulation = regulated.last
    if _entities(regulated.tokens) >= 2:
        full = view
        if regulated.tokens is not shown:
            full = build_view(ctx.text, sentence.start, sentence.end, list(regulated.tokens))
        stage = Clauses(full, ctx.lang, ctx.book, words, ctx.frame, regulated.new)
        read = [by_role(ctx.book, c) for c in clause_candidates(stage, clause_rules)]
        candidates += [c for c in read if c is not None]
        candidates += generic_candidates(stage, candidates)
    candidates += described_places(ctx.book, regulated.tokens)
    candidates, ids, dates, last = settle_regulations(ctx, sentence, regulated, candidates)
    ctx.last_regulation = last or ctx.last_regulation
    return dedupe(settle(candidates, sentence, ids, dates))


def _entities(tokens: tuple[Mention, ...]) -> int:
    return sum(1 for m in tokens if m.kind in ENTITY_KINDS)


def _may_name_a_measure(ctx: Context, tokens: tuple[Mention, ...]) -> bool:
    """One issuer token can still make a regulation ("US sanctions") or a back-reference."""
    return (
        any(m.kind in ISSUER_KINDS or m.country for m in tokens) or ctx.last_regulation is not None
    )


def regulation_tokens(
    ctx: Context, sentence: Sentence, tokens: tuple[Mention, ...], view: View, words: frozenset[str]
) -> Regulated:
    """Stage 2: regulation phrases replace the tokens they cover by one R token
    (``view`` shows ``tokens``; they are returned as they are when nothing is found)."""
    last = ctx.last_regulation
    for m in tokens:
        if m.kind == Kind.REGULATION and m.entity:
            last = (sentence.index, m.entity)
    found = find_regulations(view, ctx.lang, words)
    if not found:
        return Regulated(tokens, (), last)
    replaced: dict[int, Mention] = {}
    covered: set[int] = set()
    new: list[Mention] = []
    for item in found:
        merged = merge_tokens(list(tokens), item, view)
        info: RegulationInfo = merged.value
        if not (info.issuer or info.head.issuer):
            if not info.head.refers_back:
                continue
            if last is None or sentence.index - last[0] > REGULATION_MEMORY:
                continue
            merged = replace(merged, entity=last[1])
        else:
            new.append(merged)
        if item.covered:
            replaced[item.covered[0]] = merged
            covered |= set(item.covered)
        else:
            replaced[-1 - len(replaced)] = merged
    kept = [m for i, m in enumerate(tokens) if i not in covered] + list(replaced.values())
    return Regulated(tuple(sorted(kept, key=lambda m: m.start)), tuple(new), last)


def described_places(book: EntityBook, tokens: tuple[Mention, ...]) -> list[Candidate]:
    """ "the Chinese company" places the company it refers to in China."""
    out = []
    for m in tokens:
        country = m.country if m.kind == Kind.COMPANY and m.via == "description" else None
        if country and m.entity and entity_labels_ok(book, "LOCATED_IN", m.entity, country):
            out.append(
                Candidate(
                    predicate="LOCATED_IN",
                    subject=m.entity,
                    object=country,
                    object_kind=Kind.COUNTRY,
                    rule="description-demonym",
                    confidence=round(0.7 * m.factor, 2),
                )
            )
    return out


def settle_regulations(
    ctx: Context, sentence: Sentence, regulated: Regulated, candidates: list[Candidate]
) -> tuple[list[Candidate], dict[int, str | None], dict[int, str | None], tuple[int, str] | None]:
    """Ids, dates and issuers of the regulations the sentence introduces."""
    ids: dict[int, str | None] = {}
    dates: dict[int, str | None] = {}
    issued: list[Candidate] = []
    last = None
    for k, reg in enumerate(regulated.new):
        info: RegulationInfo = reg.value
        date = info.date or _single_date(regulated.tokens)
        dates[k] = date
        targets = [
            c.object
            for c in candidates
            if c.pending == k
            and c.predicate == "TARGETS"
            and c.object_kind == Kind.COMPANY
            and not is_generic(c.rule)  # a guess must not rename the measure
        ]
        made = regulation_id(replace(info, date=date), targets, ctx.book)
        ids[k] = None
        if made is None:
            continue
        reg_id, props, name = made
        ids[k] = ctx.book.ensure("Regulation", name, props, reg_id)
        issuer = info.issuer or info.head.issuer
        if issuer and entity_labels_ok(ctx.book, "ISSUED_BY", ids[k] or "", issuer):
            issued.append(
                Candidate(
                    predicate="ISSUED_BY",
                    subject=ids[k],
                    object=issuer,
                    object_kind=Kind.GOVERNMENT,
                    rule="regulation-issuer",
                    confidence=0.8 if info.issuer else 0.6,
                    valid_from=date,
                )
            )
        last = (sentence.index, ids[k] or "")
    return candidates + issued, ids, dates, last


def _single_date(tokens: tuple[Mention, ...]) -> str | None:
    found = [m.value for m in tokens if m.kind == Kind.DATE and isinstance(m.value, str)]
    for m in tokens:
        found += [a.value for a in m.absorbed if a.kind == Kind.DATE and isinstance(a.value, str)]
    return found[0] if len(set(found)) == 1 and len(found[0]) > 4 else None
