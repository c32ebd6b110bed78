"""Which regulations cut a supply link on a date, for marking links red on a picture.

The rule is the one the canned queries define (README "reachable suppliers"): a
regulation in force whose jurisdiction reaches the supplier cuts the link when it
targets the customer (or its parent), or targets the customer's country and
restricts the item (or a product the item is a variant or type of). This module
only reads the store, so both backends draw the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity
from chipkg.viz.model import Cut

SUPPLY_TYPES = ("SUPPLIES",)


def date_low(value: str) -> str:
    """The first day a partial date covers (2023 → 2023-01-01)."""
    return value + ("-01-01", "-01", "")[min(value.count("-"), 2)]


def date_high(value: str) -> str:
    """The last day a partial date covers (2023 → 2023-12-31; months end at day 31)."""
    return value + ("-12-31", "-31", "")[min(value.count("-"), 2)]


def in_force(start: str | None, end: str | None, on: str) -> bool:
    """True when ``on`` lies between ``start`` and ``end`` (open ends allowed)."""
    day = date_low(on)
    if start is not None and date_low(start) > day:
        return False
    return end is None or day <= date_high(end)


def claim_valid(claim: Claim, on: str) -> bool:
    """A claim counts on a date inside its own validity."""
    return in_force(claim.valid_from, claim.valid_to, on)


@dataclass
class RegulationIndex:
    """The regulations in force on a date with their targets, restrictions and reach."""

    store: Store
    on: str
    regulations: list[Entity] = field(default_factory=list)
    _located: dict[str, set[str]] = field(default_factory=dict)
    _entities: dict[str, Entity | None] = field(default_factory=dict)

    @classmethod
    def build(cls, store: Store, on: str) -> RegulationIndex:
        """Index the regulations in force on ``on``."""
        index = cls(store, on)
        for reg in store.entities("Regulation"):
            start, end = reg.properties.get("effective_from"), reg.properties.get("effective_to")
            if in_force(start, end, on):
                index.regulations.append(reg)
        return index

    def entity(self, entity_id: str) -> Entity | None:
        """A stored entity, fetched once."""
        if entity_id not in self._entities:
            self._entities[entity_id] = self.store.get(entity_id)
        return self._entities[entity_id]

    def name(self, entity_id: str) -> str:
        """Display name of an id, for reasons a reader can follow."""
        entity = self.entity(entity_id)
        return entity.name if entity else entity_id

    def is_country(self, entity_id: str) -> bool:
        """True for Country nodes (regulations that target a whole country)."""
        entity = self.entity(entity_id)
        return entity is not None and entity.label == "Country"

    def countries(self, entity_id: str) -> set[str]:
        """Countries an entity is located in."""
        if entity_id not in self._located:
            claims = self.store.claims(predicate="LOCATED_IN", subject=entity_id)
            self._located[entity_id] = {c.object for c in claims if c.modality != "negated"}
        return self._located[entity_id]

    def out(self, entity_id: str, predicate: str) -> set[str]:
        """Objects of valid, non-negated claims of one type from an entity."""
        claims = self.store.claims(predicate=predicate, subject=entity_id)
        return {c.object for c in claims if c.modality != "negated" and claim_valid(c, self.on)}

    def reaches(self, reg: Entity, supplier: str) -> str | None:
        """Why the regulation's law reaches the supplier, or None."""
        country = reg.properties.get("jurisdiction")
        if not isinstance(country, str):
            return None
        if country in self.countries(supplier):
            return f"{self.name(supplier)} is in {self.name(country)}"
        if reg.properties.get("fdpr"):
            for item in self.out(supplier, "USES"):
                makers = self._makers(item)
                if any(country in self.countries(m) for m in makers):
                    what = f"{self.name(supplier)} uses {self.name(item)}"
                    return f"{what} from {self.name(country)} (foreign direct product rule)"
        return None

    def _makers(self, item: str) -> set[str]:
        found: set[str] = set()
        for predicate in ("DESIGNS", "MANUFACTURES"):
            claims = self.store.claims(predicate=predicate, object=item)
            found |= {c.subject for c in claims if c.modality != "negated"}
        return found

    def lineage(self, item: str) -> set[str]:
        """The item and every product it is a variant or type of, transitively."""
        seen, todo = {item}, [item]
        while todo:
            current = todo.pop()
            for predicate in ("VARIANT_OF", "TYPE_OF"):
                for parent in self.out(current, predicate) - seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def targets(self, reg: Entity) -> set[str]:
        """Ids the regulation targets."""
        return self.out(reg.id, "TARGETS")

    def restricts(self, reg: Entity) -> set[str]:
        """Ids the regulation restricts."""
        return self.out(reg.id, "RESTRICTS")


def cuts_for(index: RegulationIndex, claim: Claim) -> list[Cut]:
    """The regulations that cut one supply link on the index's date."""
    if claim.predicate not in SUPPLY_TYPES or claim.modality == "negated":
        return []
    customer = claim.object
    parents = index.out(customer, "SUBSIDIARY_OF")
    item = claim.properties.get("item")
    found: list[Cut] = []
    for reg in index.regulations:
        reach = index.reaches(reg, claim.subject)
        if reach is None:
            continue
        targets = index.targets(reg)
        if customer in targets or parents & targets:
            who = customer if customer in targets else sorted(parents & targets)[0]
            found.append(Cut(reg.id, f"{index.name(who)} is a target; {reach}"))
            continue
        countries = index.countries(customer) & targets
        if countries and isinstance(item, str):
            hit = index.lineage(item) & index.restricts(reg)
            if hit:
                what = index.name(sorted(hit)[0])
                where = index.name(sorted(countries)[0])
                found.append(Cut(reg.id, f"{what} is restricted for buyers in {where}; {reach}"))
    return found


def mark_cuts(store: Store, on: str, claims: Iterable[Claim]) -> dict[str, list[Cut]]:
    """Cuts by claim key for the supply links among ``claims``."""
    index = RegulationIndex.build(store, on)
    result: dict[str, list[Cut]] = {}
    for claim in claims:
        cuts = cuts_for(index, claim)
        if cuts:
            result[claim.key] = cuts
    return result


def provider_cuts(
    index: RegulationIndex, provider: str, item: str, country: str | None
) -> list[Cut]:
    """Regulations that stop ``provider`` selling ``item`` to buyers in ``country``.

    With no country, any country a regulation targets counts: the provider is cut
    off for someone.
    """
    found: list[Cut] = []
    lineage = index.lineage(item)
    for reg in index.regulations:
        reach = index.reaches(reg, provider)
        hit = lineage & index.restricts(reg)
        if reach is None or not hit:
            continue
        targets = index.targets(reg)
        places = sorted(t for t in targets if index.is_country(t))
        where = [country] if country in targets else [] if country else places
        if where:
            what, buyers = index.name(sorted(hit)[0]), index.name(where[0])
            found.append(Cut(reg.id, f"{what} is restricted for buyers in {buyers}; {reach}"))
    return found
