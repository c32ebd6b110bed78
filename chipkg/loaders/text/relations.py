"""Relations in one sentence: noun-phrase rules, regulation phrases, then clause rules.

1. Noun-phrase rules (``stage: np``) read what a phrase presupposes: "NVIDIA H800",
   "Huawei's Ascend", "i chip Ascend di Huawei" (the maker, chosen by the company's
   roles: a chip designer DESIGNS, a foundry MANUFACTURES...), "the Chinese chip
   designer Sophgo", "Taiwan's TSMC" (LOCATED_IN), "Huawei's HiSilicon division"
   (SUBSIDIARY_OF). A maker is then folded into the product token, so "10.000 GPU NVIDIA
   H800" reads "<count> GPU <product>" for the clause rules. Presupposed facts are
   asserted whatever the sentence's hedges.
2. Regulation phrases become R tokens (see ``regulations.py``).
3. Clause rules run on the main view and on each parenthetical view; each match gets its
   modality from the cues around it (``modality.py``), its count, purpose, status and
   dates from the words it spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chipkg.loaders.text.entities import EntityBook
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
from chipkg.loaders.text.patterns import (
    GAP_PENALTY,
    Compiled,
    Match,
    applicable,
    compiled_rules,
    coordinated,
    labels_ok,
    matches,
    slot_kinds,
    token_pos,
)
from chipkg.loaders.text.quantities import Quantity
from chipkg.loaders.text.regulations import (
    RegulationInfo,
    find_regulations,
    merge_tokens,
    regulation_id,
)
from chipkg.loaders.text.resources import MakerRule, dates, pattern_file, roles
from chipkg.loaders.text.sentences import Sentence
from chipkg.loaders.text.triggers import view_words
from chipkg.loaders.text.views import View, build_view, clause_views
from chipkg.ontology import ONTOLOGY

Ref = Mention | str
COORDINATION_FACTOR = 0.9
NP_FACTOR = 1.0
REGULATION_MEMORY = 5
ENTITY_KINDS = frozenset("CPTKGRNFOD")
_REG_PREDICATES = frozenset(["TARGETS", "RESTRICTS", "ISSUED_BY"])
_CLAUSE_END = re.compile(r"[;]|,\s+(?:but|while|ma|mentre|aber|während|mais)\b", re.I)


@dataclass
class Fact:
    """A claim found in a sentence, before it becomes a record."""

    predicate: str
    subject: Ref
    object: Ref
    sentence: Sentence
    rule: str
    confidence: float
    modality: str = "asserted"
    attributed_to: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    valid_from: str | None = None
    valid_to: str | None = None
    subject_maker: bool = False
    object_maker: bool = False
    rule_ended: bool = False


@dataclass
class Context:
    """What sentence processing shares across a document."""

    lang: str
    text: str
    book: EntityBook
    frame: Frame | None = None
    last_regulation: tuple[int, str] | None = None


def ref_id(ref: Ref, maker: bool = False) -> str | None:
    """The entity id a fact end points to."""
    if isinstance(ref, str):
        return ref
    return ref.maker if maker else ref.entity


@cache
def _extras(
    lang: str,
) -> tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]], re.Pattern[str]]:
    pfile = pattern_file(lang)
    purposes = {k: re.compile(v, re.I) for k, v in pfile.purposes.items()}
    status = {k: re.compile(v, re.I) for k, v in pfile.status.items()}
    d = dates()

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"

    on, articles = d.dated_by.get(lang, "(?!)"), d.articles.get(lang, "(?!)")
    when = re.compile(
        rf"(?<!\w)(?:(?P<since>{alt(d.since.get(lang, []))})|(?P<until>{alt(d.until.get(lang, []))})"
        rf"|(?P<after>{alt(d.after.get(lang, []))})|(?P<on>{on}))\s+"
        rf"(?:(?:{articles})\s*)?\ue000Y(?P<y>\d+)\ue001",
        re.I,
    )
    return purposes, status, when


class SentenceRelations:
    """Runs the three stages on one sentence."""

    def __init__(self, ctx: Context, sentence: Sentence, mentions: list[Mention]) -> None:
        self.ctx = ctx
        self.sentence = sentence
        self.tokens = sorted(mentions, key=lambda m: m.start)
        self.facts: list[Fact] = []
        self.new_regulations: list[Mention] = []
        self._view: View | None = None
        self.words: frozenset[str] = frozenset()

    def view(self) -> View:
        """The full view of the sentence with its current tokens (rebuilt after changes)."""
        if self._view is None or self._view.tokens is not self.tokens:
            self._view = build_view(
                self.ctx.text, self.sentence.start, self.sentence.end, self.tokens
            )
        return self._view

    def run(self) -> list[Fact]:
        """All facts of the sentence (nothing to do without two things to relate)."""
        entities = sum(1 for m in self.tokens if m.kind in ENTITY_KINDS)
        if entities == 0 or (entities == 1 and not self._may_name_a_measure()):
            return []
        np_rules, clause_rules = compiled_rules(self.ctx.lang)
        self.words = view_words(self.ctx.text[self.sentence.start : self.sentence.end])
        if entities >= 2:
            view = self.view()
            for rule in applicable(np_rules, view.letters(), self.words):
                self._np_rule(rule)
        self._regulations()
        if sum(1 for m in self.tokens if m.kind in ENTITY_KINDS) >= 2:
            full = self.view()
            for view in clause_views(full, self.ctx.lang):
                self._clause(view, clause_rules)
        self._described_places()
        self._finish_regulations()
        return _dedupe(self.facts)

    def _may_name_a_measure(self) -> bool:
        """One issuer token can still make a regulation ("US sanctions") or a back-reference."""
        return (
            any(m.kind in "KDGR" or m.country for m in self.tokens)
            or self.ctx.last_regulation is not None
        )

    # -- stage 1 ---------------------------------------------------------------------

    def _np_rule(self, compiled: Compiled) -> None:
        view = self.view()
        direct = list(matches(compiled, view))
        if not direct:
            return
        allowed = slot_kinds(compiled)
        claimed = {m.slots.get("O") for m in direct}
        extra = []
        for found in direct:
            for co in coordinated(found, self.ctx.lang, allowed):
                if not compiled.rule.by_role or (
                    co.slots.get("O") not in claimed and _same_category(found, co, self.ctx.book)
                ):
                    extra.append(co)
        merges: list[tuple[int, int]] = []
        extra = [co for co in extra if not self._contradicts_reference(co)]
        for found in direct + extra:
            if self._np_fact(found) and compiled.rule.absorb and not found.coordinated:
                merges.append((found.slots["S"], found.slots["O"]))
            elif found.coordinated and compiled.rule.absorb:
                subject = view.tokens[found.slots["S"]]
                view.tokens[found.slots["O"]].maker = subject.entity
        if merges:
            self._absorb(merges)

    def _contradicts_reference(self, found: Match) -> bool:
        """A coordinated company placed where the reference data says it is not."""
        if found.rule.predicate != "LOCATED_IN":
            return False
        company = found.view.tokens[found.slots["S"]].entity
        country = found.view.tokens[found.slots["O"]].entity
        known = self.ctx.book.country_of(company) if company else None
        return known is not None and known != country

    def _np_fact(self, found: Match) -> bool:
        tokens = found.view.tokens
        rule = found.rule
        s, o = tokens[found.slots["S"]], tokens[found.slots["O"]]
        if s.entity is None or o.entity is None:
            return False
        predicate, confidence = rule.predicate, rule.confidence
        if rule.by_role:
            chosen = self._maker_rule(s.entity, o)
            if chosen is None:
                return False
            predicate, confidence = chosen.predicate, chosen.confidence
        if not self._labels_ok(predicate, s.entity, o.entity):
            return False
        factor = min(s.factor, o.factor) * (COORDINATION_FACTOR if found.coordinated else 1.0)
        self.facts.append(
            Fact(
                predicate,
                s,
                o,
                self.sentence,
                rule.id,
                round(confidence * factor, 2),
                properties=dict(rule.properties),
            )
        )
        return True

    def _maker_rule(self, company: str, target: Mention) -> MakerRule | None:
        book = self.ctx.book
        company_roles = book.roles(company)
        label = book.label(target.entity or "") or ""
        category = book.category(target.entity or "")
        for rule in roles().maker_rules:
            if not company_roles & set(rule.roles) or rule.label != label:
                continue
            if rule.categories and category not in rule.categories:
                continue
            if category in rule.exclude_categories:
                continue
            if label == "Technology":
                self._specific_node(company, target)
            return rule
        return None

    def _specific_node(self, company: str, target: Mention) -> None:
        """ "SMIC's 7nm process" is SMIC's own 7nm node when the reference data has it."""
        entity = self.ctx.book.get(company)
        node = self.ctx.book.get(target.entity or "")
        if entity is None or node is None:
            return
        size = node.properties.get("node_nm")
        for name in (f"{entity.name} {size}nm", f"{entity.name} N{size}"):
            found = self.ctx.book.resolver.resolve(name, "Technology")
            if found is not None:
                self.ctx.book.get(found.id)
                target.entity = found.id
                return

    def _absorb(self, merges: list[tuple[int, int]]) -> None:
        drop: set[int] = set()
        for s_index, o_index in merges:
            lo, hi = min(s_index, o_index), max(s_index, o_index)
            target = self.tokens[o_index]
            absorbed = [self.tokens[i] for i in range(lo, hi + 1) if i != o_index]
            target.absorbed += absorbed
            target.maker = self.tokens[s_index].entity
            target.start = min(target.start, self.tokens[lo].start)
            target.end = max(target.end, self.tokens[hi].end)
            drop |= {i for i in range(lo, hi + 1) if i != o_index}
        self.tokens = [m for i, m in enumerate(self.tokens) if i not in drop]

    def _labels_ok(self, predicate: str, subject: str, obj: str) -> bool:
        s_label, o_label = self.ctx.book.label(subject), self.ctx.book.label(obj)
        if s_label is None or o_label is None or subject == obj:
            return False
        return labels_ok(predicate, s_label, o_label)

    # -- stage 2 ---------------------------------------------------------------------

    def _regulations(self) -> None:
        view = self.view()
        for m in self.tokens:
            if m.kind == "R" and m.entity:
                self.ctx.last_regulation = (self.sentence.index, m.entity)
        found = find_regulations(view, self.ctx.lang, self.words)
        if not found:
            return
        replaced: dict[int, Mention] = {}
        covered: set[int] = set()
        for item in found:
            merged = merge_tokens(self.tokens, item, view)
            info: RegulationInfo = merged.value
            if not (info.issuer or info.head.issuer):
                last = self.ctx.last_regulation
                if last is None or self.sentence.index - last[0] > REGULATION_MEMORY:
                    continue
                merged.entity = last[1]
            else:
                self.new_regulations.append(merged)
            if item.covered:
                replaced[item.covered[0]] = merged
                covered |= set(item.covered)
            else:
                replaced[-1 - len(replaced)] = merged
        kept = [m for i, m in enumerate(self.tokens) if i not in covered]
        kept += [m for i, m in replaced.items()]
        self.tokens = sorted(kept, key=lambda m: m.start)

    # -- stage 3 ---------------------------------------------------------------------

    def _clause(self, view: View, rules: tuple[Compiled, ...]) -> None:
        cues: ViewCues | None = None
        for compiled in applicable(rules, view.letters(), self.words):
            found = list(matches(compiled, view))
            if not found:
                continue
            if cues is None:
                cues = self._cues(view)
            allowed = slot_kinds(compiled)
            for item in found:
                self._clause_fact(item, cues)
                for co in coordinated(item, self.ctx.lang, allowed):
                    self._clause_fact(co, cues)

    def _cues(self, view: View) -> ViewCues:
        """Cues of a view; a parenthetical also hears the sentence's attribution."""
        cues = find_cues(view.text, self.ctx.lang, self._name_of(view))
        if view.kind == "paren":
            full = self.view()
            outer = find_cues(full.text, self.ctx.lang, self._name_of(full))
            cues.cues += [
                Cue(0, 0, "attribution", c.source) for c in outer.cues if c.kind == "attribution"
            ]
        return cues

    def _name_of(self, view: View) -> Any:
        def name_of(index: int) -> str | None:
            entity_id = view.tokens[index].entity
            entity = self.ctx.book.get(entity_id) if entity_id else None
            return entity.name if entity else None

        return name_of

    def _clause_fact(self, found: Match, cues: ViewCues) -> None:
        rule, tokens = found.rule, found.view.tokens
        if "S" not in found.slots or "O" not in found.slots:
            return
        s, o = tokens[found.slots["S"]], tokens[found.slots["O"]]
        s_maker, o_maker = "S" in found.maker_slots, "O" in found.maker_slots
        subject, obj = ref_id(s, s_maker), ref_id(o, o_maker)
        pending = s.kind == "R" and s.entity is None and s in self.new_regulations
        if subject is None and not pending:
            return
        o_ref: Ref = o
        if o.kind == "T" and subject and rule.predicate in ("MANUFACTURES", "USES"):
            self._specific_node(subject, o)
            obj = o.entity
        if o.kind == "O":
            if subject is None:
                return
            obj = o_ref = self._own_product(subject, bool(o.value))
        if obj is None or subject == obj:
            return
        book = self.ctx.book
        s_label = "Regulation" if pending else book.label(subject or "")
        o_label = book.label(obj)
        if s_label is None or o_label is None or not labels_ok(rule.predicate, s_label, o_label):
            return
        self._emit(found, cues, s, o_ref, s_maker, o_maker)

    def _own_product(self, company: str, ai: bool) -> str:
        entity = self.ctx.book.get(company)
        name = f"{entity.name if entity else company} {'AI chip' if ai else 'chip'}"
        category = "ai_accelerator" if ai else "chip"
        return self.ctx.book.ensure("Product", name, {"category": category})

    def _emit(
        self, found: Match, cues: ViewCues, s: Mention, o: Ref, s_maker: bool, o_maker: bool
    ) -> None:
        rule = found.rule
        props = dict(rule.properties)
        span = self._span(found)
        absorbed = self._details(found, span, props)
        decision = decide(cues, span, self.ctx.frame, rule.ended, absorbed)
        modality = decision.modality
        if rule.modality and FACTOR[rule.modality] < FACTOR[modality] and modality != "negated":
            modality = rule.modality
        valid_from, valid_to = self._validity(found, props, rule.predicate)
        if rule.ended:
            if valid_to is None and valid_from is not None:
                valid_to, valid_from = valid_from, None
            if valid_to is None and modality not in ("speculative",):
                modality = "negated"
        confidence = rule.confidence - GAP_PENALTY * max(0, found.gap_words - 2)
        confidence *= FACTOR[modality] * min(s.factor, o.factor if isinstance(o, Mention) else 1)
        if found.coordinated:
            confidence *= COORDINATION_FACTOR
        if decision.from_frame:
            confidence *= FRAME_FACTOR
        self.facts.append(
            Fact(
                rule.predicate,
                s,
                o,
                self.sentence,
                rule.id,
                round(max(0.05, min(confidence, 0.99)), 2),
                modality,
                decision.attributed_to,
                props,
                valid_from,
                valid_to,
                s_maker,
                o_maker,
                rule.ended,
            )
        )

    def _span(self, found: Match) -> tuple[int, int]:
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
        self, found: Match, span: tuple[int, int], props: dict[str, Any]
    ) -> tuple[tuple[int, int], ...]:
        """Count, item, purpose and status from the words of the match."""
        rule, tokens, text = found.rule, found.view.tokens, found.view.text
        spec = ONTOLOGY.relationship(rule.predicate).properties
        absorbed: list[tuple[int, int]] = []
        if "Q" in found.slots and "quantity" in spec:
            quantity: Quantity = tokens[found.slots["Q"]].value
            props["quantity"] = quantity.number
            if "approximate" in spec and quantity.approximate:
                props["approximate"] = True
        if "X" in found.slots and "item" in spec:
            item = tokens[found.slots["X"]]
            if item.entity:
                props["item"] = item.entity
        purposes, status, _ = _extras(self.ctx.lang)
        end = self._clause_end(found, span[1])
        if "purpose" in spec:
            for name, regex in purposes.items():
                if regex.search(text, found.span[0], end):
                    props.setdefault("purpose", name)
                    break
        if "status" in spec:
            start = self._clause_start(found, span[0])
            for name, regex in status.items():
                m = regex.search(text, start, span[1])
                if m:
                    props.setdefault("status", name)
                    absorbed.append((m.start(), m.end()))
                    break
        return tuple(absorbed)

    def _clause_end(self, found: Match, pos: int) -> int:
        m = _CLAUSE_END.search(found.view.text, pos)
        return m.start() if m else len(found.view.text)

    def _clause_start(self, found: Match, pos: int) -> int:
        head = found.view.text[:pos]
        cut = max(head.rfind(";"), head.rfind(", ma "), head.rfind(", but "))
        return cut + 1 if cut >= 0 else 0

    def _validity(
        self, found: Match, props: dict[str, Any], predicate: str
    ) -> tuple[str | None, str | None]:
        _, _, when = _extras(self.ctx.lang)
        text, tokens = found.view.text, found.view.tokens
        valid_from = valid_to = None
        end = self._clause_end(found, found.span[1])
        for m in when.finditer(text, found.span[0], end):
            date = tokens[int(m.group("y"))].value
            if not isinstance(date, str):
                continue
            if m.group("until") or (found.rule.ended and (m.group("after") or m.group("on"))):
                valid_to = valid_to or date
            elif (
                m.group("since")
                or m.group("after")
                or (m.group("on") and predicate in _REG_PREDICATES)
            ):
                valid_from = valid_from or date
        return valid_from, valid_to

    # -- descriptions, regulations ------------------------------------------------------

    def _described_places(self) -> None:
        """ "the Chinese company" places the company it refers to in China."""
        for m in self.tokens:
            country = m.country if m.kind == "C" and m.via == "description" else None
            if country and m.entity and self._labels_ok("LOCATED_IN", m.entity, country):
                self.facts.append(
                    Fact(
                        "LOCATED_IN",
                        m,
                        country,
                        self.sentence,
                        "description-demonym",
                        round(0.7 * m.factor, 2),
                    )
                )

    def _finish_regulations(self) -> None:
        book = self.ctx.book
        for reg in self.new_regulations:
            info: RegulationInfo = reg.value
            if info.date is None:
                info.date = self._single_date()
            targets = [
                ref_id(f.object) or ""
                for f in self.facts
                if f.subject is reg
                and f.predicate == "TARGETS"
                and isinstance(f.object, Mention)
                and f.object.kind == "C"
            ]
            made = regulation_id(info, targets, book)
            if made is None:
                continue
            reg_id, props, name = made
            reg.entity = book.ensure("Regulation", name, props, reg_id)
            issuer = info.issuer or info.head.issuer
            if issuer and self._labels_ok("ISSUED_BY", reg.entity, issuer):
                self.facts.append(
                    Fact(
                        "ISSUED_BY",
                        reg,
                        issuer,
                        self.sentence,
                        "regulation-issuer",
                        0.8 if info.issuer else 0.6,
                        valid_from=info.date,
                    )
                )
            self.ctx.last_regulation = (self.sentence.index, reg.entity)
        for f in self.facts:
            subject = f.subject if isinstance(f.subject, Mention) else None
            value = subject.value if subject is not None and subject.kind == "R" else None
            if isinstance(value, RegulationInfo) and f.predicate in _REG_PREDICATES:
                f.valid_from = f.valid_from or value.date
        self.facts = [
            f
            for f in self.facts
            if ref_id(f.subject, f.subject_maker) and ref_id(f.object, f.object_maker)
        ]

    def _single_date(self) -> str | None:
        found = [m.value for m in self.tokens if m.kind == "Y" and isinstance(m.value, str)]
        for m in self.tokens:
            found += [a.value for a in m.absorbed if a.kind == "Y" and isinstance(a.value, str)]
        return found[0] if len(set(found)) == 1 and len(found[0]) > 4 else None


def _same_category(first: Match, other: Match, book: EntityBook) -> bool:
    a = first.view.tokens[first.slots["O"]].entity
    b = other.view.tokens[other.slots["O"]].entity
    return bool(a and b and book.category(a) == book.category(b))


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per claim and modality; a rule that reads an end ("will not ship after")
    overrides plain readings of the same pair in the sentence."""
    ended = {
        (f.predicate, ref_id(f.subject, f.subject_maker), ref_id(f.object, f.object_maker))
        for f in facts
        if f.rule_ended
    }
    best: dict[tuple[Any, ...], Fact] = {}
    for f in facts:
        pair = (f.predicate, ref_id(f.subject, f.subject_maker), ref_id(f.object, f.object_maker))
        if pair in ended and not f.rule_ended:
            continue
        key = (
            f.predicate,
            ref_id(f.subject, f.subject_maker),
            ref_id(f.object, f.object_maker),
            tuple(sorted(f.properties.items())),
            f.modality,
        )
        if key not in best or best[key].confidence < f.confidence:
            best[key] = f
    return list(best.values())
