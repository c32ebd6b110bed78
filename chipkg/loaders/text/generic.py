"""Stage 3b: a generic reading of a clause, for pairs no specific pattern covered.

The clause rules spell out phrasings; reporters use many more. Here two typed mentions a
predicate can relate (a company and a product for MANUFACTURES/USES, two companies for
SUPPLIES, a regulation and a product or a company/country for RESTRICTS/TARGETS) in one
clause, with a trigger word of that predicate near them (``data/generic.yaml``), give a
claim at a lower confidence than a rule's. Direction:

* a token after a doer/source preposition ("by", "from", "da", "von", "par", "auprès de")
  is the subject; one after a recipient preposition ("to", "a", "an", "à") the object, and
  never a subject;
* otherwise the subject is the nearest candidate before the trigger (after it when none
  is before: German verb-second, "An Huawei liefert TSMC"), the object the nearest on the
  other side (or between the subject and a verb-final trigger). ``reverse`` triggers
  ("buys … from") need a marked subject.

Guards: both ends within ``WINDOW`` words of the trigger and in the same clause (no
break word, semicolon, colon or dash between); no claim from a clause with a negation,
refusal or stated end (those are left to the specific rules, which read ``valid_to``);
a pair any other stage related in the sentence is left alone. Modality, counts, purpose
and dates come from the clause stage's own code (``clauses.match_candidate``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from chipkg.errors import OntologyError
from chipkg.loaders.text.clauses import Clauses, match_candidate, view_cues
from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.facts import Candidate
from chipkg.loaders.text.modality import ViewCues
from chipkg.loaders.text.noun_phrases import maker_rule
from chipkg.loaders.text.patterns import Match, coordinated
from chipkg.loaders.text.resources import (
    DATA_DIR,
    GenericLanguage,
    GenericTriggers,
    Rule,
    cues,
    generic_cues,
    pattern_file,
)
from chipkg.loaders.text.views import View

KINDS: dict[str, tuple[str, str]] = {
    "SUPPLIES": ("CW", "CW"),
    "MANUFACTURES": ("CW", "PT"),
    "USES": ("CWM", "PT"),
    "RESTRICTS": ("R", "PT"),
    "TARGETS": ("R", "C"),
}
"""Subject and object token kinds per predicate (W: a possessive standing for a company;
M: an AI model whose developer is known, who is then the one training or running it)."""
MANY = frozenset({"MANUFACTURES", "USES", "RESTRICTS"})
"""Predicates whose every object on the object's side of the trigger is read
("produce chip DRAM e memorie NAND", "P werden von SMIC im 7-nm-Verfahren gefertigt")."""

CONFIDENCE = 0.55
WINDOW = 10
NOT_GOODS = frozenset({"ai_model"})  # trained, not used, made or supplied as goods
MAKERS = frozenset(
    {"foundry", "idm", "memory_maker", "equipment_maker", "materials_supplier", "osat"}
)
"""Roles of a company that makes things; "Nvidia makes the H100" is DESIGNS (the roles
say Nvidia is a chip designer), as the noun-phrase rules read "NVIDIA H100"."""
_TOKEN = re.compile("\ue000([A-Z])(\\d+)\ue001")


@dataclass(frozen=True, slots=True)
class _Trigger:
    rule: Rule
    regex: re.Pattern[str]
    reverse: bool
    subject_mark: re.Pattern[str]
    object_mark: re.Pattern[str]
    genitive: re.Pattern[str]
    oblique: re.Pattern[str]
    supply: bool
    inverted: int


@dataclass(frozen=True, slots=True)
class _Token:
    pos: int
    end: int
    index: int
    kind: str


def _mark_re(marks: str, articles: str) -> re.Pattern[str]:
    """Matches at the end of the text before a token that the preposition ``marks``."""
    filler = r"(?:[^\s\ue000\ue001,;:()]+\s+|\ue000[DXY]\d+\ue001\s+)"
    after = r"(?:\s+|(?<='))"
    return re.compile(rf"(?<!\w)(?:{marks}){after}(?:(?:{articles}){after})*{filler}{{0,2}}$", re.I)


@dataclass(frozen=True, slots=True)
class _Language:
    triggers: tuple[_Trigger, ...]
    breaks: re.Pattern[str]
    stops: re.Pattern[str]
    any: re.Pattern[str]  # one scan: does a view hold a trigger at all?


@cache
def _compiled(lang: str) -> _Language | None:
    data = generic_cues(lang)
    if data is None:
        return None
    out: list[_Trigger] = []
    for predicate, spec in data.triggers.items():
        out += _triggers(lang, data, predicate, spec)
    limits = pattern_file(lang).clause_limits or "(?!)"
    modal = "|".join(f"(?:{b})" for b in cues(lang).clause_breaks) or "(?!)"
    breaks = re.compile(
        rf";|:|\s[–—-]\s|[()]|,\s+(?:{limits})(?!\w)|(?<!\w)(?:{data.breaks})(?!\w)|{modal}", re.I
    )
    stops = re.compile(rf"(?<!\w)(?:{data.stops})(?!\w)", re.I)
    every = "|".join(f"(?:{t.regex.pattern})" for t in out) or "(?!)"
    return _Language(tuple(out), breaks, stops, re.compile(every, re.I))


def _triggers(
    lang: str, data: GenericLanguage, predicate: str, spec: GenericTriggers
) -> Iterator[_Trigger]:
    if predicate not in KINDS:
        raise OntologyError(f"{DATA_DIR}/generic.yaml: {lang}: no generic reading for {predicate}")
    for reverse, pattern in ((False, spec.forward), (True, spec.reverse)):
        if not pattern:
            continue
        s_marks = (spec.reverse_subject_marks if reverse else None) or spec.subject_marks
        o_marks = (spec.reverse_object_marks if reverse else None) or spec.object_marks
        s_marks, o_marks = s_marks or data.subject_marks, o_marks or data.object_marks
        direction = "reverse" if reverse else "forward"
        rule = Rule(
            id=f"{lang}-generic-{predicate.lower()}-{direction}",
            predicate=predicate,
            pattern="",
            confidence=CONFIDENCE,
        )
        yield _Trigger(
            rule,
            re.compile(rf"(?<![\w'])(?:{pattern})(?!\w)", re.I),
            reverse,
            _mark_re(s_marks, data.articles),
            _mark_re(o_marks, data.articles),
            _mark_re(data.genitive, data.articles),
            _mark_re(data.oblique, data.articles),
            predicate == "SUPPLIES",
            data.inverted,
        )


def is_generic(rule_id: str) -> bool:
    """Whether a candidate came from this stage (its rule id says so)."""
    return "-generic-" in rule_id


def generic_candidates(stage: Clauses, covered: list[Candidate]) -> list[Candidate]:
    """Candidates of the generic reading for pairs that ``covered`` does not relate."""
    compiled = _compiled(stage.lang)
    if compiled is None:
        return []
    seen = {_pair(c) for c in covered}
    out: list[Candidate] = []
    for view in stage.views():
        if compiled.any.search(view.text) is None:
            continue
        found = [(t, m) for t in compiled.triggers for m in t.regex.finditer(view.text)]
        if not found:
            continue
        cue_list = view_cues(stage, view)
        tokens = _tokens(stage, view, cue_list)
        if len(tokens) < 2:
            continue
        cuts = [0, *(m.start() for m in compiled.breaks.finditer(view.text)), len(view.text)]
        stops = [m.start() for m in compiled.stops.finditer(view.text)]
        stops += [c.start for c in cue_list.cues if c.kind == "negated"]
        verbs = sorted({m.start() for _, m in found})
        for trigger, m in found:
            lo = max(c for c in cuts if c <= m.start())
            hi = min(c for c in cuts if c >= m.end())
            if any(lo <= at < hi for at in stops):
                continue
            others = [v for v in verbs if v != m.start()]
            for match in _matches(stage, view, trigger, m, tokens, (lo, hi), others):
                made = _by_role(stage, match_candidate(stage, match, cue_list))
                if made is not None and _pair(made) not in seen:
                    seen.add(_pair(made))
                    out.append(made)
    return out


def _by_role(stage: Clauses, made: Candidate | None) -> Candidate | None:
    return by_role(stage.book, made)


def by_role(book: EntityBook, made: Candidate | None) -> Candidate | None:
    """MANUFACTURES by a company whose known roles make nothing is DESIGNS when the
    roles' maker rule says so for that product ("Nvidia makes the H100"), else no claim."""
    if made is None or made.predicate != "MANUFACTURES" or made.subject is None:
        return made
    roles = book.roles(made.subject)
    if not roles or roles & MAKERS:
        return made
    rule = maker_rule(book, made.subject, made.object)
    if rule is None or rule.predicate != "DESIGNS":
        return None
    return replace(made, predicate="DESIGNS", rule=f"{made.rule}-by-role")


def _pair(c: Candidate) -> frozenset[str]:
    subject = c.subject if c.pending is None else f"\0{c.pending}"
    return frozenset((subject or "", c.object))


def _tokens(stage: Clauses, view: View, cue_list: ViewCues) -> list[_Token]:
    """The view's tokens, less sources named in an attribution ("according to Reuters")
    and AI models (trained, not used or supplied)."""
    quoted = [(c.start, c.end) for c in cue_list.cues if c.kind == "attribution"]
    out = []
    for m in _TOKEN.finditer(view.text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        entity = view.tokens[int(m.group(2))].entity
        record = stage.book.get(entity) if entity else None
        kind = m.group(1)
        if record is not None and record.properties.get("category") in NOT_GOODS:
            if not view.tokens[int(m.group(2))].maker:
                continue
            kind = "M"
        out.append(_Token(m.start(), m.end(), int(m.group(2)), kind))
    return out


def _matches(
    stage: Clauses,
    view: View,
    trigger: _Trigger,
    m: re.Match[str],
    tokens: list[_Token],
    clause: tuple[int, int],
    others: list[int],
) -> Iterator[Match]:
    """The match of one trigger occurrence, and the ones coordinated with its ends."""
    lo, hi = clause
    text = view.text
    near = [
        t
        for t in tokens
        if lo <= t.pos
        and t.end <= hi
        and _words(text, *sorted((t.end, m.start()) if t.end <= m.start() else (m.end(), t.pos)))
        <= WINDOW
    ]
    s_kinds, o_kinds = KINDS[trigger.rule.predicate]
    ends = _ends(trigger, text, near, (m.start(), m.end()), (s_kinds, o_kinds), others)
    if ends is None:
        return
    s, first = ends
    objects = [first]
    if trigger.rule.predicate in MANY:
        side = [
            t for t in near if t.kind in o_kinds and (t.pos < m.start()) == (first.pos < m.start())
        ]
        objects += [t for t in side if t is not first and _own(t, m.span(), others)]
    allowed = {"S": frozenset(s_kinds), "O": frozenset(o_kinds)}
    makers = frozenset({"S"}) if s.kind == "M" else frozenset()
    mates = _list_mates(stage.lang, view, tokens, s)
    for o in objects:
        if view.tokens[o.index].entity in mates:
            continue
        slots = {"S": s.index, "O": o.index}
        quantity = _count_before(text, tokens, o)
        if quantity is not None:
            slots["Q"] = quantity
        span = (min(s.pos, o.pos, m.start()), max(s.end, o.end, m.end()))
        gap = _words(text, *span) - 2
        found = Match(trigger.rule, view, slots, span, max(gap, 0), False, makers)
        yield found
        yield from coordinated(found, stage.lang, allowed)


def _own(t: _Token, at: tuple[int, int], others: list[int]) -> bool:
    """Whether no other trigger stands between token ``t`` and the trigger at ``at``."""
    a, b = (t.end, at[0]) if t.end <= at[0] else (at[1], t.pos)
    return not any(a <= v < b for v in others)


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _ends(
    trigger: _Trigger,
    text: str,
    near: list[_Token],
    at: tuple[int, int],
    kinds: tuple[str, str],
    others: list[int],
) -> tuple[_Token, _Token] | None:
    """Subject and object among the tokens near one trigger (see the module docstring).
    An object or a marked doer belongs to another trigger standing between it and this
    one ("uses DUV machines from ASML to make Kirin chips": Kirin is made, not used)."""
    (t0, t1), (s_kinds, o_kinds) = at, kinds

    def own(t: _Token) -> bool:
        return _own(t, at, others)

    def marked(t: _Token, regex: re.Pattern[str]) -> bool:
        return regex.search(text, max(0, t.pos - 80), t.pos) is not None

    def dist(t: _Token) -> int:
        return _words(text, t.end, t0) if t.end <= t0 else _words(text, t1, t.pos)

    subjects = [t for t in near if t.kind in s_kinds and not marked(t, trigger.object_mark)]
    doers = [t for t in subjects if marked(t, trigger.subject_mark) and own(t)]
    owners = [t for t in subjects if t not in doers and marked(t, trigger.genitive)]
    plain = [
        t
        for t in subjects
        if t not in doers
        and t not in owners
        and (t.kind == "R" or not marked(t, trigger.oblique))  # "added X to the Entity List"
    ]
    left = [t for t in plain if t.end <= t0]
    right = [t for t in plain if t.pos >= t1 and (t.kind == "R" or dist(t) <= trigger.inverted)]
    owners = [t for t in owners if t.end <= t0]
    if doers:
        s = min(doers, key=dist)
    elif trigger.reverse:
        return None
    elif left or right or owners:
        s = left[-1] if left else right[0] if right else owners[-1]
    else:
        return None
    objects = [t for t in near if t.kind in o_kinds and t is not s and t not in doers and own(t)]
    receivers = [t for t in objects if trigger.supply and marked(t, trigger.object_mark)]
    if receivers:
        return s, min(receivers, key=dist)
    before = [t for t in objects if t.end <= t0]
    after = [t for t in objects if t.pos >= t1]
    if s.end <= t0 and s not in doers:
        o = after[0] if after else next((t for t in reversed(before) if t.pos > s.pos), None)
    else:
        o = before[-1] if before else (after[0] if after else None)
    return (s, o) if o is not None else None


def _count_before(text: str, tokens: list[_Token], o: _Token) -> int | None:
    """A count token right before the object ("2.000 GPU H800"), at most three words away."""
    before = [t for t in tokens if t.end <= o.pos]
    if not before or before[-1].kind != "Q":
        return None
    q = before[-1]
    return q.index if _words(text, q.end, o.pos) <= 3 else None


@cache
def _list_re(lang: str) -> re.Pattern[str]:
    conj = pattern_file(lang).coordination or "and|or"
    return re.compile(rf"\s*(?:,\s*)?(?:(?:{conj})\s+)?", re.I)


def _list_mates(lang: str, view: View, tokens: list[_Token], s: _Token) -> set[str | None]:
    """Entities listed with the subject ("Applied Materials, Lam Research and KLA", also
    when a possessive names one of them later): members of one list relate to nothing
    among themselves."""
    regex, text = _list_re(lang), view.text
    at = tokens.index(s)
    group = [s]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(tokens):
            a, b = (tokens[i + step], tokens[i]) if step < 0 else (tokens[i], tokens[i + step])
            if regex.fullmatch(text, a.end, b.pos) is None:
                break
            i += step
            group.append(tokens[i])
    return {view.tokens[t.index].entity for t in group}
