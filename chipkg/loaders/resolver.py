"""Entity resolution: map any name or alias, in any language, to one canonical entity.

Matching is on the normalised name (see :mod:`chipkg.ontology.names`) of the
name and every alias; there is no fuzzy or word-overlap matching, so two
entities are never merged because their names share a word. Close matches are
only ever *suggested* to the user.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from chipkg.ontology import Entity
from chipkg.ontology.names import normalize_name


@dataclass
class Merge:
    """One resolution decision, kept so ``--explain-merges`` can show it."""

    name: str
    entity_id: str
    via: str


@dataclass
class Resolver:
    """An alias index over known entities; loaders add to it as they go."""

    entities: dict[str, Entity] = field(default_factory=dict)
    index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    merges: list[Merge] = field(default_factory=list)

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> Resolver:
        """A resolver that knows these entities."""
        resolver = cls()
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
        for name in self.names_of(merged):
            key = normalize_name(name)
            if key:
                self.index[key].add(merged.id)
        return merged

    def lookup(self, name: str, label: str | None = None) -> list[Entity]:
        """All entities whose name or alias normalises like ``name``."""
        ids = self.index.get(normalize_name(name), set())
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
        close = difflib.get_close_matches(key, list(self.index), n=limit, cutoff=0.6)
        seen: dict[str, Entity] = {}
        for match in close:
            for entity_id in sorted(self.index[match]):
                seen.setdefault(entity_id, self.entities[entity_id])
        return list(seen.values())[:limit]
