"""The ontology as data: YAML files under ``schema/`` loaded into pydantic models.

One YAML file per entity type and per relationship type (as in FollowTheMoney's
schema folder) is the single source for validation, the Neo4j schema, OWL and SHACL.
Nothing else in chipkg may invent a label or a relationship type.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from chipkg.errors import OntologyError

SCHEMA_DIR = Path(__file__).parent / "schema"
CHIPKG_NS = "https://w3id.org/chipkg/ontology#"
CHIPKG_ID_NS = "https://w3id.org/chipkg/id/"

PREFIXES: dict[str, str] = {
    "chipkg": CHIPKG_NS,
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

PropertyType = Literal[
    "string", "text", "url", "date", "integer", "number", "boolean", "enum", "list"
]
Modality = Literal["asserted", "reported", "rumored", "speculative", "negated"]
MODALITIES: tuple[Modality, ...] = ("asserted", "reported", "rumored", "speculative", "negated")
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
NAME_RE = re.compile(r"^[A-Z][A-Za-z]*$|^[A-Z][A-Z_]*$")


class PropertySpec(BaseModel):
    """One property of an entity or relationship type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    type: PropertyType
    description: str = ""
    rdf: str
    required: bool = False
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None

    def check(self, value: Any, owner: str) -> Any:
        """Return ``value`` normalised for this property or raise a one-line OntologyError."""
        where = f"{owner}.{self.name}"
        if value is None:
            return None
        checker = _CHECKERS[self.type]
        return checker(self, value, where)


def _fail(where: str, expected: str, value: Any) -> OntologyError:
    return OntologyError(f"{where} must be {expected}, got {value!r}")


def _check_str(spec: PropertySpec, value: Any, where: str) -> Any:
    if not isinstance(value, str):
        raise _fail(where, "a string", value)
    return value


def _check_date(spec: PropertySpec, value: Any, where: str) -> Any:
    text = value.isoformat() if hasattr(value, "isoformat") else value
    if not isinstance(text, str) or not DATE_RE.match(text):
        raise _fail(where, "a date YYYY[-MM[-DD]]", value)
    return text


def _check_number(spec: PropertySpec, value: Any, where: str) -> Any:
    integral = spec.type == "integer"
    ok = isinstance(value, int) if integral else isinstance(value, int | float)
    if isinstance(value, bool) or not ok:
        raise _fail(where, "an integer" if integral else "a number", value)
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        raise _fail(where, f"within [{spec.min}, {spec.max}]", value)
    return value


def _check_bool(spec: PropertySpec, value: Any, where: str) -> Any:
    if not isinstance(value, bool):
        raise _fail(where, "true or false", value)
    return value


def _check_enum(spec: PropertySpec, value: Any, where: str) -> Any:
    if value not in spec.values:
        raise _fail(where, f"one of {', '.join(spec.values)}", value)
    return value


def _check_list(spec: PropertySpec, value: Any, where: str) -> Any:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise _fail(where, "a list of strings", value)
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise _fail(where, "a list of strings", value)
        if spec.values and item not in spec.values:
            raise _fail(where, f"a list of {', '.join(spec.values)}", value)
    return items


_CHECKERS = {
    "string": _check_str,
    "text": _check_str,
    "url": _check_str,
    "date": _check_date,
    "integer": _check_number,
    "number": _check_number,
    "boolean": _check_bool,
    "enum": _check_enum,
    "list": _check_list,
}


class EntityType(BaseModel):
    """A node label, with its own and inherited properties."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    rdf: str
    extends: str | None = None
    abstract: bool = False
    properties: dict[str, PropertySpec] = Field(default_factory=dict)


class RelationshipType(BaseModel):
    """A relationship type: which labels it joins, its properties and its RDF IRI."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    reverse: str
    rdf: str
    symmetric: bool = False
    key: tuple[str, ...] = ()
    #: Properties that queries look relationships up by (e.g. SUPPLIES by ``item``): each
    #: gets a RANGE index in Neo4j, so the lookup seeks instead of scanning every link.
    indexes: tuple[str, ...] = ()
    properties: dict[str, PropertySpec] = Field(default_factory=dict)


class ClaimSpec(BaseModel):
    """Provenance properties shared by every relationship."""

    model_config = ConfigDict(extra="forbid")

    description: str
    rdf: str
    modalities: dict[str, str]
    properties: dict[str, PropertySpec]


class Ontology(BaseModel):
    """The whole vocabulary; build it with :func:`load_ontology`."""

    entities: dict[str, EntityType]
    relationships: dict[str, RelationshipType]
    claim: ClaimSpec

    @property
    def labels(self) -> list[str]:
        """Concrete node labels, sorted."""
        return sorted(n for n, e in self.entities.items() if not e.abstract)

    @property
    def relationship_types(self) -> list[str]:
        """Relationship type names, sorted."""
        return sorted(self.relationships)

    def entity_type(self, label: str) -> EntityType:
        """The concrete entity type named ``label`` or a clear error."""
        etype = self.entities.get(label)
        if etype is None or etype.abstract:
            raise OntologyError(f"unknown entity label {label!r} (known: {', '.join(self.labels)})")
        return etype

    def relationship(self, name: str) -> RelationshipType:
        """The relationship type ``name`` or a clear error."""
        rtype = self.relationships.get(name)
        if rtype is None:
            raise OntologyError(
                f"unknown relationship type {name!r} (known: {', '.join(self.relationship_types)})"
            )
        return rtype

    def entity_properties(self, label: str) -> dict[str, PropertySpec]:
        """All properties of ``label``, inherited ones first."""
        chain: list[EntityType] = []
        etype: EntityType | None = self.entities[label]
        while etype is not None:
            chain.append(etype)
            etype = self.entities[etype.extends] if etype.extends else None
        props: dict[str, PropertySpec] = {}
        for ancestor in reversed(chain):
            props.update(ancestor.properties)
        return props

    def check_endpoints(self, predicate: str, source_label: str, target_label: str) -> None:
        """Raise when ``predicate`` may not join these labels."""
        rtype = self.relationship(predicate)
        if source_label not in rtype.source or target_label not in rtype.target:
            raise OntologyError(
                f"{predicate} may not go from {source_label} to {target_label} "
                f"(allowed: {'|'.join(rtype.source)} -> {'|'.join(rtype.target)})"
            )

    def expand(self, curie: str) -> str:
        """Turn ``prefix:local`` into a full IRI using the ontology's prefixes."""
        prefix, _, local = curie.partition(":")
        if prefix not in PREFIXES:
            raise OntologyError(f"unknown RDF prefix in {curie!r}")
        return PREFIXES[prefix] + local


def _read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise OntologyError(f"{path}: expected a mapping at the top level")
    return data


def _named_props(raw: dict[str, Any]) -> dict[str, Any]:
    props = raw.get("properties") or {}
    raw["properties"] = {k: {**v, "name": k} for k, v in props.items()}
    return raw


@cache
def load_ontology(schema_dir: Path = SCHEMA_DIR) -> Ontology:
    """Read every YAML file once and check that the pieces fit together."""
    entities = {}
    for path in sorted((schema_dir / "entities").glob("*.yaml")):
        etype = EntityType.model_validate(_named_props(_read_yaml(path)))
        entities[etype.name] = etype
    relationships = {}
    for path in sorted((schema_dir / "relationships").glob("*.yaml")):
        rtype = RelationshipType.model_validate(_named_props(_read_yaml(path)))
        relationships[rtype.name] = rtype
    claim = ClaimSpec.model_validate(_named_props(_read_yaml(schema_dir / "claim.yaml")))
    ontology = Ontology(entities=entities, relationships=relationships, claim=claim)
    _check_consistency(ontology)
    return ontology


def _check_consistency(onto: Ontology) -> None:
    """Fail at import when a file names a type or prefix that does not exist."""
    for etype in onto.entities.values():
        if etype.extends and etype.extends not in onto.entities:
            raise OntologyError(f"{etype.name} extends unknown type {etype.extends}")
        onto.expand(etype.rdf)
        for spec in etype.properties.values():
            onto.expand(spec.rdf)
    for rtype in onto.relationships.values():
        for label in (*rtype.source, *rtype.target):
            onto.entity_type(label)
        onto.expand(rtype.rdf)
        for key in rtype.key:
            if key not in rtype.properties:
                raise OntologyError(f"{rtype.name}: key {key!r} is not one of its properties")
        for name in rtype.indexes:
            if name not in rtype.properties:
                raise OntologyError(f"{rtype.name}: index {name!r} is not one of its properties")
        for spec in rtype.properties.values():
            onto.expand(spec.rdf)
        overlap = set(rtype.properties) & set(onto.claim.properties)
        if overlap:
            raise OntologyError(f"{rtype.name}: properties {overlap} clash with claim provenance")


ONTOLOGY = load_ontology()
