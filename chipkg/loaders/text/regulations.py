"""Measures named in running text become Regulation tokens with an issuer and a date.

"US sanctions", "the US Commerce Department's new rule of October 2023", "restrizioni
commerciali imposte dagli Stati Uniti", "US-Sanktionen", "sanctions américaines": the
phrase templates of ``data/regulations.yaml`` find the head noun and, around it, the
issuer (a country, a country adjective or a government body) and a date. A phrase
without an issuer is kept only when it can refer back to a measure named shortly before
(or its head implies the issuer, as "the Entity List" does); otherwise it is not a
regulation this text lets us identify, and it is dropped.

Ids: a measure that matches a reference regulation (same issuer country, kind and month
or day; for listings, same target) takes its id; otherwise ``regulation/<cc>-<slug>``,
with ``-<target>`` for an Entity List listing and ``-<date>`` when dated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from chipkg.loaders.text.entities import EntityBook, reference_facts
from chipkg.loaders.text.kinds import Kind
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.prefilter import guarded
from chipkg.loaders.text.resources import RegulationHead, regulations, stopwords
from chipkg.loaders.text.triggers import first_words
from chipkg.loaders.text.views import View
from chipkg.ontology.names import slugify


def _adjectives(lang: str) -> str:
    """Up to two words before a head that are not function words ("new", "neue")."""
    stop = "|".join(re.escape(w) for w in sorted(stopwords().get(lang, ()), key=len, reverse=True))
    guard = f"(?!(?:{stop})\\s)" if stop else ""
    return rf"(?:(?<!\S){guard}[^\s\ue000\ue001,;.()]+\s+){{0,2}}?"


@dataclass
class RegulationInfo:
    """What a regulation phrase says: kind, issuer, date."""

    head: RegulationHead
    issuer: str | None
    date: str | None
    text: str


@dataclass
class Found:
    """A regulation phrase in a view: its span and the tokens it covers."""

    start: int
    end: int
    info: RegulationInfo
    covered: list[int]


@cache
def _phrases(
    lang: str,
) -> tuple[list[re.Pattern[str]], list[tuple[RegulationHead, re.Pattern[str]]]]:
    data = regulations()
    heads = data.heads.get(lang, [])
    head_alt = "|".join(f"(?:{h.pattern})" for h in heads) or "(?!)"
    compiled = []
    for template in data.phrases.get(lang, []):
        regex = _number_slots(template)
        regex = regex.replace("{ADJ}", _adjectives(lang))
        regex = regex.replace("{HEAD}", rf"(?<!\w)(?P<head>{head_alt})(?!\w)")
        compiled.append(guarded(regex, re.I))
    head_res = [(h, re.compile(rf"(?:{h.pattern})", re.I)) for h in heads]
    return compiled, head_res


def _number_slots(template: str) -> str:
    """``{I}`` and ``{Y}`` as uniquely named token groups (I0, I1, Y0...)."""
    counter = {"I": 0, "Y": 0}

    def slot(m: re.Match[str]) -> str:
        name = m.group(1)
        n = counter[name]
        counter[name] += 1
        letters = "KDG" if name == "I" else "Y"
        return f"\ue000(?P<{name}{n}>[{letters}]\\d+)\ue001"

    return re.sub(r"\{([IY])\}", slot, template)


@cache
def _determiner_re(lang: str) -> re.Pattern[str]:
    det = regulations().determiners.get(lang, "the")
    return re.compile(rf"(?<!\w)(?:{det})\s*(?:\S+\s+)?$", re.I)


@cache
def _head_words(lang: str) -> frozenset[str] | None:
    heads = regulations().heads.get(lang, [])
    words: set[str] = set()
    for head in heads:
        found = first_words(head.pattern)
        if found is None:
            return None
        words |= found
    return frozenset(words)


def find_regulations(view: View, lang: str, words: frozenset[str] | None = None) -> list[Found]:
    """Regulation phrases of a full view, longest first where they overlap."""
    head_words = _head_words(lang)
    if words is not None and head_words is not None and not words & head_words:
        return []
    phrases, heads = _phrases(lang)
    candidates: list[Found] = []
    for regex in phrases:
        for m in regex.finditer(view.text):
            head = next((h for h, r in heads if _head_at(r, view.text, m)), None)
            if head is None:
                continue
            groups = m.groupdict()
            issuer_tok = next((v for k, v in groups.items() if k[0] == "I" and v), None)
            date_tok = next((v for k, v in groups.items() if k[0] == "Y" and v), None)
            issuer = _issuer(view, issuer_tok) or _clause_issuer(view, m.start(), lang)
            date = view.tokens[int(date_tok[1:])].value if date_tok else None
            determined = _determiner_re(lang).search(view.text, 0, m.start("head"))
            if issuer is None and head.needs_issuer and not determined:
                continue
            covered = [int(t) for t in re.findall("\ue000[A-Z](\\d+)\ue001", m.group(0))]
            info = RegulationInfo(head, issuer, date, m.group(0))
            candidates.append(Found(m.start(), m.end(), info, covered))
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Found] = []
    for f in candidates:
        if not chosen or f.start >= chosen[-1].end:
            chosen.append(f)
    return chosen


def _head_at(regex: re.Pattern[str], text: str, m: re.Match[str]) -> bool:
    """Whether ``regex`` matches exactly the head of ``m`` in place (heads may look ahead:
    "die Ausfuhr … verboten")."""
    found = regex.match(text, m.start("head"))
    return found is not None and found.end() == m.end("head")


@cache
def _issuing_re(lang: str) -> re.Pattern[str]:
    verbs = regulations().issuing_verbs.get(lang, "(?!)")
    return re.compile(rf"(?<!\w)(?:{verbs})(?!\w)", re.I)


@cache
def _destination_re(lang: str) -> re.Pattern[str]:
    words = regulations().destinations.get(lang, "(?!)")
    return re.compile(rf"(?<!\w)(?:{words})\s*$", re.I)


def _clause_issuer(view: View, before: int, lang: str) -> str | None:
    """ "The Commerce Department added SMIC to the Entity List": the body that acts."""
    if not _issuing_re(lang).search(view.text):
        return None
    found = [
        (m.group(1), m.group(2))
        for m in re.finditer("\ue000([GK])(\\d+)\ue001", view.text[:before])
        if not _destination_re(lang).search(view.text[max(0, m.start() - 24) : m.start()])
    ]
    for kind in ("G", "K"):
        ids = {view.tokens[int(i)].entity for k, i in found if k == kind}
        if len(ids) == 1:
            return ids.pop()
        if ids:
            return None
    return None


def _issuer(view: View, tok: str | None) -> str | None:
    if tok is None:
        return None
    return view.tokens[int(tok[1:])].entity


def issuer_country(issuer: str | None, book: EntityBook) -> str | None:
    """The country id behind an issuer (a country, or the country of a government body)."""
    if issuer is None:
        return None
    if issuer.startswith("country/"):
        return issuer
    return book.country_of(issuer)


def regulation_id(
    info: RegulationInfo, targets: list[str], book: EntityBook
) -> tuple[str, dict[str, object], str] | None:
    """(id, properties, name) of the measure, or None when its issuer is unknown."""
    issuer = info.issuer or info.head.issuer
    country = issuer_country(issuer, book)
    if country is None:
        return None
    known = _reference_match(info, country, targets, book)
    cc = country.split("/", 1)[1]
    slug = f"{cc}-{info.head.slug}"
    if info.head.kind == "entity_listing" and targets:
        slug += "-" + targets[0].split("/", 1)[1]
        if info.date:
            slug += "-" + info.date[:4]
    elif info.date:
        slug += "-" + info.date
    props: dict[str, object] = {"kind": info.head.kind, "jurisdiction": country}
    if info.date:
        props["effective_from"] = info.date
    country_entity = book.get(country)
    country_name = country_entity.name if country_entity else cc.upper()
    name = regulations().names.get(info.head.kind, "{country} measure").format(country=country_name)
    if info.head.kind == "entity_listing" and targets:
        target = book.get(targets[0])
        name += f" of {target.name if target else targets[0]}"
    if info.date:
        name += f" ({info.date})"
    return known or f"regulation/{slugify(slug)}", props, name


def _reference_match(
    info: RegulationInfo, country: str, targets: list[str], book: EntityBook
) -> str | None:
    """A reference regulation this phrase denotes, when exactly one fits."""
    if not info.date and not (info.head.kind == "entity_listing" and targets):
        return None
    fits = []
    for entity_id, dates in _reference_regulations().get((country, info.head.kind), ()):
        if info.date and not any(d.startswith(info.date) for d in dates):
            continue
        if info.head.kind == "entity_listing" and targets:
            listed = reference_facts().targets_of.get(entity_id, frozenset())
            if not listed & set(targets):
                continue
        fits.append(entity_id)
    if len(fits) == 1:
        book.get(fits[0])
        return fits[0]
    return None


@cache
def _reference_regulations() -> dict[tuple[object, object], tuple[tuple[str, frozenset[str]], ...]]:
    """The reference regulations by (jurisdiction, kind), each with its known dates, in
    file order (built once: every phrase used to scan all reference entities)."""
    facts = reference_facts()
    out: dict[tuple[object, object], list[tuple[str, frozenset[str]]]] = {}
    for entity in facts.entities:
        if entity.label != "Regulation":
            continue
        props = entity.properties
        dates = {str(props.get("effective_from", "")), str(props.get("announced", ""))}
        dates |= facts.item_dates_of.get(entity.id, frozenset())
        key = (props.get("jurisdiction"), props.get("kind"))
        out.setdefault(key, []).append((entity.id, frozenset(dates)))
    return {k: tuple(v) for k, v in out.items()}


def merge_tokens(tokens: list[Mention], found: Found, view: View) -> Mention:
    """The regulation mention replacing the tokens a phrase covers."""
    start, end = view.doc_span(found.start, found.end)
    covered = [tokens[i] for i in found.covered]
    return Mention(start, end, Kind.REGULATION, None, "regulation", found.info, absorbed=covered)
