"""Relation patterns: a small language over token views, compiled to regular expressions.

A pattern such as ``{S:C} ~ (?:owns?|possess\\w*) ~ {Q} ~ {O:P}`` reads: a company token
(the subject), up to three words, the verb, up to three words, an optional count, up to
three words, a product token (the object). Elements are separated by spaces:

* ``{S:C|K}`` a slot: role letter (S subject, O object, X supplied item, I issuer) and the
  token kinds allowed (see ``mentions.py``); ``{S:T@}`` means "the maker folded into a T".
* ``{Q}`` / ``{Y}`` an optional count / date token; ``{Q!}`` / ``{Y!}`` a required one.
* ``~``, ``~~``, ``~~~`` gaps of up to 3, 7 or 14 words that never cross an entity token
  (dates, adjectives of nationality, possessives and quoted modifiers excepted) nor a
  clause-breaking word of the language; only ``~~~`` crosses commas.
* anything else is a case-insensitive regular expression on whole words, where a space
  means any whitespace and ``<name>`` is a macro of the language file.

Words in gaps lower the confidence of what is found (``GAP_PENALTY`` per word beyond 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from chipkg.errors import OntologyError
from chipkg.loaders.text.mentions import demonym_alternation, role_alternation
from chipkg.loaders.text.prefilter import guarded
from chipkg.loaders.text.resources import PatternFile, Rule, pattern_file, roles, stopwords
from chipkg.loaders.text.triggers import first_words
from chipkg.loaders.text.views import View
from chipkg.ontology import ONTOLOGY

GAP_PENALTY = 0.015
_GAPS = {"~": 3, "~~": 8, "~~~": 15, "~*": 10}
_SLOT_RE = re.compile(r"(\{[A-Z](?::[A-Z|]+@?)?!?\}\??|(?<!\S)~(?:~{0,2}|\*)(?!\S))")
_TRANSPARENT = "\ue000[XYDW]\\d+\ue001"
_SLOT_TOKEN = "\ue000(?P<{name}>[{letters}]\\d+)\ue001"


@dataclass(frozen=True)
class Compiled:
    """A rule with its regex, the token kinds it needs and its optional continuation."""

    rule: Rule
    regex: re.Pattern[str]
    needs: tuple[frozenset[str], ...]
    maker_slots: frozenset[str]
    continues: re.Pattern[str] | None
    slots: tuple[str, ...]
    words: frozenset[str] | None = None


@dataclass
class Match:
    """One match of a rule in a view: token indices per slot, span and words in gaps."""

    rule: Rule
    view: View
    slots: dict[str, int]
    span: tuple[int, int]
    gap_words: int
    coordinated: bool = False
    maker_slots: frozenset[str] = field(default_factory=frozenset)


def _macros(lang: str, pfile: PatternFile) -> dict[str, str]:
    macros = dict(pfile.macros)
    macros.setdefault("role", role_alternation(lang) or "(?!)")
    macros.setdefault("demonym", demonym_alternation(lang) or "(?!)")
    poss = roles().possessives.get(lang, [])
    macros.setdefault("poss", "|".join(re.escape(w) for w in poss) or "(?!)")
    macros.setdefault("x", "\ue000X\\d+\ue001")
    macros.setdefault("conj", pfile.coordination)
    if "recipient" not in macros:  # the language's own, for the shared rules of any.yaml
        macros["recipient"] = _own_macros(lang).get("recipient", "(?!)")
    return macros


def _own_macros(lang: str) -> dict[str, str]:
    try:
        return dict(pattern_file(lang).macros)
    except OntologyError:
        return {}


def trigger_words(pattern: str, macros: dict[str, str]) -> frozenset[str] | None:
    """Words one of which every match of the pattern contains (None: no such set known).

    Each literal element of the pattern (split at top-level spaces) that cannot be empty
    gives the set of words it can start with (see ``triggers.py``); the rarest such set
    is kept, so a view containing none of its words is skipped without running the pattern.
    """
    parts = _SLOT_RE.split(pattern)
    best: tuple[int, frozenset[str]] | None = None
    common = frozenset().union(*stopwords().values())
    for i in range(0, len(parts), 2):
        if "~" in parts[i]:
            continue
        for element in _top_level(_expand(parts[i], macros)):
            try:
                if re.fullmatch(element, "", re.I) is not None:
                    continue  # optional: says nothing about the text
            except re.error:
                continue  # a fragment of a group that spans a slot
            words = first_words(element)
            if words is None:
                continue
            cost = len(words) + 100 * len(words & common)
            if best is None or cost < best[0]:
                best = (cost, words)
    return best[1] if best else None


def _expand(raw: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        raw = raw.replace(f"<{name}>", f"(?:{value})")
    return raw


def _top_level(raw: str) -> list[str]:
    """``raw`` cut at spaces outside parentheses and character classes."""
    out, depth, start, in_class, escaped = [], 0, 0, False, False
    for i, ch in enumerate(raw):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == " " and depth == 0:
            out.append(raw[start:i])
            start = i + 1
    out.append(raw[start:])
    return [e.strip() for e in out if e.strip()]


def compile_pattern(
    pattern: str, lang: str, breakers: str, macros: dict[str, str], tails: bool = False
) -> tuple[str, list[frozenset[str]], set[str], list[str]]:
    """The regex of a pattern, the kinds each required slot allows, maker slots, slot names.

    With ``tails``, each entity slot may be followed by tokens coordinated with it
    ("added Sophgo and Biren to the Entity List"), captured as group ``c<slot>``."""
    parts = _SLOT_RE.split(pattern)
    out: list[str] = []
    needs: list[frozenset[str]] = []
    makers: set[str] = set()
    slots: list[str] = []
    gap_no = 0
    for i, part in enumerate(parts):
        if i % 2 == 1:
            if part.startswith("~"):
                out.append(_gap(part, gap_no, breakers, macros.get("conj", "")))
                gap_no += 1
            else:
                out.append(_slot(part, needs, makers, slots))
                if tails:
                    out.append(_tail(part, macros.get("conj", "")))
            continue
        if "~" in part:
            raise re.error(f"'~' must stand alone between spaces: {part.strip()!r}")
        out.append(_raw(part, macros, first=i == 0, last=i == len(parts) - 1))
    return "".join(out), needs, makers, slots


def _gap(kind: str, number: int, breakers: str, conjunctions: str = "") -> str:
    if kind == "~*":
        word = r"(?:[^\s\ue000\ue001,;:()]++|\ue000[A-Z]\d+\ue001)"
    elif kind == "~~~":
        word = rf"(?:[^\s\ue000\ue001;:()]++|{_TRANSPARENT})"
    else:
        word = rf"(?:[^\s\ue000\ue001,;:()]++|{_TRANSPARENT})"
    guard = f"(?!(?:{breakers})(?![\\w']))" if breakers and kind != "~*" else ""
    conj = f"(?:(?:{conjunctions})\\s+)?" if conjunctions and kind in ("~", "~~") else ""
    return f"(?P<g{number}>(?:{guard}{word}\\s*){{0,{_GAPS[kind]}}}?{conj})"


def _tail(part: str, conjunctions: str) -> str:
    """Tokens of the slot's kinds coordinated right after it: ", B", " and C"."""
    name, _, letters = part.strip("{}?!").partition(":")
    if name in ("Q", "Y") or not letters or not conjunctions:
        return ""
    token = f"\ue000[{letters.rstrip('@').replace('|', '')}]\\d+\ue001"
    # A list ends with a conjunction ("Reuters, ByteDance bought" is no list) and a lone
    # ", and" starts a clause ("Tencent, and the company uses"), as in coordinated().
    lead = f"(?:(?:\\s*,\\s*{token})+\\s*,?\\s*|\\s+)"
    return f"(?P<c{name}>{lead}(?:{conjunctions})\\s+{token})?"


def _slot(part: str, needs: list[frozenset[str]], makers: set[str], slots: list[str]) -> str:
    optional = part.endswith("?")
    body = part.rstrip("?")[1:-1]
    required = body.endswith("!")
    body = body.rstrip("!")
    name, _, letters = body.partition(":")
    if name in ("Q", "Y"):
        letters = name
    if letters.endswith("@"):
        letters = letters[:-1]
        makers.add(name)
    kinds = letters.replace("|", "")
    regex = _SLOT_TOKEN.format(name=name, letters=kinds)
    slots.append(name)
    if (name in ("Q", "Y") and not required) or optional:
        return f"(?:{regex})?"
    needs.append(frozenset(kinds))
    return regex


def _raw(part: str, macros: dict[str, str], first: bool, last: bool) -> str:
    core = part.strip()
    if not core:
        return r"\s*" if part else ""
    for name, value in macros.items():
        core = core.replace(f"<{name}>", f"(?:{value})")
    core = core.replace(" ?", r"\s*")
    core = re.sub(r"(?<!\\) ", r"\\s+", core)
    left = r"\s*(?<!\w)" if part[:1].isspace() or first else ""
    right = r"(?:(?<=\s)|(?!\w))\s*" if part[-1:].isspace() or last else ""
    return f"{left}(?:{core}){right}"


@cache
def compiled_rules(lang: str) -> tuple[tuple[Compiled, ...], tuple[Compiled, ...]]:
    """The noun-phrase rules and the clause rules for ``lang`` (language-neutral ones first)."""
    np_rules: list[Compiled] = []
    clause: list[Compiled] = []
    for source in ("any", lang):
        try:
            pfile = pattern_file(source)
        except OntologyError:
            if source == "any":
                raise
            continue
        breakers = "|".join(pfile.breakers)
        macros = _macros(lang, pfile)
        for rule in pfile.rules:
            compiled = _compile_rule(rule, lang, breakers, macros, source)
            (np_rules if rule.stage == "np" else clause).append(compiled)
    return tuple(np_rules), tuple(clause)


def _compile_rule(
    rule: Rule, lang: str, breakers: str, macros: dict[str, str], source: str
) -> Compiled:
    where = f"patterns/{source}.yaml rule {rule.id}"
    if rule.predicate != "BY_ROLE":
        ONTOLOGY.relationship(rule.predicate)
    try:
        tails = rule.coordinate and rule.stage != "np"
        regex, needs, makers, slots = compile_pattern(rule.pattern, lang, breakers, macros, tails)
        cont = None
        if rule.continues:
            cont_regex, _, _, _ = compile_pattern(rule.continues, lang, breakers, macros)
            cont = guarded(cont_regex, re.I)
        return Compiled(
            rule,
            guarded(regex, re.I),
            tuple(needs),
            frozenset(makers),
            cont,
            tuple(slots),
            trigger_words(rule.pattern, macros),
        )
    except re.error as exc:
        raise OntologyError(f"{where}: bad pattern: {exc}") from exc


def applicable(
    rules: tuple[Compiled, ...], letters: frozenset[str], words: frozenset[str]
) -> list[Compiled]:
    """The rules whose trigger words occur in ``words`` and whose token kinds all occur."""
    always, by_word = _word_index(rules)
    present = frozenset(words & by_word.keys())
    key = (id(rules), letters, present)
    cached = _APPLICABLE.get(key)
    if cached is not None:
        return cached
    chosen = set(always)
    for word in present:
        chosen.update(by_word[word])
    out = []
    for i in sorted(chosen):
        rule = rules[i]
        if all(need & letters for need in rule.needs):
            out.append(rule)
    if len(_APPLICABLE) > 20000:
        _APPLICABLE.clear()
    _APPLICABLE[key] = out
    return out


_APPLICABLE: dict[tuple[int, frozenset[str], frozenset[str]], list[Compiled]] = {}


_INDEXES: dict[int, tuple[tuple[int, ...], dict[str, tuple[int, ...]]]] = {}


def _word_index(
    rules: tuple[Compiled, ...],
) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    found = _INDEXES.get(id(rules))
    if found is None:
        always = tuple(i for i, r in enumerate(rules) if r.words is None)
        by_word: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            for word in rule.words or ():
                by_word.setdefault(word, []).append(i)
        found = _INDEXES[id(rules)] = (always, {k: tuple(v) for k, v in by_word.items()})
    return found


def matches(compiled: Compiled, view: View) -> Iterator[Match]:
    """Every match of ``compiled`` in ``view``."""
    for m in compiled.regex.finditer(view.text):
        slots = {name: int(m.group(name)[1:]) for name in compiled.slots if m.group(name)}
        gaps = sum(len(v.split()) for k, v in m.groupdict().items() if k[0] == "g" and v)
        found = Match(compiled.rule, view, slots, m.span(), gaps, False, compiled.maker_slots)
        yield found
        yield from _tail_matches(found, m)
        if compiled.continues is not None:
            yield from _continuations(compiled, view, found, m.end())


_TOKEN_RE = re.compile("\ue000[A-Z](\\d+)\ue001")


def _tail_matches(base: Match, m: re.Match[str]) -> Iterator[Match]:
    """One more match per token coordinated with a slot (see :func:`_tail`)."""
    for key, value in m.groupdict().items():
        if key[0] != "c" or not value:
            continue
        for index in _TOKEN_RE.findall(value):
            slots = dict(base.slots)
            slots[key[1:]] = int(index)
            yield Match(base.rule, base.view, slots, base.span, base.gap_words, True,
                        base.maker_slots)  # fmt: skip


def _continuations(compiled: Compiled, view: View, base: Match, pos: int) -> Iterator[Match]:
    assert compiled.continues is not None
    for _ in range(6):
        m = compiled.continues.match(view.text, pos)
        if m is None or m.end() == pos:
            return
        slots = dict(base.slots)
        slots.update({k: int(v[1:]) for k, v in m.groupdict().items() if v and k[0] != "g"})
        yield Match(
            base.rule, view, slots, (base.span[0], m.end()), base.gap_words, True, base.maker_slots
        )
        pos = m.end()


@cache
def _coordination(lang: str) -> tuple[re.Pattern[str], ...]:
    pfile = pattern_file(lang)
    conj = pfile.coordination or "and|or"
    filler = pfile.coordination_words or "(?!)"
    word = rf"(?:{filler})\s+"
    item = (
        rf"(?:{word}){{0,2}}(?:\ue000(?P<Q>Q\d+)\ue001\s*)?(?:{word}){{0,2}}"
        rf"\ue000(?P<T>[A-PR-Z]\d+)\ue001"
    )
    head = rf"(?:\s+(?:{filler})(?!\w)){{0,2}}"
    forward = re.compile(rf"{head}\s*(?:,\s*(?:{conj})\s+|\s+(?:{conj})\s+){item}", re.I)
    # "A, B and C": a bare comma coordinates only inside such a list.
    forward_list = re.compile(rf"{head}\s*,\s*{item}(?=\s*(?:,|\s(?:{conj})\s))", re.I)
    # "Naura and AMEC supply": no comma, so ", and the company uses" is not a list.
    backward = re.compile(rf"\ue000(?P<T>[A-Z]\d+)\ue001\s+(?:{conj})\s+$", re.I)
    backward_list = re.compile(r"\ue000(?P<T>[A-Z]\d+)\ue001\s*,\s*$", re.I)
    return forward, forward_list, backward, backward_list


def coordinated(found: Match, lang: str, allowed: dict[str, frozenset[str]]) -> Iterator[Match]:
    """Extra matches for tokens coordinated with the first or last slot ("H800 e H100")."""
    if not found.rule.coordinate or not found.slots:
        return
    forward, forward_list, backward, backward_list = _coordination(lang)
    text, tokens = found.view.text, found.view.tokens
    order = sorted(found.slots.items(), key=lambda kv: token_pos(found.view, kv[1]))
    order = [(k, v) for k, v in order if k not in ("Q", "Y")]
    if not order:
        return
    last_name, _ = order[-1]
    pos = found.span[1]
    for _ in range(8):
        m = forward.match(text, pos) or forward_list.match(text, pos)
        if m is None:
            break
        index = int(m.group("T")[1:])
        if tokens[index].kind not in allowed.get(last_name, frozenset()):
            break
        slots = dict(found.slots)
        slots[last_name] = index
        slots.pop("Q", None)
        if m.group("Q"):
            slots["Q"] = int(m.group("Q")[1:])
        yield Match(
            found.rule,
            found.view,
            slots,
            (found.span[0], m.end()),
            found.gap_words,
            True,
            found.maker_slots,
        )
        pos = m.end()
    first_name, _ = order[0]
    head = text[: found.span[0]]
    for step in range(8):
        m = (backward if step == 0 else backward_list).search(head) or (
            backward.search(head) if step else None
        )
        if m is None:
            break
        index = int(m.group("T")[1:])
        if tokens[index].kind not in allowed.get(first_name, frozenset()):
            break
        slots = dict(found.slots)
        slots[first_name] = index
        yield Match(
            found.rule,
            found.view,
            slots,
            (m.start(), found.span[1]),
            found.gap_words,
            True,
            found.maker_slots,
        )
        head = head[: m.start()]


def token_pos(view: View, index: int) -> int:
    """Where token ``index`` stands in the view's text (-1 when cut out of this view)."""
    return view.text.find(f"\ue000{view.tokens[index].kind}{index}\ue001")


_SLOT_KINDS: dict[str, dict[str, frozenset[str]]] = {}


def slot_kinds(compiled: Compiled) -> dict[str, frozenset[str]]:
    """Which token kinds each named slot of a rule accepts."""
    cached = _SLOT_KINDS.get(compiled.rule.id)
    if cached is not None:
        return cached
    out: dict[str, frozenset[str]] = {}
    for m in re.finditer(r"\{([A-Z])(?::([A-Z|]+)@?)?!?\}\??", compiled.rule.pattern):
        out[m.group(1)] = frozenset((m.group(2) or m.group(1)).replace("|", ""))
    _SLOT_KINDS[compiled.rule.id] = out
    return out


def labels_ok(predicate: str, subject_label: str, object_label: str) -> bool:
    """Whether the ontology allows ``predicate`` between these labels."""
    rtype = ONTOLOGY.relationship(predicate)
    return subject_label in rtype.source and object_label in rtype.target
