"""Entities and claims: the records every loader produces and every store keeps.

A claim is one relationship with all the evidence behind it. Its modality,
confidence, validity and properties are *derived* from its evidence, so merging
the same fact from a second source is a union of evidence followed by
re-aggregation, which is idempotent and independent of load order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chipkg.errors import OntologyError
from chipkg.ontology.schema import DATE_RE, MODALITIES, ONTOLOGY, Modality

ID_RE = re.compile(r"^[a-z][a-z0-9_]*/\S+$")
CERTAINTY: dict[str, int] = {"asserted": 4, "reported": 3, "rumored": 2, "speculative": 1}


def _check_date(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else value
    if not isinstance(text, str) or not DATE_RE.match(text):
        raise ValueError(f"{what} must be a date YYYY[-MM[-DD]], got {value!r}")
    return text


class Entity(BaseModel):
    """A node: canonical id, one ontology label, a name, aliases and typed properties."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(f"entity id must look like 'kind/slug', got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_against_ontology(self) -> Entity:
        ONTOLOGY.entity_type(self.label)
        specs = ONTOLOGY.entity_properties(self.label)
        clean: dict[str, Any] = {}
        for key, value in self.properties.items():
            spec = specs.get(key)
            if spec is None or key in ("name", "aliases"):
                raise OntologyError(f"{self.label} has no property {key!r} (entity {self.id})")
            checked = spec.check(value, self.label)
            if checked is not None:
                clean[key] = checked
        self.properties = clean
        self.aliases = sorted({a for a in self.aliases if a and a != self.name})
        return self

    def merged_with(self, other: Entity) -> Entity:
        """The union of two records of one entity: first name wins, aliases and lists unite."""
        return merge_entities([self, other])


def merge_entities(records: Sequence[Entity]) -> Entity:
    """Records of one entity merged in one pass (linear in their number).

    The first name wins and the others become aliases; a property keeps its first
    value, except lists, which unite. Same result as merging pairwise, in order.
    """
    first = records[0]
    if len(records) == 1:
        return first
    props = dict(first.properties)
    unions: dict[str, set[Any]] = {}
    aliases = set(first.aliases)
    for other in records[1:]:
        if other.label != first.label:
            raise OntologyError(
                f"entity {first.id} is a {first.label}, cannot also be a {other.label}"
            )
        for key, value in other.properties.items():
            if key not in props:
                props[key] = value
            elif isinstance(value, list):
                unions.setdefault(key, set()).update(value)
        aliases.update(other.aliases)
        if other.name != first.name:
            aliases.add(other.name)
    for key, extra in unions.items():
        props[key] = sorted(set(props[key]) | extra)
    return Entity(
        id=first.id, label=first.label, name=first.name, aliases=sorted(aliases), properties=props
    )


class Evidence(BaseModel):
    """One source's support for a claim: where (quote or row, span), how and how sure."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, description="Id of the Source entity")
    quote: str | None = None
    row: int | None = None
    start: int | None = None
    end: int | None = None
    language: str | None = None
    extractor: str | None = None
    extractor_version: str | None = None
    modality: Modality = "asserted"
    attributed_to: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    properties: dict[str, Any] = Field(default_factory=dict)
    valid_from: str | None = None
    valid_to: str | None = None

    _dates = field_validator("valid_from", "valid_to", mode="before")(
        lambda v, info: _check_date(v, info.field_name)
    )

    @property
    def key(self) -> tuple[str, int, int, int, str]:
        """Two pieces of evidence with the same key are the same observation."""
        return (self.source, self.row or -1, self.start or -1, self.end or -1, self.quote or "")


_CLAIM_DEFAULTS = (
    "modality",
    "attributed_to",
    "confidence",
    "properties",
    "valid_from",
    "valid_to",
)


class Claim(BaseModel):
    """A typed relationship between two entities, aggregated over its evidence."""

    model_config = ConfigDict(extra="forbid")

    subject: str
    predicate: str
    object: str
    properties: dict[str, Any] = Field(default_factory=dict)
    modality: Modality = "asserted"
    attributed_to: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    valid_from: str | None = None
    valid_to: str | None = None
    derived: bool = False
    evidence: list[Evidence] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _spread_defaults(cls, data: Any) -> Any:
        """Claim-level fields act as defaults for evidence that does not set them."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        data.pop("kind", None)
        data.pop("sources", None)
        data.pop("key", None)
        raw = data.get("evidence")
        items = [raw] if isinstance(raw, dict) else list(raw or [])
        filled = []
        for item in items:
            if isinstance(item, dict):
                item = dict(item)
                for name in _CLAIM_DEFAULTS:
                    if item.get(name) is None and data.get(name) is not None:
                        item[name] = data[name]
            filled.append(item)
        data["evidence"] = filled
        return data

    @model_validator(mode="after")
    def _normalise(self) -> Claim:
        rtype = ONTOLOGY.relationship(self.predicate)
        if rtype.symmetric and self.object < self.subject:
            self.subject, self.object = self.object, self.subject
        where = f"{self.predicate}"
        for ev in self.evidence:
            if ev.properties:  # an empty dict stays as it is
                ev.properties = _check_props(self.predicate, ev.properties, where)
        if len(self.evidence) > 1:
            self.evidence = _dedupe(self.evidence)
        _aggregate(self)
        return self

    @property
    def key(self) -> str:
        """Identity of the fact: one edge per key, whatever the number of sources."""
        return claim_key(self.predicate, self.subject, self.object, self.properties)

    @property
    def sources(self) -> list[str]:
        """Ids of the Source entities behind this claim."""
        return sorted({ev.source for ev in self.evidence})

    def provenance(self) -> dict[str, Any]:
        """The aggregates every exported or stored edge carries besides its own properties
        (modality, confidence, attribution, validity, derived flag, sources), in one order."""
        return {
            "modality": self.modality,
            "confidence": self.confidence,
            "attributed_to": self.attributed_to,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "derived": self.derived,
            "sources": self.sources,
        }

    def merged_with(self, other: Claim) -> Claim:
        """Same fact, more evidence: union the evidence and aggregate again."""
        return merge_claims([self, other])

    def renormalised(self) -> Claim:
        """Recompute the aggregate fields from the evidence."""
        _aggregate(self)
        return self


def claim_key(predicate: str, subject: str, obj: str, properties: dict[str, Any]) -> str:
    """``Claim.key`` from the four fields it depends on (a store opening a million stored
    claims computes it without building each one)."""
    parts = [predicate, subject, obj]
    parts += [f"{k}={properties.get(k, '')}" for k in ONTOLOGY.relationship(predicate).key]
    return "|".join(parts)


def merge_claims(claims: Sequence[Claim]) -> Claim:
    """Claims of one key merged in one pass: evidence united, aggregates computed once.

    Merging pairwise re-sorts and re-aggregates the growing evidence list at every
    step, which is quadratic for a fact with many sources; this is linear (plus one sort).
    """
    first = claims[0]
    if len(claims) == 1:
        return first
    key = first.key
    evidence: list[Evidence] = []
    for claim in claims:
        if claim is not first and claim.key != key:
            raise OntologyError(f"cannot merge claims {key} and {claim.key}")
        evidence.extend(claim.evidence)
    return first.model_copy(
        update={"evidence": _dedupe(evidence), "derived": all(c.derived for c in claims)}
    ).renormalised()


def _check_props(predicate: str, props: dict[str, Any], where: str) -> dict[str, Any]:
    specs = ONTOLOGY.relationship(predicate).properties
    clean: dict[str, Any] = {}
    for key, value in props.items():
        spec = specs.get(key)
        if spec is None:
            raise OntologyError(f"{predicate} has no property {key!r}")
        checked = spec.check(value, where)
        if checked is not None:
            clean[key] = checked
    return clean


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: dict[tuple[str, int, int, int, str], Evidence] = {}
    for ev in evidence:
        seen.setdefault(ev.key, ev)
    return [seen[k] for k in sorted(seen)]


def _aggregate(claim: Claim) -> None:
    """Derive modality, confidence, attribution, properties and validity from evidence.

    The fields are set in one ``__dict__`` update (pydantic's ``__setattr__`` costs
    about a microsecond a field, and a load sets six per claim).
    """
    evidence = claim.evidence
    values = _aggregate_one(evidence[0]) if len(evidence) == 1 else _aggregate_many(evidence)
    claim.__dict__.update(values)
    claim.__pydantic_fields_set__.update(values)


def _aggregate_one(ev: Evidence) -> dict[str, Any]:
    """:func:`_aggregate_many` of a single piece of evidence (most claims), without the loops."""
    return {
        "modality": ev.modality,
        "confidence": round(1.0 - (1.0 - ev.confidence), 6),
        "attributed_to": ev.attributed_to or None,
        "properties": dict(ev.properties),
        "valid_from": ev.valid_from or None,
        "valid_to": ev.valid_to or None,
    }


def _aggregate_many(evidence: list[Evidence]) -> dict[str, Any]:
    positive = [ev for ev in evidence if ev.modality != "negated"]
    pool = positive or evidence
    modality: str = "negated"
    if positive:
        modality = max((ev.modality for ev in positive), key=lambda m: CERTAINTY[m])
    disbelief = 1.0
    for ev in pool:
        disbelief *= 1.0 - ev.confidence
    props: dict[str, Any] = {}
    for ev in sorted(pool, key=lambda e: -e.confidence):
        for key, value in ev.properties.items():
            props.setdefault(key, value)
    starts = [ev.valid_from for ev in evidence if ev.valid_from]
    ends = [ev.valid_to for ev in evidence if ev.valid_to]
    return {
        "modality": modality,
        "confidence": round(1.0 - disbelief, 6),
        "attributed_to": next(
            (ev.attributed_to for ev in pool if ev.modality == modality and ev.attributed_to),
            None,
        ),
        "properties": props,
        "valid_from": min(starts) if starts else None,
        "valid_to": max(ends) if ends else None,
    }


assert set(CERTAINTY) | {"negated"} == set(MODALITIES)
