"""Result shapes of the canned queries: one pydantic model per answer, one stable JSON.

Both backends build these models (the embedded code directly, the Neo4j runner
from Cypher rows), so ``--json`` is identical whichever store answered. Every
answer has ``query`` and ``params``; entities appear as ``{id, name, label}``;
lists are sorted so two runs print the same bytes.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from chipkg.ontology import Entity
from chipkg.queries.tables import TableMixin


class Ref(BaseModel):
    """An entity as answers show it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    label: str | None = None

    @classmethod
    def of(cls, entity: Entity | None, entity_id: str) -> Ref:
        """A reference to ``entity`` (or a bare id when the graph does not know it)."""
        if entity is None:
            return cls.model_construct(id=entity_id, name=entity_id, label=None)
        return cls.model_construct(id=entity.id, name=entity.name, label=entity.label)


class Answer(TableMixin, BaseModel):
    """Fields every answer has."""

    query: str
    params: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        return self.model_dump(mode="json")


class Step(BaseModel):
    """One tier of a witness path: a supplier delivering to a customer."""

    supplier: Ref
    customer: Ref
    items: list[str]
    sources: list[str]
    derived: bool
    claims: list[str]


class Reached(BaseModel):
    """A supplier still reachable, with one witness path from it to the buyer.

    ``items``: what its witness step carries; ``cut_items``: its items cut by a
    regulation (the ``blocked`` entries say by which and why).
    """

    supplier: Ref
    hops: int
    path: list[Step]
    items: list[str]
    cut_items: list[str] = Field(default_factory=list)
    sources: list[str]


class LinkOut(BaseModel):
    """One supply link as shown for a cut."""

    supplier: Ref
    customer: Ref
    item: str | None
    derived: bool
    sources: list[str]
    claims: list[str]


class Blocked(BaseModel):
    """An item of a supplier cut by regulations (one entry per supplier and item)."""

    supplier: Ref
    hops: int
    item: str | None
    reachable: bool
    link: LinkOut
    regulations: list[Ref]
    reason: str


class ReachableAnswer(Answer):
    """``reachable-suppliers``: who the buyer can still reach, and who is cut off."""

    query: str = "reachable-suppliers"
    buyer: Ref
    group: list[Ref] = Field(default_factory=list)
    reachable: list[Reached]
    blocked: list[Blocked]
    licence_required: list[Blocked] = Field(default_factory=list)
    not_assessed: list[Ref] = Field(default_factory=list)


class Dependent(BaseModel):
    """A customer that depends (directly or through tiers) on the entity."""

    customer: Ref
    hops: int
    path: list[Step]
    items: list[str]
    sources: list[str]


class CutOff(BaseModel):
    """An item to a customer cut by regulations (one entry per customer and item)."""

    customer: Ref
    hops: int
    item: str | None
    reachable: bool
    link: LinkOut
    regulations: list[Ref]
    reason: str


class ExposureAnswer(Answer):
    """``exposure``: who depends on a company, with paths, and whose links are cut."""

    query: str = "exposure"
    entity: Ref
    group: list[Ref] = Field(default_factory=list)
    dependents: list[Dependent]
    cut_off: list[CutOff]
    licence_required: list[CutOff] = Field(default_factory=list)
    not_assessed: list[Ref] = Field(default_factory=list)


class Provider(BaseModel):
    """A maker of an input, with its market share and whether buyers in C are cut off."""

    provider: Ref
    market_share: float | None
    sources: list[str]
    cut_by: list[Ref]


class Chokepoint(BaseModel):
    """An input with one dominant provider, or whose every provider is cut off."""

    input: Ref
    providers: list[Provider]
    reasons: list[str]
    dominant: Ref | None


class ChokepointsAnswer(Answer):
    """``chokepoints``: the risky inputs in a product's input tree."""

    query: str = "chokepoints"
    product: Ref
    inputs: list[Ref]
    chokepoints: list[Chokepoint]


class Alternative(BaseModel):
    """A provider the buyer can still get the item (or a substitute) from."""

    provider: Ref
    items: list[str]
    relations: list[str]
    sources: list[str]


class Unavailable(BaseModel):
    """A provider of a substitute that export controls cut off for this buyer."""

    provider: Ref
    item: str
    regulations: list[Ref]
    reason: str


class AlternativesAnswer(Answer):
    """``alternatives``: providers of the item or its substitutes, not cut off for the buyer."""

    query: str = "alternatives"
    buyer: Ref
    item: Ref
    substitutes: list[str]
    alternatives: list[Alternative]
    blocked: list[Unavailable]


class ClaimView(BaseModel):
    """One claim about the entity, seen from the entity."""

    other: Ref
    key: str
    properties: dict[str, Any]
    modality: str
    confidence: float
    attributed_to: str | None
    valid_from: str | None
    valid_to: str | None
    derived: bool
    sources: list[str]


class RelationGroup(BaseModel):
    """All claims of one relationship type in one direction."""

    relationship: str
    direction: str
    claims: list[ClaimView]


class DossierAnswer(Answer):
    """``dossier``: everything the graph holds about an entity."""

    query: str = "dossier"
    entity: Ref
    aliases: list[str]
    properties: dict[str, Any]
    relationships: list[RelationGroup]


class Event(BaseModel):
    """One regulation in an entity's sanctions timeline, and how it concerns the entity."""

    date: str | None
    until: str | None
    regulation: Ref
    kind: str | None
    citation: str | None
    relations: list[str]


class TimelineAnswer(Answer):
    """``sanctions-timeline``: listings and rules that reach an entity, in date order."""

    query: str = "sanctions-timeline"
    entity: Ref
    events: list[Event]


class Hypothetical(BaseModel):
    """The regulation a what-if adds."""

    regulation: Ref
    jurisdiction: str
    fdpr: bool
    target: Ref
    restrict: str | None


class Tally(BaseModel):
    """Sizes of one reachable-suppliers answer."""

    reachable: int
    blocked: int


class Lost(BaseModel):
    """A supplier reachable before the hypothetical regulation and not after."""

    supplier: Ref
    hops: int
    regulations: list[Ref]
    reason: str


class Denied(BaseModel):
    """A supplier's item that needed a licence before the hypothetical rule and is denied after."""

    supplier: Ref
    hops: int
    item: str | None
    regulations: list[Ref]
    reason: str


class Gained(BaseModel):
    """A supplier reachable only after (e.g. a listing ends a foreign-product dependence)."""

    supplier: Ref
    hops: int


class Changed(BaseModel):
    """A supplier still reachable, at a different tier."""

    supplier: Ref
    hops_before: int
    hops_after: int


class WhatIfAnswer(Answer):
    """``what-if``: reachable suppliers before and after a hypothetical regulation."""

    query: str = "what-if"
    buyer: Ref
    hypothetical: Hypothetical
    before: Tally
    after: Tally
    lost: list[Lost]
    gained: list[Gained]
    changed: list[Changed]
    #: Licence requirements the hypothetical rule turns into denials (the supplier was not
    #: reachable before either, so it is not among ``lost``).
    denied: list[Denied] = Field(default_factory=list)


class Side(BaseModel):
    """One side of a contradiction: a value (modality, property value, maker) and its sources."""

    value: Any
    sources: list[str]


class Conflict(BaseModel):
    """Claims that contradict each other, with the sources of each side."""

    kind: str
    predicate: str
    subject: Ref | None
    object: Ref
    property: str | None
    sides: list[Side]


class ConflictsAnswer(Answer):
    """``conflicts``: contradictions in the graph (optionally about one entity)."""

    query: str = "conflicts"
    entity: Ref | None
    conflicts: list[Conflict]


M = TypeVar("M", bound=BaseModel)
Plan = list[tuple[str, str, Any]]
_PLANS: dict[type[BaseModel], Plan] = {}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class an annotation holds (``X``, ``X | None``), or None."""
    candidates = (
        get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    )
    return next((a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)), None)


def _plan(cls: type[BaseModel]) -> Plan:
    """How to turn each field of ``cls`` from plain data into model values (computed once)."""
    if cls not in _PLANS:
        plan: Plan = []
        for name, field in cls.model_fields.items():
            annotation = field.annotation
            if get_origin(annotation) is list and (inner := _model_in(get_args(annotation)[0])):
                plan.append((name, "list", inner))
            elif inner := _model_in(annotation):
                plan.append((name, "model", inner))
            else:
                plan.append((name, "plain", None))
        _PLANS[cls] = plan
    return _PLANS[cls]


#: Models that repeat inside one answer (every path names the same companies and steps):
#: built once per distinct key and shared, as the embedded side shares them.
SHARED: dict[type[BaseModel], Any] = {
    Ref: lambda d: (d["id"], d["name"], d["label"]),
    Step: lambda d: (d["supplier"]["id"], d["customer"]["id"], tuple(d["claims"])),
}


def build(cls: type[M], data: dict[str, Any], memo: dict[Any, Any] | None = None) -> M:
    """A model from trusted nested data (Cypher rows) without re-validating every field.

    Answers at scale hold tens of thousands of nested objects; the Cypher files
    already produce the exact shape, so validation would only cost time.
    """
    memo = {} if memo is None else memo
    keyer = SHARED.get(cls)
    key = (cls, keyer(data)) if keyer is not None else None
    if key is not None and key in memo:
        found: M = memo[key]
        return found
    values: dict[str, Any] = {}
    for name, kind, inner in _plan(cls):
        if name not in data:
            continue
        value = data[name]
        if value is None or kind == "plain":
            values[name] = value
        elif kind == "list":
            values[name] = [v if isinstance(v, inner) else build(inner, v, memo) for v in value]
        else:
            values[name] = value if isinstance(value, inner) else build(inner, value, memo)
    model = cls.model_construct(**values)
    if key is not None:
        memo[key] = model
    return model


def expand_paths(row: dict[str, Any], key: str) -> tuple[dict[str, Any], dict[Any, Any]]:
    """Turn ``via`` id chains of a Cypher row into paths of shared Steps (shaping only).

    The Cypher files send each witness step once (``steps``: id -> step) and each
    answer's path as the ids it passes (``via``); this rebuilds ``path``, its first or
    last step's ``items`` and the path's ``sources`` exactly as the embedded side does.
    """
    memo: dict[Any, Any] = {}
    steps = {k: build(Step, v, memo) for k, v in row["steps"].items()}
    first = key == "reachable"
    entries = []
    for entry in row[key]:
        path = [steps[n] for n in entry["via"]]
        end = path[0] if first else path[-1]
        entries.append(
            {
                **{k: v for k, v in entry.items() if k != "via"},
                "path": path,
                "items": entry.get("items", end.items),
                "sources": sorted({s for st in path for s in st.sources}),
            }
        )
    return {**row, key: entries}, memo
