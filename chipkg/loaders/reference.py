"""The curated reference data: hand-reviewable YAML, one item per entity or fact.

Layout of a reference directory (the bundled one is ``chipkg/data/reference``):

* ``sources.yaml`` - optional titles/publishers/dates for source URLs;
* ``entities/*.yaml`` - lists of entities; ``country:`` and ``parent:`` are
  shorthands for LOCATED_IN and SUBSIDIARY_OF claims;
* ``claims/*.yaml`` - lists of claims, each with ``source_url`` and ``date``.

Every fact carries its source URL, so every edge in the graph has a Source.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import LoadResult, read_text, register
from chipkg.loaders.jsonl import first_error
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity, Modality
from chipkg.ontology.names import slugify

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
EXTRACTOR = "chipkg.reference"


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping as ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


class SourceRow(BaseModel):
    """Metadata for one source URL."""

    model_config = ConfigDict(extra="forbid")
    url: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    language: str | None = None
    kind: str = "reference"


class EntityRow(BaseModel):
    """One curated entity."""

    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    country: str | None = None
    parent: str | None = None
    source_url: str | None = None
    date: str | None = None


class ClaimRow(BaseModel):
    """One curated fact with its source."""

    model_config = ConfigDict(extra="forbid")
    subject: str
    predicate: str
    object: str
    properties: dict[str, Any] = Field(default_factory=dict)
    modality: Modality = "asserted"
    confidence: float = 0.9
    attributed_to: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    source_url: str
    date: str
    note: str | None = None


def source_id(url: str) -> str:
    """A stable Source id for a URL: readable slug plus a short hash against collisions."""
    bare = url.split("://", 1)[-1]
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return f"source/{slugify(bare)[:60]}-{digest}"


def _source_entity(url: str, meta: SourceRow | None, date: str | None) -> Entity:
    props: dict[str, Any] = {"kind": meta.kind if meta else "reference"}
    if meta:
        for key in ("title", "publisher", "published", "language"):
            value = getattr(meta, key)
            if value is not None:
                props[key] = value
    if "published" not in props and date:
        props["retrieved"] = date
    name = meta.title if meta and meta.title else url
    return Entity(id=source_id(url), label="Source", name=name, properties={**props, "url": url})


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _read_list(path: Path) -> list[tuple[int, Any]]:
    """The top-level list of a YAML file, each item with its line number."""
    try:
        data = yaml.load(read_text(path), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {getattr(exc, 'problem', exc)}", str(path), line) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError("expected a list of items at the top level", str(path), 1)
    return [
        (int(item.get("__line__", 0)) if isinstance(item, dict) else 0, _strip_lines(item))
        for item in data
    ]


class _Builder:
    """Turns rows into records, remembering sources and failing with file:line."""

    def __init__(self, resolver: Resolver, sources: dict[str, SourceRow], skip: bool) -> None:
        self.resolver = resolver
        self.sources = sources
        self.skip = skip
        self.result = LoadResult()
        self.seen_sources: dict[str, Entity] = {}

    def fail(self, path: Path, line: int, exc: Exception) -> None:
        message = first_error(exc)
        if not self.skip:
            raise InputError(message, str(path), line) from exc
        self.result.skipped.append(f"{path}:{line}: {message}")

    def source(self, url: str, date: str | None) -> str:
        entity = self.seen_sources.get(url)
        if entity is None:
            entity = _source_entity(url, self.sources.get(url), date)
            self.seen_sources[url] = entity
            self.result.entities.append(entity)
        return entity.id

    def ref(self, name: str) -> str:
        """An entity id, given an id or a known name."""
        if "/" in name:
            return name
        entity = self.resolver.resolve(name)
        if entity is None:
            hints = ", ".join(e.id for e in self.resolver.suggest(name)) or "none"
            raise InputError(f"unknown entity {name!r} (close matches: {hints})")
        return entity.id

    def claim(self, path: Path, row: ClaimRow, line: int) -> Claim:
        evidence = {
            "source": self.source(row.source_url, row.date),
            "row": line,
            "quote": row.note,
            "extractor": EXTRACTOR,
        }
        return Claim(
            subject=self.ref(row.subject),
            predicate=row.predicate,
            object=self.ref(row.object),
            properties=row.properties,
            modality=row.modality,
            confidence=row.confidence,
            attributed_to=row.attributed_to,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            evidence=evidence,
        )

    def entity_rows(self, path: Path) -> list[tuple[int, EntityRow]]:
        rows = []
        for line, item in _read_list(path):
            try:
                row = EntityRow.model_validate(item)
                self.result.entities.append(
                    self.resolver.add(
                        Entity(
                            id=row.id,
                            label=row.label,
                            name=row.name,
                            aliases=row.aliases,
                            properties=row.properties,
                        )
                    )
                )
                rows.append((line, row))
            except (ValidationError, ChipkgError) as exc:
                self.fail(path, line, exc)
        return rows

    def shorthand_claims(self, path: Path, line: int, row: EntityRow) -> None:
        pairs = [("LOCATED_IN", row.country), ("SUBSIDIARY_OF", row.parent)]
        for predicate, target in pairs:
            if target is None:
                continue
            try:
                if not row.source_url or not row.date:
                    raise InputError(f"{predicate} shorthand needs source_url and date")
                fact = ClaimRow(
                    subject=row.id,
                    predicate=predicate,
                    object=target,
                    source_url=row.source_url,
                    date=row.date,
                )
                self.result.claims.append(self.claim(path, fact, line))
            except (ValidationError, ChipkgError) as exc:
                self.fail(path, line, exc)

    def claim_rows(self, path: Path) -> None:
        for line, item in _read_list(path):
            try:
                self.result.claims.append(self.claim(path, ClaimRow.model_validate(item), line))
            except (ValidationError, ChipkgError) as exc:
                self.fail(path, line, exc)


def _read_sources(directory: Path) -> dict[str, SourceRow]:
    path = directory / "sources.yaml"
    if not path.exists():
        return {}
    rows: dict[str, SourceRow] = {}
    for line, item in _read_list(path):
        try:
            row = SourceRow.model_validate(item)
        except ValidationError as exc:
            raise InputError(first_error(exc), str(path), line) from exc
        rows[row.url] = row
    return rows


def _is_reference(path: Path) -> bool:
    return path.is_dir() and (path / "entities").is_dir() and (path / "claims").is_dir()


@register("reference", _is_reference)
def load_reference(
    path: Path = REFERENCE_DIR, resolver: Resolver | None = None, *, skip_invalid: bool = False
) -> LoadResult:
    """Load a reference directory: all entities first, so claims can name any of them."""
    builder = _Builder(resolver or Resolver(), _read_sources(path), skip_invalid)
    entity_rows = []
    for file in sorted((path / "entities").glob("*.yaml")):
        entity_rows += [(file, line, row) for line, row in builder.entity_rows(file)]
    for file, line, row in entity_rows:
        builder.shorthand_claims(file, line, row)
    for file in sorted((path / "claims").glob("*.yaml")):
        builder.claim_rows(file)
    return builder.result
