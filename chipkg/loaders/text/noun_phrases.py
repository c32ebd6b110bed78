"""Stage 1: what a noun phrase presupposes ("NVIDIA H800", "Huawei's Ascend").

The maker is chosen by the company's roles and the product's category (a chip designer
DESIGNS, a foundry MANUFACTURES...); "Taiwan's TSMC" is LOCATED_IN; "Huawei's HiSilicon
division" is SUBSIDIARY_OF. A rule with ``absorb`` then folds the maker into the product
token, so "10.000 GPU NVIDIA H800" reads "<count> GPU <product>" for the clause rules.
The stage returns new tokens and candidates; it changes no mention it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.facts import Candidate
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.patterns import (
    Compiled,
    Match,
    coordinated,
    labels_ok,
    matches,
    slot_kinds,
)
from chipkg.loaders.text.resources import MakerRule, roles
from chipkg.loaders.text.views import View, build_view

COORDINATION_FACTOR = 0.9


@dataclass(frozen=True, slots=True)
class Phrase:
    """What the stage reads in: the sentence's text span, its tokens and the book."""

    text: str
    start: int
    end: int
    lang: str
    book: EntityBook


@dataclass(slots=True)
class _Edits:
    """Token changes one rule asks for: makers, node ids and (subject, object) merges."""

    makers: dict[int, str] = field(default_factory=dict)
    entities: dict[int, str] = field(default_factory=dict)
    merges: list[tuple[int, int]] = field(default_factory=list)


def noun_phrases(
    phrase: Phrase, tokens: tuple[Mention, ...], view: View, rules: list[Compiled]
) -> tuple[tuple[Mention, ...], list[Candidate]]:
    """Candidates of every noun-phrase rule and the tokens after makers are folded in
    (``view`` shows ``tokens``; the tuple returned is ``tokens`` itself when unchanged)."""
    found: list[Candidate] = []
    shown = tokens
    for compiled in rules:
        if tokens is not shown:
            shown, view = tokens, build_view(phrase.text, phrase.start, phrase.end, list(tokens))
        edits = _Edits()
        found += _rule_candidates(phrase, compiled, list(matches(compiled, view)), edits)
        tokens = _apply(tokens, edits)
    return tokens, found


def _rule_candidates(
    phrase: Phrase, compiled: Compiled, direct: list[Match], edits: _Edits
) -> list[Candidate]:
    if not direct:
        return []
    allowed = slot_kinds(compiled)
    claimed = {m.slots.get("O") for m in direct}
    extra = []
    for item in direct:
        for co in coordinated(item, phrase.lang, allowed):
            if not compiled.rule.by_role or (
                co.slots.get("O") not in claimed and _same_category(item, co, phrase.book)
            ):
                extra.append(co)
    extra = [co for co in extra if not _contradicts_reference(phrase.book, co)]
    out: list[Candidate] = []
    for item in direct + extra:
        made = _candidate(phrase.book, item, edits)
        if made is not None:
            out.append(made)
        if compiled.rule.absorb and made is not None and not item.coordinated:
            edits.merges.append((item.slots["S"], item.slots["O"]))
        elif item.coordinated and compiled.rule.absorb:
            subject = item.view.tokens[item.slots["S"]].entity
            if subject is not None:
                edits.makers[item.slots["O"]] = subject
    return out


def _contradicts_reference(book: EntityBook, found: Match) -> bool:
    """A coordinated company placed where the reference data says it is not."""
    if found.rule.predicate != "LOCATED_IN":
        return False
    company = found.view.tokens[found.slots["S"]].entity
    country = found.view.tokens[found.slots["O"]].entity
    known = book.country_of(company) if company else None
    return known is not None and known != country


def _candidate(book: EntityBook, found: Match, edits: _Edits) -> Candidate | None:
    rule = found.rule
    s, o = found.view.tokens[found.slots["S"]], found.view.tokens[found.slots["O"]]
    if s.entity is None or o.entity is None:
        return None
    predicate, confidence, obj = rule.predicate, rule.confidence, o.entity
    if rule.by_role:
        chosen = maker_rule(book, s.entity, o.entity)
        if chosen is None:
            return None
        predicate, confidence = chosen.predicate, chosen.confidence
        if chosen.label == "Technology":
            obj = specific_node(book, s.entity, o.entity)
            edits.entities[found.slots["O"]] = obj
    if not entity_labels_ok(book, predicate, s.entity, obj):
        return None
    factor = min(s.factor, o.factor) * (COORDINATION_FACTOR if found.coordinated else 1.0)
    return Candidate(
        predicate=predicate,
        subject=s.entity,
        object=obj,
        object_kind=o.kind,
        rule=rule.id,
        confidence=round(confidence * factor, 2),
        properties=dict(rule.properties),
    )


def maker_rule(book: EntityBook, company: str, target: str) -> MakerRule | None:
    """The first maker rule that fits the company's roles and the target's label/category."""
    company_roles = book.roles(company)
    label = book.label(target) or ""
    category = book.category(target)
    for rule in roles().maker_rules:
        if not company_roles & set(rule.roles) or rule.label != label:
            continue
        if rule.categories and category not in rule.categories:
            continue
        if category in rule.exclude_categories:
            continue
        return rule
    return None


def specific_node(book: EntityBook, company: str, node_id: str) -> str:
    """ "SMIC's 7nm process" is SMIC's own 7nm node when the reference data has it."""
    entity = book.get(company)
    node = book.get(node_id)
    if entity is None or node is None:
        return node_id
    size = node.properties.get("node_nm")
    for name in (f"{entity.name} {size}nm", f"{entity.name} N{size}"):
        found = book.resolver.resolve(name, "Technology")
        if found is not None:
            book.get(found.id)
            return found.id
    return node_id


def entity_labels_ok(book: EntityBook, predicate: str, subject: str, obj: str) -> bool:
    """The ontology allows ``predicate`` between the two entities' labels."""
    s_label, o_label = book.label(subject), book.label(obj)
    if s_label is None or o_label is None or subject == obj:
        return False
    return labels_ok(predicate, s_label, o_label)


def _apply(tokens: tuple[Mention, ...], edits: _Edits) -> tuple[Mention, ...]:
    """New tokens: makers and node ids set, each merged subject folded into its object."""
    if not (edits.makers or edits.entities or edits.merges):
        return tokens
    out = list(tokens)
    for i, maker in edits.makers.items():
        out[i] = replace(out[i], maker=maker)
    for i, entity in edits.entities.items():
        out[i] = replace(out[i], entity=entity)
    drop: set[int] = set()
    for s_index, o_index in edits.merges:
        lo, hi = min(s_index, o_index), max(s_index, o_index)
        target = out[o_index]
        absorbed = [out[i] for i in range(lo, hi + 1) if i != o_index]
        out[o_index] = replace(
            target,
            absorbed=[*target.absorbed, *absorbed],
            maker=out[s_index].entity,
            start=min(target.start, out[lo].start),
            end=max(target.end, out[hi].end),
        )
        drop |= {i for i in range(lo, hi + 1) if i != o_index}
    return tuple(m for i, m in enumerate(out) if i not in drop)


def _same_category(first: Match, other: Match, book: EntityBook) -> bool:
    a = first.view.tokens[first.slots["O"]].entity
    b = other.view.tokens[other.slots["O"]].entity
    return bool(a and b and book.category(a) == book.category(b))
