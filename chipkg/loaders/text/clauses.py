"""Stage 3: clause rules on the main view and each parenthetical view.

Each match becomes a candidate whose modality comes from the cues around it
(``modality.py``) and whose count, item, purpose, status and dates come from the words
it spans. The words that end a clause for that reading are the language's
``clause_limits`` (pattern data), after a comma, or a semicolon.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.facts import REG_PREDICATES, Candidate
from chipkg.loaders.text.kinds import Kind
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.modality import (
    FACTOR,
    FRAME_FACTOR,
    Cue,
    Frame,
    ViewCues,
    decide,
    find_cues,
)
from chipkg.loaders.text.noun_phrases import COORDINATION_FACTOR, specific_node
from chipkg.loaders.text.patterns import (
    GAP_PENALTY,
    Compiled,
    Match,
    applicable,
    coordinated,
    labels_ok,
    matches,
    slot_kinds,
    token_pos,
)
from chipkg.loaders.text.quantities import Quantity
from chipkg.loaders.text.regulations import RegulationInfo
from chipkg.loaders.text.resources import dates, pattern_file
from chipkg.loaders.text.views import View, clause_views
from chipkg.ontology import ONTOLOGY


@dataclass(frozen=True, slots=True)
class Clauses:
    """What the clause stage reads: the sentence's full view and the document's state."""

    full: View
    lang: str
    book: EntityBook
    words: frozenset[str]
    frame: Frame | None
    pending: tuple[Mention, ...]  # regulations this sentence introduces (ids not yet known)
    memo: dict[object, Any] = field(default_factory=dict)  # views and cues, read by two stages

    def views(self) -> list[View]:
        """The main view and the parentheticals (computed once per sentence)."""
        found: list[View] | None = self.memo.get("views")
        if found is None:
            found = self.memo["views"] = clause_views(self.full, self.lang)
        return found


@dataclass(frozen=True, slots=True)
class _Words:
    purposes: dict[str, re.Pattern[str]]
    status: dict[str, re.Pattern[str]]
    when: re.Pattern[str]
    clause_end: re.Pattern[str]
    clause_start: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@cache
def _words(lang: str) -> _Words:
    pfile = pattern_file(lang)
    d = dates()
    on, articles = d.dated_by.get(lang, "(?!)"), d.articles.get(lang, "(?!)")
    when = re.compile(
        rf"(?<!\w)(?:(?P<since>{_alt(d.since.get(lang, []))})|(?P<until>{_alt(d.until.get(lang, []))})"
        rf"|(?P<after>{_alt(d.after.get(lang, []))})|(?P<on>{on}))\s+"
        rf"(?:(?:{articles})\s*)?\ue000Y(?P<y>\d+)\ue001",
        re.I,
    )
    limits = pfile.clause_limits or "(?!)"
    return _Words(
        purposes={k: re.compile(v, re.I) for k, v in pfile.purposes.items()},
        status={k: re.compile(v, re.I) for k, v in pfile.status.items()},
        when=when,
        clause_end=re.compile(rf";|,\s+(?:{limits})\b", re.I),
        clause_start=re.compile(rf";|, (?:{limits}) ", re.I),
    )


def clause_candidates(stage: Clauses, rules: tuple[Compiled, ...]) -> list[Candidate]:
    """Candidates of every clause rule on the main view and each parenthetical."""
    out: list[Candidate] = []
    for view in stage.views():
        cues: ViewCues | None = None
        for compiled in applicable(rules, view.letters(), stage.words):
            found = list(matches(compiled, view))
            if not found:
                continue
            if cues is None:
                cues = _cues(stage, view)
            allowed = slot_kinds(compiled)
            for item in found:
                for each in (item, *coordinated(item, stage.lang, allowed)):
                    made = _candidate(stage, each, cues)
                    if made is not None:
                        out.append(made)
    return out


def match_candidate(stage: Clauses, found: Match, cues: ViewCues) -> Candidate | None:
    """The candidate of one match (also of a match the generic stage made), or None when
    its ends are not entities the ontology lets the rule's predicate relate."""
    return _candidate(stage, found, cues)


def view_cues(stage: Clauses, view: View) -> ViewCues:
    """The modality cues of one view of the sentence (see ``_cues``)."""
    return _cues(stage, view)


def _cues(stage: Clauses, view: View) -> ViewCues:
    """Cues of a view; a parenthetical also hears the sentence's attribution."""
    known: ViewCues | None = stage.memo.get(id(view))
    if known is None:
        known = stage.memo[id(view)] = _find_cues(stage, view)
    return known


def _find_cues(stage: Clauses, view: View) -> ViewCues:
    cues = find_cues(view.text, stage.lang, _name_of(stage.book, view))
    if view.kind != "paren":
        return cues
    outer = find_cues(stage.full.text, stage.lang, _name_of(stage.book, stage.full))
    heard = [Cue(0, 0, "attribution", c.source) for c in outer.cues if c.kind == "attribution"]
    return ViewCues([*cues.cues, *heard], cues.breaks)


def _name_of(book: EntityBook, view: View) -> Callable[[int], str | None]:
    def name_of(index: int) -> str | None:
        entity_id = view.tokens[index].entity
        entity = book.get(entity_id) if entity_id else None
        return entity.name if entity else None

    return name_of


def _ends(stage: Clauses, found: Match) -> tuple[str | None, str | None, int | None]:
    """Subject id, object id and pending-regulation index of a match (None: no fact)."""
    tokens = found.view.tokens
    s, o = tokens[found.slots["S"]], tokens[found.slots["O"]]
    subject = s.maker if "S" in found.maker_slots else s.entity
    obj = o.maker if "O" in found.maker_slots else o.entity
    pending = next((i for i, r in enumerate(stage.pending) if r is s), None)
    if s.kind != Kind.REGULATION or s.entity is not None:
        pending = None
    if subject is None and pending is None:
        return None, None, None
    if o.kind == Kind.TECHNOLOGY and subject and found.rule.predicate in ("MANUFACTURES", "USES"):
        obj = specific_node(stage.book, subject, o.entity) if o.entity else None
    if o.kind == Kind.OWN_PRODUCT:
        obj = _own_product(stage.book, subject, bool(o.value)) if subject else None
    return subject, obj, pending


def _candidate(stage: Clauses, found: Match, cues: ViewCues) -> Candidate | None:
    if "S" not in found.slots or "O" not in found.slots:
        return None
    subject, obj, pending = _ends(stage, found)
    if obj is None or subject == obj or (subject is None and pending is None):
        return None
    book = stage.book
    s_label = "Regulation" if pending is not None else book.label(subject or "")
    o_label = book.label(obj)
    if s_label is None or o_label is None or not labels_ok(found.rule.predicate, s_label, o_label):
        return None
    return _reading(stage, found, cues, subject, obj, pending)


def _own_product(book: EntityBook, company: str, ai: bool) -> str:
    entity = book.get(company)
    name = f"{entity.name if entity else company} {'AI chip' if ai else 'chip'}"
    category = "ai_accelerator" if ai else "chip"
    return book.ensure("Product", name, {"category": category})


def _reading(
    stage: Clauses,
    found: Match,
    cues: ViewCues,
    subject: str | None,
    obj: str,
    pending: int | None,
) -> Candidate:
    """The candidate of a match: modality, confidence, properties and dates."""
    rule, tokens = found.rule, found.view.tokens
    s, o = tokens[found.slots["S"]], tokens[found.slots["O"]]
    span = _span(found)
    props, absorbed = _details(stage, found, span, subject)
    decision = decide(cues, span, stage.frame, rule.ended, absorbed)
    modality = decision.modality
    if rule.modality and FACTOR[rule.modality] < FACTOR[modality] and modality != "negated":
        modality = rule.modality
    valid_from, valid_to = _validity(stage.lang, found, rule.predicate)
    if rule.ended:
        if valid_to is None and valid_from is not None:
            valid_to, valid_from = valid_from, None
        if valid_to is None and modality != "speculative":
            modality = "negated"
    confidence = rule.confidence - GAP_PENALTY * max(0, found.gap_words - 2)
    o_factor = 1.0 if o.kind == Kind.OWN_PRODUCT else o.factor  # a new product: no doubt
    confidence *= FACTOR[modality] * min(s.factor, o_factor)
    confidence *= COORDINATION_FACTOR if found.coordinated else 1.0
    confidence *= FRAME_FACTOR if decision.from_frame else 1.0
    info = s.value if s.kind == Kind.REGULATION else None
    return Candidate(
        predicate=rule.predicate,
        subject=subject,
        object=obj,
        object_kind=o.kind,
        rule=rule.id,
        confidence=round(max(0.05, min(confidence, 0.99)), 2),
        modality=modality,
        attributed_to=decision.attributed_to,
        properties=props,
        valid_from=valid_from,
        valid_to=valid_to,
        ended=rule.ended,
        pending=pending,
        regulation_date=info.date if isinstance(info, RegulationInfo) else None,
    )


def _span(found: Match) -> tuple[int, int]:
    positions = []
    for name, index in found.slots.items():
        if name in ("Q", "Y"):
            continue
        pos = token_pos(found.view, index)
        if pos >= 0:
            positions += [pos, pos + len(str(index)) + 3]
    if not positions:
        return found.span
    return min(positions), max(positions)


def _details(
    stage: Clauses, found: Match, span: tuple[int, int], subject: str | None
) -> tuple[dict[str, Any], tuple[tuple[int, int], ...]]:
    """Properties (count, item, purpose, status) and the status words' spans; a process
    node supplied by a foundry is that foundry's own node when known ("SMIC's N7")."""
    rule, tokens, text = found.rule, found.view.tokens, found.view.text
    spec = ONTOLOGY.relationship(rule.predicate).properties
    props = dict(rule.properties)
    if "Q" in found.slots and "quantity" in spec:
        quantity: Quantity = tokens[found.slots["Q"]].value
        props["quantity"] = quantity.number
        if "approximate" in spec and quantity.approximate:
            props["approximate"] = True
    item = tokens[found.slots["X"]] if "X" in found.slots and "item" in spec else None
    if item is not None and item.entity:
        props["item"] = item.entity
        if item.kind == Kind.TECHNOLOGY and subject:
            props["item"] = specific_node(stage.book, subject, item.entity)
    words = _words(stage.lang)
    if "purpose" in spec:
        end = _clause_end(words, text, span[1])
        name = next(
            (n for n, r in words.purposes.items() if r.search(text, found.span[0], end)), None
        )
        if name:
            props.setdefault("purpose", name)
    absorbed: tuple[tuple[int, int], ...] = ()
    if "status" in spec:
        start = _clause_start(words, text, span[0])
        for name, regex in words.status.items():
            m = regex.search(text, start, span[1])
            if m:
                props.setdefault("status", name)
                absorbed = ((m.start(), m.end()),)
                break
    return props, absorbed


def _clause_end(words: _Words, text: str, pos: int) -> int:
    m = words.clause_end.search(text, pos)
    return m.start() if m else len(text)


def _clause_start(words: _Words, text: str, pos: int) -> int:
    starts = [m.start() for m in words.clause_start.finditer(text, 0, pos)]
    return starts[-1] + 1 if starts else 0


def _validity(lang: str, found: Match, predicate: str) -> tuple[str | None, str | None]:
    words = _words(lang)
    text, tokens = found.view.text, found.view.tokens
    valid_from = valid_to = None
    end = _clause_end(words, text, found.span[1])
    for m in words.when.finditer(text, found.span[0], end):
        date = tokens[int(m.group("y"))].value
        if not isinstance(date, str):
            continue
        if m.group("until") or (found.rule.ended and (m.group("after") or m.group("on"))):
            valid_to = valid_to or date
        elif (
            m.group("since") or m.group("after") or (m.group("on") and predicate in REG_PREDICATES)
        ):
            valid_from = valid_from or date
    return valid_from, valid_to
