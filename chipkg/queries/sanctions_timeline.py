"""``sanctions-timeline``: the regulations that list or reach an entity, in date order.

Each regulation is evaluated on its own ``effective_from`` (or the query date when
it has none), with the pieces of the cut rule, and kept when it concerns the
entity. Relations, in this order:

* ``listed`` - it names the entity; ``parent-listed`` - it names a parent company;
* ``country-targeted`` - it targets a country the entity is located in (or is);
* ``restricted`` - it restricts the entity (a product) or something it is a variant or
  type of (not through a product it exempts); ``restricted-in-part`` - it restricts only
  some variants or members of the entity (the Dutch 2023 rule and DUV immersion systems);
* ``jurisdiction`` - its law reaches the entity by location; ``fdpr`` - by the foreign
  direct product rule (the entity depends on the issuer's tools or technology);
* ``issued-by`` - the entity issued it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chipkg.graph.view import GraphView
from chipkg.ontology import Entity
from chipkg.queries import render
from chipkg.queries.dates import as_of
from chipkg.queries.resolve import resolve_id
from chipkg.queries.results import Event, Ref, TimelineAnswer
from chipkg.queries.rules import Rules
from chipkg.queries.spec import ON, Arg, QuerySpec, normalise_on
from chipkg.queries.walk import ref

if TYPE_CHECKING:
    from chipkg.graph import Store


def relations(rules: Rules, reg: Entity, entity: str) -> list[str]:
    """How the regulation concerns the entity on the rules' date."""
    scope = rules.scope(reg)
    found = []
    if entity in scope.direct_targets:
        found.append("listed")
    elif entity in scope.targeted_companies:
        found.append("parent-listed")
    if any(c in scope.targeted_countries for c in rules.locations(entity)):
        found.append("country-targeted")
    if entity in scope.restricted_items:
        found.append("restricted")
    elif not scope.restricted_items.isdisjoint(rules.kinds_of(entity)):
        found.append("restricted-in-part")
    reach = rules.reaches(scope, entity)
    if reach == "located":
        found.append("jurisdiction")
    elif reach == "fdpr":
        found.append("fdpr")
    if any(r.object == entity for r in rules.holding(rules.g.out(reg.id, "ISSUED_BY"))):
        found.append("issued-by")
    return found


def item_date(g: GraphView, reg_id: str, entity: str) -> str | None:
    """The earliest per-item ``effective_from`` of the rule's RESTRICTS claims on the entity.

    Where the government set an item apart (the 2023 rule, immediate for the H800 on
    2023-10-23), the entity's event is dated by it rather than by the rule.
    """
    dates = [
        value
        for r in g.out(reg_id, "RESTRICTS")
        if r.object == entity
        and not r.negated
        and isinstance(value := r.properties.get("effective_from"), str)
    ]
    return min(dates) if dates else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def sanctions_timeline(g: GraphView, entity: str, on: str) -> TimelineAnswer:
    """Answer sanctions-timeline on the embedded view (``on``: date for undated rules)."""
    fallback = as_of(on)
    events = []
    for reg in g.of_label("Regulation"):
        start = item_date(g, reg.id, entity) or _text(reg.properties.get("effective_from"))
        found = relations(Rules(g, as_of(start) if start else fallback), reg, entity)
        if found:
            events.append(
                Event(
                    date=start,
                    until=_text(reg.properties.get("effective_to")),
                    regulation=Ref.of(reg, reg.id),
                    kind=_text(reg.properties.get("kind")),
                    citation=_text(reg.properties.get("citation")),
                    relations=found,
                )
            )
    events.sort(key=lambda e: (e.date is None, e.date or "", e.regulation.id))
    return TimelineAnswer(
        params={"entity": entity, "on": fallback}, entity=ref(g, entity), events=events
    )


@dataclass(frozen=True, kw_only=True)
class TimelineParams:
    """sanctions-timeline's parameters: the entity's id; ``on`` (for undated rules) empty means today."""

    entity: str
    on: str = ""

    def __post_init__(self) -> None:
        normalise_on(self)


def prepare(store: Store, entity: str, on: str | None = None) -> TimelineParams:
    """The parameters from what the user typed (an id, name or alias of any entity)."""
    return TimelineParams(entity=resolve_id(store, entity, (), "entity"), on=on or "")


def _python(store: Store, p: TimelineParams) -> TimelineAnswer:
    return sanctions_timeline(store.view(), p.entity, p.on)


SPEC = QuerySpec(
    name="sanctions-timeline",
    summary="listings and rules that reach an entity, in date order",
    args=(Arg("ENTITY"),),
    options=(ON,),
    params=TimelineParams,
    answer=TimelineAnswer,
    cypher="sanctions_timeline",
    prepare=prepare,
    python=_python,
    render=render.timeline,
)
