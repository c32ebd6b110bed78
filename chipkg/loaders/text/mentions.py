"""Find what a document talks about: typed spans ("mentions") over the whole text.

One regex pass per kind over the document: known names (gazetteer), product and
process-node shapes, countries' adjectives and cities, counts, dates, "its own chips",
definite descriptions ("the company"), possessives ("its"), people after a title,
short quoted modifiers, and unknown organisations introduced by a role noun ("the
Chinese chip designer Sophgo"). Overlaps are settled leftmost-longest, then by kind.

Kinds (``kinds.Kind``; one letter, used by the relation patterns): C company, P product, T technology,
K country, D country adjective, G government body, R regulation, N person, F facility,
Q count, Y date, O "its own chips", W possessive, X quoted modifier.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chipkg.loaders.text.dates import DateMatch, find_dates
from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.gazetteer import Gazetteer, LayeredGazetteer
from chipkg.loaders.text.kinds import Kind
from chipkg.loaders.text.prefilter import guarded
from chipkg.loaders.text.quantities import find_quantities
from chipkg.loaders.text.resources import Description, pattern_file, places, products, roles
from chipkg.loaders.text.sentences import Sentence
from chipkg.ontology import Entity

STRONG = frozenset("CPTGRNFO")
_PRIORITY = {"name": 0, "new": 1, "pattern": 2, "own": 3, "description": 4, "city": 5}
_PRIORITY |= {"date": 6, "count": 7, "demonym": 8, "possessive": 9, "pronoun": 10}
_PRIORITY |= {"person": 11, "quote": 12}
_KIND = {k.value: k for k in Kind}  # Kind(letter) without the enum's slow call
_NAME = r"(?-i:[A-Z][\w&+.'-]*[\w+]|[A-Z])"


@dataclass(slots=True)
class Mention:
    """A typed span of the document."""

    start: int
    end: int
    kind: Kind
    entity: str | None
    via: str
    value: Any = None
    country: str | None = None
    roles: tuple[str, ...] = ()
    maker: str | None = None
    factor: float = 1.0
    absorbed: list[Mention] = field(default_factory=list)


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@cache
def demonym_alternation(lang: str) -> str:
    """All country adjectives of ``lang`` as one regex alternation."""
    pats = [p for by_lang in places().demonyms.values() for p in by_lang.get(lang, [])]
    return _alternation(pats)


@cache
def _demonym_re(lang: str) -> tuple[re.Pattern[str], list[str]]:
    countries: list[str] = []
    alts: list[str] = []
    for country, by_lang in places().demonyms.items():
        for pat in by_lang.get(lang, []):
            alts.append(f"(?P<d{len(alts)}>{pat})")
            countries.append(country)
    return guarded(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w-])", re.I), countries


@cache
def _city_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {c: country for country, cities in places().cities.items() for c in cities}
    alt = "|".join(re.escape(c) for c in sorted(table, key=len, reverse=True))
    return guarded(rf"(?<![\w])(?:{alt})(?![\w])"), table


@cache
def role_alternation(lang: str) -> str:
    """Every role noun of ``lang`` as one alternation."""
    return _alternation([r.pattern for r in roles().role_nouns.get(lang, [])])


@cache
def _discovery_re(lang: str) -> re.Pattern[str]:
    role_alts = "|".join(
        f"(?P<r{i}>{r.pattern})" for i, r in enumerate(roles().role_nouns.get(lang, []))
    )
    dem = demonym_alternation(lang)
    conj = pattern_file(lang).name_conjunction or "(?!)"
    one = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
    names = rf"(?P<names>{one}(?:(?:\s*,\s*|\s+(?:{conj})\s+){one}){{0,4}})"
    if lang in ("it", "fr"):
        body = rf"(?:{role_alts})\s+(?:(?:{dem})\s+)?(?:(?:di|de)\s+\w+\s+)?{names}"
    else:
        body = rf"(?:(?:{dem})\s+)?(?:{role_alts})\s+{names}"
    return guarded(rf"(?<![\w-])(?:{body})(?![\w])", re.I)


@cache
def _description_re(lang: str) -> tuple[re.Pattern[str], list[Description]]:
    items = roles().descriptions.get(lang, [])
    dem = demonym_alternation(lang) or "(?!)"
    based = r"(?-i:[A-Z][\w'-]+)-based"
    city = _city_re()[0].pattern
    alts = [
        "(?P<x{}>{})".format(
            i,
            d.pattern.replace("{demonym}", f"(?:{dem})")
            .replace("{based}", based)
            .replace("{city}", f"(?-i:{city})"),
        )
        for i, d in enumerate(items)
    ]
    return guarded(rf"(?<![\w'])(?:{'|'.join(alts) or '(?!)'})(?![\w])", re.I), items


@cache
def _simple_re(lang: str, what: str) -> re.Pattern[str] | None:
    words: list[str]
    if what == "possessive":
        words = [re.escape(w) for w in roles().possessives.get(lang, [])]
    elif what == "pronoun":
        words = [re.escape(w) for w in roles().pronouns.get(lang, [])]
    elif what == "own":
        words = products().own_product.get(lang, [])
    elif what == "product":
        words = roles().product_descriptions.get(lang, [])
    else:
        words = roles().person_titles.get(lang, [])
    if not words:
        return None
    if what == "person":
        return guarded(
            rf"(?<![\w])(?:{_alternation(words)})\s+(?P<name>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{1,2}}))",
            re.I,
        )
    return guarded(rf"(?<![\w'-])(?:{_alternation(words)})(?![\w-])", re.I)


@cache
def _product_re() -> re.Pattern[str]:
    """All product patterns as one alternation (file order breaks ties), one scan per text."""
    alts = []
    for i, spec in enumerate(products().products):
        body = re.sub(r"\(\?P<(\w+)>", rf"(?P<p{i}_\1>", spec.pattern)
        body = body if not spec.case_sensitive else f"(?-i:{body})"
        alts.append(f"(?P<p{i}>{body})")
    return guarded(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w])", re.I)


_PRODUCT_IDS: dict[tuple[int, int, str], str] = {}
_QUOTE_RE = re.compile(r'"([^"\n]{1,40})"')


@cache
def _pronoun_guards(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a pronoun may stand for a company: right after a clause opener of the language,
    and not before an expletive verb ("it is", "it seems")."""
    pfile = pattern_file(lang)
    openers = pfile.clause_openers or "(?!)"
    start = re.compile(rf"(?:^|[,;:]\s*|\b(?:{openers})\s+)$", re.I)
    expletive = re.compile(rf"\s+(?:{pfile.expletives or '(?!)'})\b", re.I)
    return start, expletive


_AI_RE: re.Pattern[str] | None = None


class MentionFinder:
    """Finds all mentions of one document, in one language."""

    def __init__(
        self, lang: str, gazetteer: Gazetteer | LayeredGazetteer, book: EntityBook
    ) -> None:
        self.lang = lang
        self.gazetteer = gazetteer
        self.book = book

    def find(self, text: str) -> list[Mention]:
        """All mentions of ``text`` (already normalised with ``Document.match_text``)."""
        found: list[Mention] = []
        found += self._names(text)
        found += self._discovered(text, found)
        found += self._products(text)
        found += self._places(text)
        found += self._counts_and_dates(text)
        found += self._references(text)
        found += self._quotes(text)
        chosen = resolve_overlaps(found)
        _infer_years(chosen)
        return chosen

    def _names(self, text: str) -> Iterator[Mention]:
        for hit in self.gazetteer.find(text):
            if hit.genitive and self.lang != "de":
                continue
            end = hit.end - 1 if hit.genitive else hit.end
            self.book.get(hit.entity_id)
            yield Mention(hit.start, end, _KIND[hit.kind], hit.entity_id, "name")

    def _discovered(self, text: str, known: list[Mention]) -> list[Mention]:
        """Unknown organisations after a role noun, then every later mention of them."""
        taken = {(m.start, m.end) for m in known}
        stop = frozenset(roles().name_stopwords.get(self.lang, []))
        nouns = roles().role_nouns.get(self.lang, [])
        new: list[Entity] = []
        for m in _discovery_re(self.lang).finditer(text):
            group = next((k for k, v in m.groupdict().items() if v and k[0] == "r"), None)
            role_list = nouns[int(group[1:])].roles if group else []
            for name_m in re.finditer(_NAME + r"(?:\s+" + _NAME + r")*", m.group("names")):
                name = self._trim_name(name_m.group(0), stop)
                start = m.start("names") + name_m.start()
                if not name or (start, start + len(name)) in taken:
                    continue
                if self.gazetteer.entries.get(name.lower()):
                    continue
                props = {"roles": sorted(role_list)} if role_list else {}
                entity_id = self.book.ensure("Company", name, props)
                entity = self.book.get(entity_id)
                if entity is not None and entity_id in self.book.new:
                    new.append(entity)
        if not new:
            return []
        local = Gazetteer(new)
        return [Mention(h.start, h.end, Kind.COMPANY, h.entity_id, "new") for h in local.find(text)]

    def _trim_name(self, name: str, stop: frozenset[str]) -> str | None:
        words = name.split()
        keep: list[str] = []
        for i, word in enumerate(words):
            if word.rstrip(".,") in stop or (self.lang == "de" and i > 0):
                break
            keep.append(word)
        result = " ".join(keep).rstrip(".,'")
        return result if len(result) > 1 else None

    def _products(self, text: str) -> Iterator[Mention]:
        memo: dict[tuple[str | None, str], tuple[str, str]] = {}
        for m in _product_re().finditer(text):
            key = (m.lastgroup, m.group(0))
            known = memo.get(key)
            if known is None:
                known = memo[key] = self._product(m)
            yield Mention(m.start(), m.end(), _KIND[known[0]], known[1], "pattern")

    def _product(self, m: re.Match[str]) -> tuple[str, str]:
        """(kind, entity id) of a product-pattern match."""
        i = int((m.lastgroup or "p0")[1:])
        spec = products().products[i]
        prefix = f"p{i}_"
        groups = {
            k[len(prefix) :]: (v or "") for k, v in m.groupdict().items() if k.startswith(prefix)
        }
        name = spec.name.format(**groups).strip()
        if spec.label == "Technology":
            name = name.replace(",", ".")
        elif re.match(r"^[A-Za-z]{1,4}\d", name):
            name = name.upper()
        return ("T" if spec.label == "Technology" else "P"), self._product_id(i, name)

    def _product_id(self, i: int, name: str) -> str:
        key = (id(self.book.resolver), i, name)
        cached = _PRODUCT_IDS.get(key)
        if cached is not None and self.book.get(cached) is not None:
            return cached
        spec = products().products[i]
        props: dict[str, Any] = {}
        fixed = spec.id
        if spec.label == "Technology":
            props = {"kind": spec.kind} if spec.kind else {}
            number = re.match(r"[\d.]+", name)
            if number:
                props["node_nm"] = float(number.group(0))
                if props["node_nm"].is_integer():
                    props["node_nm"] = int(props["node_nm"])
            fixed = fixed or f"technology/{name.replace(' ', '-').replace('.', '-').lower()}"
        elif spec.category:
            props = {"category": spec.category}
        entity_id = self.book.ensure(spec.label, name, props, fixed)
        if len(_PRODUCT_IDS) > 50_000:
            _PRODUCT_IDS.clear()
        _PRODUCT_IDS[key] = entity_id
        return entity_id

    def _places(self, text: str) -> Iterator[Mention]:
        regex, countries = _demonym_re(self.lang)
        for m in regex.finditer(text):
            if m.lastgroup:
                yield Mention(
                    m.start(), m.end(), Kind.DEMONYM, countries[int(m.lastgroup[1:])], "demonym"
                )
        cities, table = _city_re()
        for m in cities.finditer(text):
            yield Mention(m.start(), m.end(), Kind.COUNTRY, table[m.group(0)], "city", factor=0.9)

    def _counts_and_dates(self, text: str) -> Iterator[Mention]:
        for q in find_quantities(text, self.lang):
            yield Mention(q.start, q.end, Kind.COUNT, None, "count", q.quantity)
        for d in find_dates(text):
            yield Mention(d.start, d.end, Kind.DATE, None, "date", d)

    def _references(self, text: str) -> Iterator[Mention]:
        regex, items = _description_re(self.lang)
        dem_re, countries = _demonym_re(self.lang)
        for m in regex.finditer(text):
            desc = items[int((m.lastgroup or "x0")[1:])]
            dem = dem_re.search(m.group(0))
            country = countries[int(dem.lastgroup[1:])] if dem and dem.lastgroup else None
            if country is None:
                cities, table = _city_re()
                city = cities.search(m.group(0))
                country = table[city.group(0)] if city else None
            yield Mention(
                m.start(),
                m.end(),
                Kind.COMPANY,
                None,
                "description",
                country=country,
                roles=tuple(desc.roles),
            )
        own = _simple_re(self.lang, "own")
        for m in own.finditer(text) if own else ():
            yield Mention(m.start(), m.end(), Kind.OWN_PRODUCT, None, "own", _ai_marked(m.group(0)))
        things = _simple_re(self.lang, "product")
        for m in things.finditer(text) if things else ():
            yield Mention(m.start(), m.end(), Kind.PRODUCT, None, "description")
        poss = _simple_re(self.lang, "possessive")
        for m in poss.finditer(text) if poss else ():
            yield Mention(m.start(), m.end(), Kind.POSSESSIVE, None, "possessive")
        pron = _simple_re(self.lang, "pronoun")
        for m in pron.finditer(text) if pron else ():
            before = text[max(0, m.start() - 12) : m.start()]
            clause_start, expletive = _pronoun_guards(self.lang)
            if clause_start.search(before) and not expletive.match(text, m.end()):
                yield Mention(m.start(), m.end(), Kind.COMPANY, None, "pronoun")
        person = _simple_re(self.lang, "person")
        for m in person.finditer(text) if person else ():
            name = m.group("name")
            title = text[m.start() : m.start("name")].strip()
            entity_id = self.book.ensure("Person", name, {"position": title} if title else None)
            yield Mention(m.start("name"), m.end("name"), Kind.PERSON, entity_id, "person")

    def _quotes(self, text: str) -> Iterator[Mention]:
        for m in _QUOTE_RE.finditer(text):
            yield Mention(m.start(), m.end(), Kind.QUOTED, None, "quote")


def _ai_marked(phrase: str) -> bool:
    global _AI_RE
    if _AI_RE is None:
        _AI_RE = re.compile(products().ai_marker, re.I)
    return bool(_AI_RE.search(phrase))


def resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions: leftmost, then longest, then by kind priority.

    A quoted modifier never hides a name, product or company inside it.
    """
    strong = sorted((m.start, m.end) for m in found if m.kind in STRONG)
    starts = [s for s, _ in strong]

    def hides_strong(m: Mention) -> bool:
        i = bisect.bisect_left(starts, m.start)
        return i < len(strong) and strong[i][0] < m.end

    found = [m for m in found if m.kind != "X" or not hides_strong(m)]
    # "Les machines EUV": the product named by its shape wins over "Les machines" as a
    # reference back to an earlier product
    shapes = sorted((m.start, m.end) for m in found if m.kind == "P" and m.via != "description")
    shape_starts = [s for s, _ in shapes]

    def hides_shape(m: Mention) -> bool:
        i = bisect.bisect_left(shape_starts, m.start)
        return i < len(shapes) and shapes[i][0] < m.end

    found = [m for m in found if m.kind != "P" or m.via != "description" or not hides_shape(m)]
    found.sort(key=lambda m: (m.start, -(m.end - m.start), _PRIORITY.get(m.via, 99)))
    chosen: list[Mention] = []
    last_end = -1
    for m in found:
        if m.start >= last_end and m.end > m.start:
            chosen.append(m)
            last_end = m.end
    return chosen


def _infer_years(mentions: list[Mention]) -> None:
    """Give year-less dates the year last written before them."""
    year: int | None = None
    for m in mentions:
        if m.kind != "Y":
            continue
        date: DateMatch = m.value
        if date.year is not None:
            year = date.year
        m.value = date.iso(year)


def by_sentence(mentions: list[Mention], sentences: list[Sentence]) -> list[list[Mention]]:
    """Mentions grouped by the sentence that contains them (straddlers dropped)."""
    out: list[list[Mention]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= sentences[i].end:
            out[i].append(m)
    return out
