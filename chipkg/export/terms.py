"""The ontology's RDF terms and the literal encoding chipkg values use, both ways.

Every IRI comes from the YAML ``rdf`` CURIEs (``ONTOLOGY.expand``), so export,
import and the generated OWL/SHACL cannot disagree. Values are typed literals
the SHACL shapes accept: dates as xsd:date / xsd:gYearMonth / xsd:gYear by
shape, floats as xsd:decimal written exactly (Turtle rounds xsd:double to 7
digits, which would break the round trip), lists as repeated triples.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from chipkg.errors import InputError
from chipkg.ontology import ONTOLOGY
from chipkg.ontology.generate import EVIDENCE_PROPERTIES, EVIDENCE_SHARED
from chipkg.ontology.schema import PropertySpec

DATE_TYPE_BY_LENGTH = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
Specs = dict[URIRef, PropertySpec]


def iri(curie: str) -> URIRef:
    """The full IRI of an ontology CURIE."""
    return URIRef(ONTOLOGY.expand(curie))


def class_iri(label: str) -> URIRef:
    """chipkg's own class for a label (``chipkg:Company``)."""
    return iri(f"chipkg:{label}")


def reused_class(label: str) -> URIRef:
    """The reused vocabulary's class for a label (``schema:Organization``)."""
    return iri(ONTOLOGY.entity_type(label).rdf)


def claim_prop(name: str) -> URIRef:
    """IRI of a claim provenance property (``modality`` -> ``chipkg:modality``)."""
    return iri(ONTOLOGY.claim.properties[name].rdf)


@cache
def relationship_iris() -> dict[str, URIRef]:
    """Relationship type -> its IRI (``SUPPLIES`` -> ``chipkg:supplies``)."""
    return {name: iri(rtype.rdf) for name, rtype in ONTOLOGY.relationships.items()}


@cache
def relationship_of(term: URIRef) -> str | None:
    """The relationship type an IRI stands for, or None."""
    return next((n for n, i in relationship_iris().items() if i == term), None)


@cache
def entity_specs(label: str) -> Specs:
    """IRI -> property spec for every property of ``label`` (name and aliases included)."""
    return _by_iri(ONTOLOGY.entity_properties(label).values())


@cache
def relationship_specs(predicate: str) -> Specs:
    """IRI -> spec for a relationship type's own properties."""
    return _by_iri(ONTOLOGY.relationship(predicate).properties.values())


@cache
def evidence_specs() -> Specs:
    """IRI -> spec for the fields an Evidence node carries besides its Source."""
    shared = [ONTOLOGY.claim.properties[name] for name in EVIDENCE_SHARED]
    return _by_iri([*EVIDENCE_PROPERTIES.values(), *shared])


def _by_iri(specs: Any) -> Specs:
    out: Specs = {}
    for spec in specs:
        term = iri(spec.rdf)
        if term in out:
            raise AssertionError(f"{spec.rdf} is used by {out[term].name} and {spec.name}")
        out[term] = spec
    return out


def decimal_text(value: float) -> str:
    """Exact decimal notation of a float (``1e-20`` -> ``0.00000000000000000001``)."""
    if not math.isfinite(value):
        raise InputError(f"cannot export the number {value!r} to RDF")
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def to_literals(spec: PropertySpec, value: Any) -> list[Literal]:
    """The literal(s) for one property value; a list gives one literal per item."""
    if spec.type == "list":
        return [Literal(str(item)) for item in value]
    if spec.type == "date":
        return [Literal(value, datatype=DATE_TYPE_BY_LENGTH[len(value)])]
    if spec.type == "url":
        return [Literal(value, datatype=XSD.anyURI)]
    if spec.type == "boolean":
        return [Literal(bool(value))]
    if spec.type in ("integer", "number") and isinstance(value, int):
        return [Literal(int(value))]
    if spec.type == "number":
        return [Literal(decimal_text(float(value)), datatype=XSD.decimal)]
    return [Literal(str(value))]


def from_literal(spec: PropertySpec, term: Any, where: str) -> Any:
    """The chipkg value of one literal, or an InputError naming ``where``."""
    if not isinstance(term, Literal):
        raise InputError(f"{where}: {spec.rdf} must be a literal, got <{term}>")
    text = str(term)
    if spec.type == "boolean":
        if text not in ("true", "false", "1", "0"):
            raise InputError(f"{where}: {spec.rdf} must be a boolean, got {text!r}")
        return text in ("true", "1")
    if spec.type in ("integer", "number"):
        return _number(spec, term, where)
    return text


def _number(spec: PropertySpec, term: Literal, where: str) -> int | float:
    text = str(term)
    try:
        if term.datatype in (XSD.decimal, XSD.double, XSD.float) and spec.type == "number":
            return float(text)
        return int(text)
    except ValueError:
        raise InputError(f"{where}: {spec.rdf} must be a number, got {text!r}") from None
