"""The extractor's data files (``data/*.yaml``): cue words, patterns, demonyms, roles.

Everything language-specific lives in these files, not in code, so a new cue or a new
language is a data change. Files are validated when first read; a mistake names the file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chipkg.errors import OntologyError

DATA_DIR = Path(__file__).resolve().parent / "data"
M = TypeVar("M", bound=BaseModel)


def read_data(name: str) -> Any:
    """The parsed YAML file ``data/<name>.yaml``."""
    path = DATA_DIR / f"{name}.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise OntologyError(f"{path}: cannot read extractor data: {exc}") from exc


def _model(model: type[M], name: str) -> M:
    try:
        return model.model_validate(read_data(name))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise OntologyError(f"{DATA_DIR / name}.yaml: {where}: {first['msg']}") from exc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


PerLanguage = dict[str, list[str]]


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """Function words per language (language detection, name filtering)."""
    data: PerLanguage = read_data("stopwords")
    return {lang: frozenset(w.lower() for w in words) for lang, words in data.items()}


class Abbreviations(_Strict):
    """Words ending in a full stop that do not end a sentence."""

    any: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    it: list[str] = Field(default_factory=list)
    de: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)


@cache
def abbreviations(lang: str) -> frozenset[str]:
    """Lower-cased abbreviations (without the final dot) for ``lang``."""
    data = _model(Abbreviations, "abbreviations")
    words = [*data.any, *getattr(data, lang, [])]
    return frozenset(w.lower().rstrip(".") for w in words)


class Places(_Strict):
    """Country adjectives, cities and metonyms, each mapped to a country id."""

    source: str
    demonyms: dict[str, PerLanguage]
    cities: dict[str, list[str]]


@cache
def places() -> Places:
    """``data/places.yaml``."""
    return _model(Places, "places")


class RoleNoun(_Strict):
    """A noun that names what a company does ("chip designer" -> chip_designer)."""

    pattern: str
    roles: list[str] = Field(default_factory=list)


class Description(_Strict):
    """A definite description that refers back to a company ("the company")."""

    pattern: str
    roles: list[str] = Field(default_factory=list)


class MakerRule(_Strict):
    """Which relation "X's P" / "P di X" expresses, given X's roles and P's kind."""

    roles: list[str]
    predicate: str
    label: str = "Product"
    categories: list[str] = Field(default_factory=list)
    exclude_categories: list[str] = Field(default_factory=list)
    confidence: float = 0.75


class Roles(_Strict):
    """``data/roles.yaml``."""

    role_nouns: dict[str, list[RoleNoun]]
    descriptions: dict[str, list[Description]]
    pronouns: PerLanguage
    product_descriptions: PerLanguage = Field(default_factory=dict)
    possessives: PerLanguage
    name_stopwords: PerLanguage
    maker_rules: list[MakerRule]
    person_titles: PerLanguage


@cache
def roles() -> Roles:
    """``data/roles.yaml``."""
    return _model(Roles, "roles")


class ProductPattern(_Strict):
    """A product-name pattern; ``name`` is a template over the regex's named groups."""

    pattern: str
    name: str = "{name}"
    category: str | None = None
    id: str | None = None
    label: str = "Product"
    kind: str | None = None
    case_sensitive: bool = False


class Products(_Strict):
    """``data/products.yaml``."""

    products: list[ProductPattern]
    own_product: PerLanguage
    ai_marker: str


@cache
def products() -> Products:
    """``data/products.yaml``."""
    return _model(Products, "products")


class RegulationHead(_Strict):
    """A noun phrase that names a measure, with the kind of measure it names."""

    pattern: str
    kind: str
    slug: str
    needs_issuer: bool = False
    issuer: str | None = None
    refers_back: bool = True  # False: without an issuer of its own it names no measure


class Regulations(_Strict):
    """``data/regulations.yaml``."""

    heads: dict[str, list[RegulationHead]]
    phrases: PerLanguage
    determiners: dict[str, str]
    issuing_verbs: dict[str, str]
    names: dict[str, str]
    destinations: dict[str, str] = {}


@cache
def regulations() -> Regulations:
    """``data/regulations.yaml``."""
    return _model(Regulations, "regulations")


class Cues(_Strict):
    """Modality cues of one language (regular expressions, case-insensitive)."""

    rumored: list[str] = Field(default_factory=list)
    reportative: list[str] = Field(default_factory=list)
    speculative: list[str] = Field(default_factory=list)
    negated: list[str] = Field(default_factory=list)
    not_negation: list[str] = Field(default_factory=list)
    attribution: list[str] = Field(default_factory=list)
    unnamed_sources: list[str] = Field(default_factory=list)
    framing: list[str] = Field(default_factory=list)
    clause_breaks: list[str] = Field(default_factory=list)


@cache
def cues(lang: str) -> Cues:
    """``data/modality.yaml`` for ``lang``."""
    data = read_data("modality")
    try:
        return Cues.model_validate(data.get(lang, {}))
    except ValidationError as exc:
        raise OntologyError(f"{DATA_DIR}/modality.yaml: {lang}: {exc.errors()[0]['msg']}") from exc


class Quantities(_Strict):
    """``data/quantities.yaml``: approximation words, multipliers, units that are not counts."""

    approximate: PerLanguage
    lower_bound: PerLanguage
    multipliers: dict[str, dict[str, float]]
    not_counts: str


@cache
def quantities() -> Quantities:
    """``data/quantities.yaml``."""
    return _model(Quantities, "quantities")


class Dates(_Strict):
    """``data/dates.yaml``: month names and the prepositions that open or close validity."""

    months: dict[str, dict[str, int]]
    since: PerLanguage
    until: PerLanguage
    after: PerLanguage
    dated_by: dict[str, str] = {}
    articles: dict[str, str] = {}


@cache
def dates() -> Dates:
    """``data/dates.yaml``."""
    return _model(Dates, "dates")


class Rule(_Strict):
    """One relation pattern (see ``patterns.py`` for the pattern language)."""

    id: str
    predicate: str
    pattern: str
    confidence: float = 0.8
    stage: str = "clause"
    absorb: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    modality: str | None = None
    ended: bool = False
    continues: str | None = None
    coordinate: bool = True
    by_role: bool = False


class PatternFile(_Strict):
    """``data/patterns/<lang>.yaml``: gap breakers, macros, purposes, statuses and rules."""

    breakers: list[str] = Field(default_factory=list)
    macros: dict[str, str] = Field(default_factory=dict)
    purposes: dict[str, str] = Field(default_factory=dict)
    status: dict[str, str] = Field(default_factory=dict)
    coordination: str = ""
    coordination_words: str = ""
    name_conjunction: str = ""
    clause_openers: str = ""
    clause_limits: str = ""
    expletives: str = ""
    rules: list[Rule] = Field(default_factory=list)


@cache
def pattern_file(lang: str) -> PatternFile:
    """The rules of one language (``any`` holds the language-neutral ones)."""
    return _model(PatternFile, f"patterns/{lang}")


class KnownEntity(_Strict):
    """An entity the gazetteer knows besides the reference data (e.g. news outlets)."""

    id: str
    label: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)


class ExtraGazetteer(_Strict):
    """``data/gazetteer.yaml``."""

    source: str
    entities: list[KnownEntity]
    aliases: dict[str, list[str]] = {}


@cache
def extra_gazetteer() -> ExtraGazetteer:
    """``data/gazetteer.yaml``."""
    return _model(ExtraGazetteer, "gazetteer")


class GenericTriggers(_Strict):
    """Trigger words of one predicate for the generic stage, with optional own marks."""

    forward: str | None = None
    reverse: str | None = None
    subject_marks: str | None = None
    object_marks: str | None = None
    reverse_subject_marks: str | None = None
    reverse_object_marks: str | None = None


class GenericLanguage(_Strict):
    """``data/generic.yaml`` for one language."""

    subject_marks: str
    object_marks: str
    articles: str
    genitive: str
    oblique: str
    inverted: int = 0
    stops: str
    breaks: str
    triggers: dict[str, GenericTriggers]


@cache
def generic_cues(lang: str) -> GenericLanguage | None:
    """The generic stage's cue words for ``lang`` (None: the language has none)."""
    data = read_data("generic") or {}
    if lang not in data:
        return None
    try:
        return GenericLanguage.model_validate(data[lang])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise OntologyError(f"{DATA_DIR}/generic.yaml: {lang}.{where}: {first['msg']}") from exc
