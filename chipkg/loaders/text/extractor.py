"""The extractor interface and the deterministic rule-based extractor behind it.

``Extractor`` is what the loader and ``chipkg extract`` call; a statistical or LLM
extractor can be plugged in later by implementing the same ``extract`` method (same
input: a :class:`Document`, a resolver and an optional language; same output: an
:class:`Extraction` of entity and claim records with evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from chipkg.errors import OntologyError
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.coref import resolve_references
from chipkg.loaders.text.document import Document
from chipkg.loaders.text.entities import EntityBook, reference_facts
from chipkg.loaders.text.facts import Fact
from chipkg.loaders.text.gazetteer import Gazetteer, LayeredGazetteer
from chipkg.loaders.text.language import LANGUAGES, detect_language
from chipkg.loaders.text.mentions import Mention, MentionFinder, by_sentence
from chipkg.loaders.text.modality import find_frame
from chipkg.loaders.text.relations import Context, sentence_facts
from chipkg.loaders.text.resources import extra_gazetteer
from chipkg.loaders.text.sentences import Sentence, split_sentences
from chipkg.loaders.text.views import build_view
from chipkg.ontology import Claim, Entity, Evidence
from chipkg.ontology.names import slugify

EXTRACTOR = "chipkg.rules"
EXTRACTOR_VERSION = "1.0"


@dataclass
class Extraction:
    """What an extractor found in one document."""

    source: Entity
    language: str
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def records(self) -> list[Entity | Claim]:
        """Entities (the source first) then claims."""
        return [*self.entities, *self.claims]


class Extractor(Protocol):
    """Anything that turns a document into entity and claim records with evidence."""

    name: str
    version: str

    def extract(
        self, document: Document, resolver: Resolver, language: str | None = None
    ) -> Extraction:
        """Entities and claims of ``document``; new entities are added to ``resolver``."""
        ...


def source_entity(document: Document, language: str) -> Entity:
    """The Source node of a document: ``source/<slug of the file name>``."""
    props: dict[str, object] = {"language": language, "kind": "news"}
    if document.title:
        props["title"] = document.title
    return Entity(
        id=f"source/{slugify(document.name)}", label="Source", name=document.name, properties=props
    )


def prepare_resolver(resolver: Resolver) -> Resolver:
    """Make sure the resolver knows the reference entities and the extra gazetteer names."""
    if not _needed_ids() <= resolver.entities.keys():
        for entity in reference_facts().entities:
            if entity.id not in resolver.entities:
                resolver.add(entity)
        extra = extra_gazetteer()
        for row in extra.entities:
            if row.id not in resolver.entities:
                resolver.add(Entity(**row.model_dump()))
    for entity_id, aliases, wanted in _extra_aliases():
        known = resolver.entities.get(entity_id)
        if known is None or _ALIASES_OK.get(id(known)) is known:
            continue  # adding the aliases to this very record was seen to change nothing
        if not wanted <= set(known.aliases):
            merged = resolver.add(known.model_copy(update={"aliases": aliases}))
            if merged == known and len(_ALIASES_OK) < 100_000:
                _ALIASES_OK[id(merged)] = merged
    return resolver


_ALIASES_OK: dict[int, Entity] = {}


@cache
def _needed_ids() -> frozenset[str]:
    """Ids of the reference entities and the extra gazetteer's own entities."""
    ids = {e.id for e in reference_facts().entities}
    return frozenset(ids | {row.id for row in extra_gazetteer().entities})


@cache
def _extra_aliases() -> tuple[tuple[str, list[str], frozenset[str]], ...]:
    return tuple((k, v, frozenset(v)) for k, v in extra_gazetteer().aliases.items())


_BASES: dict[int, Gazetteer] = {}
_OVERLAYS: dict[tuple[int, frozenset[tuple[str, int]]], LayeredGazetteer] = {}
MAX_OVERLAY = 300


def gazetteer_for(resolver: Resolver) -> Gazetteer | LayeredGazetteer:
    """A gazetteer over the resolver's entities.

    The large trie is built once per resolver; entities the resolver gained later (or
    whose aliases grew) go into a small second layer, rebuilt only when they change. When
    the resolver holds the very same entity records as last time, the last answer stands.
    """
    seen = tuple(map(id, resolver.entities.values()))
    last = _LAST.get(id(resolver))
    if last is not None and last[0] == seen:
        return last[1]
    found = _gazetteer_for(resolver)
    if len(_LAST) >= 8:
        _LAST.clear()
    _LAST[id(resolver)] = (seen, found)
    return found


_LAST: dict[int, tuple[tuple[int, ...], Gazetteer | LayeredGazetteer]] = {}


def _gazetteer_for(resolver: Resolver) -> Gazetteer | LayeredGazetteer:
    base = _BASES.get(id(resolver))
    entities = [e for e in resolver.entities.values() if e.label != "Source"]
    if base is not None and not base.entities.keys() <= resolver.entities.keys():
        base = None  # built for another resolver that lived at the same address
    if base is not None:
        known = base.entities
        delta = [e for e in entities if known.get(e.id) is not e and _changed(base, e)]
        if not delta:
            return base
        if len(delta) <= MAX_OVERLAY:
            key = (id(resolver), frozenset((e.id, len(e.aliases)) for e in delta))
            layered = _OVERLAYS.get(key)
            if layered is None:
                if len(_OVERLAYS) >= 64:
                    _OVERLAYS.clear()
                layered = _OVERLAYS[key] = LayeredGazetteer(base, Gazetteer(delta))
            return layered
    if len(_BASES) >= 8:
        _BASES.clear()
    base = _BASES[id(resolver)] = Gazetteer(entities)
    return base


def _changed(base: Gazetteer, entity: Entity) -> bool:
    known = base.entities.get(entity.id)
    return known is None or len(known.aliases) != len(entity.aliases) or known.name != entity.name


@dataclass
class Reading:
    """A text's sentences and their mentions, references resolved: what the rules read."""

    book: EntityBook
    sentences: list[Sentence]
    mentions: list[Mention]
    groups: list[list[Mention]]


def read_mentions(text: str, lang: str, resolver: Resolver) -> Reading:
    """Split ``text`` (``Document.match_text``) into sentences, find and resolve mentions."""
    prepare_resolver(resolver)
    book = EntityBook(resolver)
    sentences = split_sentences(text, lang)
    mentions = MentionFinder(lang, gazetteer_for(resolver), book).find(text)
    groups = by_sentence(mentions, sentences)
    resolve_references(sentences, groups, book, text)
    return Reading(book, sentences, mentions, groups)


class RuleExtractor:
    """Gazetteer, patterns, cue words and coreference rules; no model, no network."""

    name = EXTRACTOR
    version = EXTRACTOR_VERSION

    def extract(
        self, document: Document, resolver: Resolver, language: str | None = None
    ) -> Extraction:
        """See :class:`Extractor`."""
        lang = language or detect_language(document.text)
        if lang not in LANGUAGES:
            raise OntologyError(
                f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})"
            )
        text = document.match_text
        read = read_mentions(text, lang, resolver)
        ctx = Context(lang, text, read.book)
        facts: list[Fact] = []
        for sentence, group in zip(read.sentences, read.groups, strict=True):
            self._frame(ctx, sentence, group)
            facts += sentence_facts(ctx, sentence, group)
        source = source_entity(document, lang)
        people = {m.entity for m in read.mentions if m.kind == "N" and m.entity}
        return _records(document, source, lang, facts, read.book, people)

    @staticmethod
    def _frame(ctx: Context, sentence: Sentence, group: list[Mention]) -> None:
        if not sentence.first_in_paragraph:
            return
        view = build_view(ctx.text, sentence.start, sentence.end, group)

        def name_of(index: int) -> str | None:
            entity_id = group[index].entity
            entity = ctx.book.get(entity_id) if entity_id else None
            return entity.name if entity else None

        ctx.frame = find_frame(view.text, ctx.lang, name_of)


def _records(
    document: Document,
    source: Entity,
    lang: str,
    facts: list[Fact],
    book: EntityBook,
    people: set[str] | None = None,
) -> Extraction:
    """Claims built once per fact key, each with all its evidence; then the entities used
    (plus the people named: the ontology has no relation for them yet)."""
    grouped: dict[tuple[str, str, str, object], list[Evidence]] = {}
    for fact in facts:
        subject, obj = fact.subject, fact.object
        if subject == obj:
            continue
        key = (fact.predicate, subject, obj, fact.properties.get("item"))
        grouped.setdefault(key, []).append(_evidence(document, source, lang, fact))
    claims: list[Claim] = []
    used: set[str] = set()
    for (predicate, subject, obj, _item), evidence in grouped.items():
        if book.get(subject) is None or book.get(obj) is None:
            continue  # every id a claim uses must have an entity record
        try:
            claim = Claim(subject=subject, predicate=predicate, object=obj, evidence=evidence)
        except (OntologyError, ValueError):
            continue
        claims.append(claim)
        used |= {claim.subject, claim.object}
    entities = [source]
    for entity_id in sorted(used | (people or set())):
        entity = book.get(entity_id)
        if entity is not None:
            entities.append(entity)
    claims.sort(key=lambda c: (c.evidence[0].start or 0, c.key))
    return Extraction(source, lang, entities, claims)


def _evidence(document: Document, source: Entity, lang: str, fact: Fact) -> Evidence:
    s = fact.sentence
    return Evidence(
        source=source.id,
        quote=document.text[s.start : s.end],
        start=s.start,
        end=s.end,
        language=lang,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        modality=fact.modality,
        attributed_to=fact.attributed_to,
        confidence=fact.confidence,
        properties=dict(fact.properties),
        valid_from=fact.valid_from,
        valid_to=fact.valid_to,
    )
