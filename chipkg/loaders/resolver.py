"""Entity resolution: map any name or alias, in any language, to one canonical entity.

Matching is on the normalised name (see :mod:`chipkg.ontology.names`) of the
name and every alias; there is no fuzzy or word-overlap matching, so two
entities are never merged because their names share a word. Close matches are
only ever *suggested* to the user.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Protocol

from chipkg.loaders.disk_index import HOT_SMALL, DiskIndex, DiskMap, DiskNames
from chipkg.ontology import Entity
from chipkg.ontology.names import normalize_name


class NameIndex(Protocol):
    """Normalised name -> the ids of the entities it denotes."""

    def ids(self, key: str) -> set[str]: ...
    def add(self, key: str, entity_id: str) -> None: ...
    def keys(self) -> list[str]: ...


class MemoryNames:
    """The name index in memory (every load but a streamed one)."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str]] = {}

    def ids(self, key: str) -> set[str]:
        return set(self._ids.get(key, ()))

    def add(self, key: str, entity_id: str) -> None:
        self._ids.setdefault(key, set()).add(entity_id)

    def keys(self) -> list[str]:
        return list(self._ids)


@dataclass
class Merge:
    """One resolution decision, kept so ``--explain-merges`` can show it."""

    name: str
    entity_id: str
    via: str


class MergeLog(Protocol):
    """The resolution decisions, in the order they were taken."""

    def append(self, merge: Merge, /) -> None: ...
    def __iter__(self) -> Iterator[Merge]: ...
    def __len__(self) -> int: ...


class DiskMerges:
    """The merge log on disk, each distinct decision once, in first-taken order.

    In memory the log repeats a decision each time it is taken (every party located in
    "cn" adds ``cn -> country/cn``); streamed, that would grow with the file. The
    ``--explain-merges`` listing shows each decision once either way.
    """

    def __init__(self, index: DiskIndex) -> None:
        self.db = index.db
        columns = "name TEXT, entity_id TEXT, via TEXT, UNIQUE (name, entity_id, via)"
        self.name = index.table("merges", columns)

    def append(self, merge: Merge, /) -> None:
        self.db.execute(
            f"INSERT OR IGNORE INTO {self.name} VALUES (?, ?, ?)",
            (merge.name, merge.entity_id, merge.via),
        )

    def __iter__(self) -> Iterator[Merge]:
        last = 0
        while rows := self.db.execute(
            f"SELECT rowid, * FROM {self.name} WHERE rowid > ? ORDER BY rowid LIMIT 1000",
            (last,),
        ).fetchall():
            for rowid, name, entity_id, via in rows:
                last = rowid
                yield Merge(name=name, entity_id=entity_id, via=via)

    def __len__(self) -> int:
        (count,) = self.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()
        return int(count)


@dataclass
class Resolver:
    """An alias index over known entities; loaders add to it as they go."""

    entities: MutableMapping[str, Entity] = field(default_factory=dict)
    index: NameIndex = field(default_factory=MemoryNames)
    merges: MergeLog = field(default_factory=lambda: list[Merge]())
    #: Entity id -> label, so a claim's endpoints are checked without reading the entities.
    labels: MutableMapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entities: Iterable[Entity], disk: DiskIndex | None = None) -> Resolver:
        """A resolver that knows these entities; with ``disk``, its indexes live in that file.

        A streamed load keeps them on disk: every party of a multi-gigabyte file is
        indexed by name, which would otherwise grow memory with the file.
        """
        if disk is None:
            resolver = cls()
        else:
            resolver = cls(
                DiskMap(disk, "entities"),
                DiskNames(disk),
                DiskMerges(disk),
                DiskMap(disk, "labels", hot=HOT_SMALL),
            )
        for entity in entities:
            resolver.add(entity)
        return resolver

    @staticmethod
    def names_of(entity: Entity) -> list[str]:
        """Every string that should resolve to ``entity``."""
        names = [entity.name, *entity.aliases]
        for code in ("iso2", "iso3"):
            value = entity.properties.get(code)
            if isinstance(value, str):
                names.append(value)
        return names

    def add(self, entity: Entity) -> Entity:
        """Index an entity (merging with an earlier record of the same id)."""
        known = self.entities.get(entity.id)
        merged = entity if known is None else known.merged_with(entity)
        self.entities[entity.id] = merged
        if known is None:  # a label never changes: merging raises on a clash
            self.labels[entity.id] = merged.label
        for name in self.names_of(merged):
            key = normalize_name(name)
            if key:
                self.index.add(key, merged.id)
        return merged

    def lookup(self, name: str, label: str | None = None) -> list[Entity]:
        """All entities whose name or alias normalises like ``name``."""
        ids = self.index.ids(normalize_name(name))
        found = [self.entities[i] for i in sorted(ids)]
        return [e for e in found if label is None or e.label == label]

    def resolve(self, name: str, label: str | None = None) -> Entity | None:
        """The one entity ``name`` denotes, or None when unknown or ambiguous."""
        found = self.lookup(name, label)
        if len(found) != 1:
            return None
        entity = found[0]
        if normalize_name(entity.name) != normalize_name(name):
            self.merges.append(Merge(name=name, entity_id=entity.id, via="alias"))
        return entity

    def suggest(self, name: str, limit: int = 5) -> list[Entity]:
        """Entities with a similar name, for 'did you mean' messages."""
        key = normalize_name(name)
        close = difflib.get_close_matches(key, self.index.keys(), n=limit, cutoff=0.6)
        seen: dict[str, Entity] = {}
        for match in close:
            for entity_id in sorted(self.index.ids(match)):
                seen.setdefault(entity_id, self.entities[entity_id])
        return list(seen.values())[:limit]
