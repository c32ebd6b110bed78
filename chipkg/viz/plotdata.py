"""The numbers behind the plots, taken from the canned queries.

The sanctions timeline is ``chipkg.queries.sanctions_timeline``'s answer; the
chokepoints plot uses the chokepoints query's own pieces (input tree, providers,
assessment) for every input, not only the chokepoints, so the bars show each
input's providers and the marks agree with ``chipkg ask chokepoints``. Kept apart
from the drawing so tests check what a plot shows without looking at pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chipkg.graph import Store
from chipkg.ontology import Entity
from chipkg.queries import sanctions_timeline as timeline_query
from chipkg.queries.chokepoints import DEFAULT_THRESHOLD, assess, input_tree
from chipkg.queries.chokepoints import providers as providers_of
from chipkg.queries.dates import as_of
from chipkg.queries.rules import Rules
from chipkg.queries.walk import ref

RELATIONS = {
    "listed": "lists it",
    "parent-listed": "lists its parent",
    "country-targeted": "targets its country",
    "restricted": "restricts it",
    "restricted-in-part": "restricts some of its variants",
    "jurisdiction": "its law applies there",
    "fdpr": "reaches it by the foreign direct product rule",
    "issued-by": "issued by it",
}


@dataclass
class TimelineRow:
    """A regulation that reaches an entity, with the dates it is in force and why it counts."""

    regulation: str
    name: str
    kind: str | None
    start: str | None
    end: str | None
    why: str


def sanctions_timeline(store: Store, entity: Entity, on: str | None = None) -> list[TimelineRow]:
    """The sanctions-timeline answer as plot rows, in date order."""
    answer = timeline_query(store, entity.id, on=on)
    return [
        TimelineRow(
            regulation=event.regulation.id,
            name=event.regulation.name,
            kind=event.kind,
            start=event.date,
            end=event.until,
            why="; ".join(RELATIONS.get(r, r) for r in event.relations),
        )
        for event in answer.events
    ]


@dataclass
class Provider:
    """A maker of an input with its market share (None when unknown) and the rules cutting it."""

    id: str
    name: str
    share: float | None
    cut_by: list[str] = field(default_factory=list)


@dataclass
class InputRow:
    """One input in a product's tree, who provides it, and why it is a chokepoint (if it is)."""

    id: str
    name: str
    providers: list[Provider] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def chokepoints(
    store: Store,
    product: str,
    on: str | None,
    country: str | None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[InputRow]:
    """Every input of the product (product first) with providers, shares and cuts for ``country``."""
    graph = store.view()
    rules = Rules(graph, as_of(on))
    rows = []
    for item in input_tree(rules, product):
        found = providers_of(rules, item, country)
        verdict = assess(ref(graph, item), found, threshold, country)
        providers = [
            Provider(p.provider.id, p.provider.name, p.market_share, [r.id for r in p.cut_by])
            for p in found
        ]
        providers.sort(key=lambda p: (-(p.share or 0.0), p.name))
        rows.append(InputRow(item, verdict.input.name, providers, verdict.reasons))
    rows.sort(key=lambda r: (r.id != product, r.name.lower()))
    return rows
