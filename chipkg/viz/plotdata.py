"""The numbers behind the plots, read from any store.

Kept apart from the drawing so tests can check what a plot shows without
looking at pixels. The canned queries (issue "canned queries") answer the same
questions for tables and JSON; these functions only gather what a plot needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chipkg.graph import Store
from chipkg.ontology import Entity
from chipkg.viz.cuts import RegulationIndex, provider_cuts
from chipkg.viz.model import Cut


@dataclass
class TimelineRow:
    """A regulation that reaches an entity, with the dates it is in force and why it counts."""

    regulation: str
    name: str
    kind: str | None
    start: str | None
    end: str | None
    why: str


def _live(store: Store, predicate: str, **ends: str) -> list[str]:
    """Other ends of non-negated claims of one type (subjects if ``object`` given)."""
    claims = store.claims(predicate=predicate, **ends)
    key = "subject" if "object" in ends else "object"
    return sorted({getattr(c, key) for c in claims if c.modality != "negated"})


def _reasons(store: Store, entity: Entity) -> dict[str, str]:
    """Regulation id → why it reaches the entity (first reason found wins)."""
    why: dict[str, str] = {}
    for reg in _live(store, "TARGETS", object=entity.id):
        why.setdefault(reg, f"lists {entity.name}")
    for parent in _live(store, "SUBSIDIARY_OF", subject=entity.id):
        name = _name(store, parent)
        for reg in _live(store, "TARGETS", object=parent):
            why.setdefault(reg, f"lists parent {name}")
    for country in _live(store, "LOCATED_IN", subject=entity.id):
        name = _name(store, country)
        for reg in _live(store, "TARGETS", object=country):
            why.setdefault(reg, f"covers buyers in {name}")
    for predicate in ("DESIGNS", "MANUFACTURES"):
        for item in _live(store, predicate, subject=entity.id):
            name = _name(store, item)
            for reg in _live(store, "RESTRICTS", object=item):
                why.setdefault(reg, f"restricts {name} ({predicate.lower()} by it)")
    return why


def _name(store: Store, entity_id: str) -> str:
    entity = store.get(entity_id)
    return entity.name if entity else entity_id


def sanctions_timeline(store: Store, entity: Entity) -> list[TimelineRow]:
    """Listings of the entity (or its parent), rules on its country and on what it makes."""
    rows = []
    for reg_id, why in _reasons(store, entity).items():
        reg = store.get(reg_id)
        if reg is None or reg.label != "Regulation":
            continue
        props = reg.properties
        rows.append(
            TimelineRow(
                reg.id,
                reg.name,
                props.get("kind"),
                props.get("effective_from"),
                props.get("effective_to"),
                why,
            )
        )
    return sorted(rows, key=lambda r: (r.start or "9999", r.regulation))


@dataclass
class Provider:
    """A maker of an input with its market share (None when unknown) and any cuts."""

    id: str
    name: str
    share: float | None
    cuts: list[Cut] = field(default_factory=list)


@dataclass
class InputRow:
    """One input in a product's tree and who provides it."""

    id: str
    name: str
    depth: int
    providers: list[Provider] = field(default_factory=list)


def input_tree(store: Store, product: str) -> list[tuple[str, int]]:
    """The product and its inputs (INPUT_TO, and subtypes via TYPE_OF), depth first."""
    order: list[tuple[str, int]] = []
    seen: set[str] = set()

    def visit(item: str, depth: int) -> None:
        if item in seen:
            return
        seen.add(item)
        order.append((item, depth))
        for sub in _live(store, "TYPE_OF", object=item):
            visit(sub, depth + 1)
        for part in _live(store, "INPUT_TO", object=item):
            visit(part, depth + 1)

    visit(product, 0)
    return order


def chokepoints(store: Store, product: str, on: str, country: str | None) -> list[InputRow]:
    """Providers and shares for each input, with providers cut off for ``country`` on ``on``."""
    index = RegulationIndex.build(store, on)
    rows = []
    for item, depth in input_tree(store, product):
        row = InputRow(item, index.name(item), depth)
        for claim in store.claims(predicate="MANUFACTURES", object=item):
            if claim.modality == "negated":
                continue
            share = claim.properties.get("market_share")
            row.providers.append(
                Provider(
                    claim.subject,
                    index.name(claim.subject),
                    float(share) if isinstance(share, int | float) else None,
                    provider_cuts(index, claim.subject, item, country),
                )
            )
        row.providers.sort(key=lambda p: (-(p.share or 0.0), p.name))
        rows.append(row)
    return rows
