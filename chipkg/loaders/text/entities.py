"""The entities one extraction uses: known ones from the resolver, new ones minted here.

Every id a claim names goes through :class:`EntityBook`, so the extractor can emit an
entity record for each of them ("every id a claim uses appears in an entity line").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity
from chipkg.ontology.names import mint_id


@dataclass(frozen=True)
class ReferenceFacts:
    """Reference entities plus the few facts the extractor consults (never re-emits)."""

    entities: tuple[Entity, ...]
    country_of: dict[str, str]
    targets_of: dict[str, frozenset[str]]
    item_dates_of: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per-item effective dates a rule set on its RESTRICTS claims (reporters cite those too)."""


@cache
def reference_facts() -> ReferenceFacts:
    """The bundled reference data, read once per process.

    Rows another engineer has broken are skipped here rather than failing every text
    extraction; ``chipkg load --reference`` still reports them.
    """
    resolver = Resolver()
    result = load_reference(REFERENCE_DIR, resolver, skip_invalid=True)
    country: dict[str, str] = {}
    targets: dict[str, set[str]] = {}
    item_dates: dict[str, set[str]] = {}
    for claim in result.claims:
        if claim.predicate == "RESTRICTS" and claim.properties.get("effective_from"):
            item_dates.setdefault(claim.subject, set()).add(str(claim.properties["effective_from"]))
        if claim.predicate == "LOCATED_IN":
            country.setdefault(claim.subject, claim.object)
        elif claim.predicate == "TARGETS":
            targets.setdefault(claim.subject, set()).add(claim.object)
    return ReferenceFacts(
        entities=tuple(resolver.entities.values()),
        country_of=country,
        targets_of={k: frozenset(v) for k, v in targets.items()},
        item_dates_of={k: frozenset(v) for k, v in item_dates.items()},
    )


@dataclass
class EntityBook:
    """Known and new entities of one extraction, by id."""

    resolver: Resolver
    known: dict[str, Entity] = field(default_factory=dict)
    new: dict[str, Entity] = field(default_factory=dict)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, wherever it came from."""
        return self.new.get(entity_id) or self.known.get(entity_id) or self._lookup(entity_id)

    def _lookup(self, entity_id: str) -> Entity | None:
        found = self.resolver.entities.get(entity_id)
        if found is not None:
            self.known[entity_id] = found
        return found

    def label(self, entity_id: str) -> str | None:
        """The label of a known entity."""
        entity = self.get(entity_id)
        return entity.label if entity else None

    def roles(self, entity_id: str) -> frozenset[str]:
        """The company roles recorded for ``entity_id``."""
        entity = self.get(entity_id)
        roles = entity.properties.get("roles", []) if entity else []
        return frozenset(roles)

    def category(self, entity_id: str) -> str | None:
        """A product's category, when recorded."""
        entity = self.get(entity_id)
        value = entity.properties.get("category") if entity else None
        return value if isinstance(value, str) else None

    def country_of(self, entity_id: str) -> str | None:
        """Where the reference data places a company or body."""
        return reference_facts().country_of.get(entity_id)

    def ensure(
        self,
        label: str,
        name: str,
        props: dict[str, Any] | None = None,
        entity_id: str | None = None,
    ) -> str:
        """The id of the entity called ``name`` (an existing one, else a new one)."""
        if entity_id is None:
            found = self.resolver.resolve(name, label)
            if found is not None:
                self.known[found.id] = found
                return found.id
            entity_id = mint_id(label, name)
        existing = self.get(entity_id)
        if existing is not None and existing.label != label:
            entity_id = mint_id(label, f"{name} {label.lower()}")
            existing = self.get(entity_id)
        if existing is not None:
            if props and entity_id in self.new:
                self.new[entity_id] = existing.merged_with(
                    Entity(id=entity_id, label=label, name=existing.name, properties=props)
                )
            return entity_id
        self.new[entity_id] = Entity(id=entity_id, label=label, name=name, properties=props or {})
        self.resolver.add(self.new[entity_id])
        return entity_id
