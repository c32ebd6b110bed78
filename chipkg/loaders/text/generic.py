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
from dataclasses import dataclass
from functools import cache

from chipkg.loaders.text.clauses import Clauses, match_candidate, view_cues
from chipkg.loaders.text.facts import Candidate
from chipkg.loaders.text.modality import ViewCues
from chipkg.loaders.text.patterns import Match, coordinated
from chipkg.loaders.text.resources import (
    GenericLanguage,
    GenericTriggers,
    Rule,
    cues,
    generic_cues,
    pattern_file,
)
from chipkg.loaders.text.views import View, clause_views

KINDS: dict[str, tuple[str, str]] = {
    "SUPPLIES": ("CW", "C"),
    "MANUFACTURES": ("CW", "PT"),
    "USES": ("CW", "PT"),
    "RESTRICTS": ("R", "PT"),
    "TARGETS": ("R", "C"),
}
"""Subject and object token kinds per predicate (W: a possessive standing for a company)."""

CONFIDENCE = 0.55
WINDOW = 8
INVERTED = 2  # words between a trigger and a subject after it (verb-second order)
NOT_GOODS = frozenset({"ai_model"})  # trained, not used, made or supplied as goods
_TOKEN = re.compile("\ue000([A-Z])(\\d+)\ue001")


@dataclass(frozen=True, slots=True)
class _Trigger:
    rule: Rule
    regex: re.Pattern[str]
    reverse: bool
    subject_mark: re.Pattern[str]
    object_mark: re.Pattern[str]
    genitive: re.Pattern[str]
    supply: bool


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
    return _Language(tuple(out), breaks, re.compile(rf"(?<!\w)(?:{data.stops})(?!\w)", re.I))


def _triggers(
    lang: str, data: GenericLanguage, predicate: str, spec: GenericTriggers
) -> Iterator[_Trigger]:
    if predicate not in KINDS:
        raise ValueError(f"generic.yaml: {lang}: no generic reading for {predicate}")
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
            predicate == "SUPPLIES",
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
    for view in clause_views(stage.full, stage.lang):
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
        for trigger, m in found:
            lo = max(c for c in cuts if c <= m.start())
            hi = min(c for c in cuts if c >= m.end())
            if any(lo <= at < hi for at in stops):
                continue
            for match in _matches(stage, view, trigger, m, tokens, (lo, hi)):
                made = match_candidate(stage, match, cue_list)
                if made is not None and _pair(made) not in seen:
                    seen.add(_pair(made))
                    out.append(made)
    return out


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
        if record is not None and record.properties.get("category") in NOT_GOODS:
            continue
        out.append(_Token(m.start(), m.end(), int(m.group(2)), m.group(1)))
    return out


def _matches(
    stage: Clauses,
    view: View,
    trigger: _Trigger,
    m: re.Match[str],
    tokens: list[_Token],
    clause: tuple[int, int],
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
    ends = _ends(trigger, text, near, m.start(), m.end(), s_kinds, o_kinds)
    if ends is None:
        return
    s, o = ends
    if _listed_together(stage.lang, text, s, o):
        return
    slots = {"S": s.index, "O": o.index}
    quantity = _count_before(text, tokens, o)
    if quantity is not None:
        slots["Q"] = quantity
    span = (min(s.pos, o.pos, m.start()), max(s.end, o.end, m.end()))
    gap = _words(text, *span) - 2
    found = Match(trigger.rule, view, slots, span, max(gap, 0))
    yield found
    allowed = {"S": frozenset(s_kinds), "O": frozenset(o_kinds)}
    yield from coordinated(found, stage.lang, allowed)


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _ends(
    trigger: _Trigger,
    text: str,
    near: list[_Token],
    t0: int,
    t1: int,
    s_kinds: str,
    o_kinds: str,
) -> tuple[_Token, _Token] | None:
    """Subject and object among the tokens near one trigger (see the module docstring)."""

    def marked(t: _Token, regex: re.Pattern[str]) -> bool:
        return regex.search(text, max(0, t.pos - 80), t.pos) is not None

    def dist(t: _Token) -> int:
        return _words(text, t.end, t0) if t.end <= t0 else _words(text, t1, t.pos)

    subjects = [t for t in near if t.kind in s_kinds and not marked(t, trigger.object_mark)]
    doers = [t for t in subjects if marked(t, trigger.subject_mark)]
    plain = [t for t in subjects if t not in doers and not marked(t, trigger.genitive)]
    left = [t for t in plain if t.end <= t0]
    right = [t for t in plain if t.pos >= t1 and dist(t) <= INVERTED]
    if doers:
        s = min(doers, key=dist)
    elif trigger.reverse:
        return None
    elif left or right:
        s = left[-1] if left else right[0]
    else:
        return None
    objects = [t for t in near if t.kind in o_kinds and t is not s and t not in doers]
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


def _listed_together(lang: str, text: str, s: _Token, o: _Token) -> bool:
    """ "Applied Materials, Lam Research and KLA": members of one list relate to nothing
    among themselves."""
    a, b = (s, o) if s.pos < o.pos else (o, s)
    return _list_re(lang).fullmatch(text, a.end, b.pos) is not None
