"""Entities and claims as RDF: a plain triple per fact plus a reified, sourced claim node.

Pattern (see docs/export.md): for each claim, ``<s> <rel> <o>`` (omitted when the
claim is negated, so plain SPARQL never reads a denial as a fact) and a
``chipkg:Claim`` node (a subclass of ``rdf:Statement``) with rdf:subject /
rdf:predicate / rdf:object, the aggregated provenance (modality, confidence,
attribution, validity, derived, relationship properties), ``prov:wasDerivedFrom``
each Source, and ``chipkg:evidence`` one ``chipkg:Evidence`` node per piece of
evidence, itself ``prov:wasDerivedFrom`` its Source. The Evidence nodes carry every
Evidence field, so import can rebuild the records exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from chipkg.errors import InputError
from chipkg.export.formats import RDF_FORMATS
from chipkg.export.iris import (
    CHIPKG,
    DATA_GRAPH,
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    claim_iri,
    entity_iri,
    evidence_iri,
)
from chipkg.export.terms import (
    claim_prop,
    class_iri,
    iri,
    relationship_iris,
    reused_class,
    to_literals,
)
from chipkg.ontology import ONTOLOGY, Claim, Entity, Evidence
from chipkg.ontology.generate import EVIDENCE_PROPERTIES, EVIDENCE_SHARED, owl_graph, shacl_graph
from chipkg.ontology.schema import PREFIXES

Triple = tuple[Node, Node, Node]
QUAD_FORMATS = ("trig", "nq")
STREAMED_FORMATS = ("nt", "nq")
PROV_DERIVED = iri("prov:wasDerivedFrom")
PROV_ENTITY = iri("prov:Entity")


def bind_prefixes(graph: Graph) -> Graph:
    """The ontology's prefixes, so Turtle and JSON-LD read as the ontology does."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True)
    return graph


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """Typed node, name, aliases and properties of one entity."""
    node = entity_iri(entity.id)
    specs = ONTOLOGY.entity_properties(entity.label)
    yield node, RDF.type, class_iri(entity.label)
    yield node, RDF.type, reused_class(entity.label)
    values: dict[str, Any] = {"name": entity.name, "aliases": entity.aliases, **entity.properties}
    for name, value in values.items():
        spec = specs[name]
        for literal in to_literals(spec, value):
            yield node, iri(spec.rdf), literal


def _provenance(node: URIRef, fields: dict[str, Any], predicate: str) -> Iterator[Triple]:
    """Claim- or evidence-level provenance fields and relationship properties."""
    rel_specs = ONTOLOGY.relationship(predicate).properties
    for name in EVIDENCE_SHARED:
        value = fields[name]
        if value is not None:
            for literal in to_literals(ONTOLOGY.claim.properties[name], value):
                yield node, claim_prop(name), literal
    for name, value in fields["properties"].items():
        for literal in to_literals(rel_specs[name], value):
            yield node, iri(rel_specs[name].rdf), literal


def evidence_triples(claim: Claim, evidence: Evidence) -> Iterator[Triple]:
    """One ``chipkg:Evidence`` node: its Source, where, how and how sure."""
    node = evidence_iri(claim, evidence)
    yield claim_iri(claim), CHIPKG.evidence, node
    yield node, RDF.type, CHIPKG.Evidence
    yield node, RDF.type, PROV_ENTITY
    yield node, PROV_DERIVED, entity_iri(evidence.source)
    for name, spec in EVIDENCE_PROPERTIES.items():
        value = getattr(evidence, name)
        if value is not None:
            for literal in to_literals(spec, value):
                yield node, iri(spec.rdf), literal
    yield from _provenance(node, evidence.model_dump(), claim.predicate)


def claim_triples(claim: Claim) -> Iterator[Triple]:
    """The plain fact (unless negated) and its reified, sourced claim node."""
    subject, obj = entity_iri(claim.subject), entity_iri(claim.object)
    predicate = relationship_iris()[claim.predicate]
    node = claim_iri(claim)
    if claim.modality != "negated":
        yield subject, predicate, obj
    yield node, RDF.type, CHIPKG.Claim
    yield node, RDF.type, RDF.Statement
    yield node, RDF.subject, subject
    yield node, RDF.predicate, predicate
    yield node, RDF.object, obj
    yield node, claim_prop("derived"), Literal(claim.derived)
    yield from _provenance(node, claim.model_dump(), claim.predicate)
    for source in claim.sources:
        yield node, PROV_DERIVED, entity_iri(source)
    for evidence in claim.evidence:
        yield from evidence_triples(claim, evidence)


def records_graph(entities: Iterable[Entity], claims: Iterable[Claim]) -> Graph:
    """All records as one rdflib Graph (prefixes bound)."""
    graph = bind_prefixes(Graph())
    for entity in entities:
        for triple in entity_triples(entity):
            graph.add(triple)
    for claim in claims:
        for triple in claim_triples(claim):
            graph.add(triple)
    return graph


def ontology_graphs() -> dict[URIRef, Graph]:
    """The generated OWL vocabulary and SHACL shapes, by the named graph they go to."""
    return {ONTOLOGY_GRAPH: owl_graph(), SHAPES_GRAPH: shacl_graph()}


def write_rdf(
    entities: Iterable[Entity],
    claims: Iterable[Claim],
    fmt: str,
    out: IO[bytes],
    with_ontology: bool = False,
    chunk: int = 2_000,
) -> None:
    """Serialise records in ``fmt`` (a key of :data:`RDF_FORMATS`) to a binary stream.

    Line formats (nt, nq) are streamed record by record, so memory stays flat for
    big graphs; the others need the whole graph in memory to nest and abbreviate.
    """
    if fmt not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {fmt!r} (known: {', '.join(RDF_FORMATS)})")
    extra = ontology_graphs() if with_ontology else {}
    if fmt in STREAMED_FORMATS:
        _write_chunked(entities, claims, fmt, out, extra, chunk)
        return
    data = records_graph(entities, claims)
    if fmt in QUAD_FORMATS:
        _serialise(_dataset({DATA_GRAPH: data, **extra}), fmt, out)
        return
    for graph in extra.values():
        data += graph
    _serialise(data, fmt, out)


def _dataset(graphs: dict[URIRef, Graph]) -> Dataset:
    dataset = Dataset()
    bind_prefixes(dataset)
    for name, graph in graphs.items():
        named = dataset.graph(name)
        for triple in graph:
            named.add(triple)
    return dataset


def _serialise(graph: Graph, fmt: str, out: IO[bytes]) -> None:
    options: dict[str, Any] = {}
    if fmt == "jsonld":
        options = {"context": dict(PREFIXES), "auto_compact": True}
    out.write(graph.serialize(format=RDF_FORMATS[fmt], encoding="utf-8", **options))


def _write_chunked(
    entities: Iterable[Entity],
    claims: Iterable[Claim],
    fmt: str,
    out: IO[bytes],
    extra: dict[URIRef, Graph],
    chunk: int,
) -> None:
    """N-Triples / N-Quads written line by line, without building an rdflib graph."""
    for name, graph in extra.items():
        _serialise(_dataset({name: graph}) if fmt == "nq" else graph, fmt, out)
    suffix = f" <{DATA_GRAPH}> .\n" if fmt == "nq" else " .\n"
    lines: list[str] = []
    for count, record in enumerate(_chain(entities, claims), 1):
        triples = entity_triples(record) if isinstance(record, Entity) else claim_triples(record)
        lines.extend(f"{_nt(s)} {_nt(p)} {_nt(o)}{suffix}" for s, p, o in triples)
        if count % chunk == 0:
            out.write("".join(lines).encode("utf-8"))
            lines = []
    out.write("".join(lines).encode("utf-8"))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term: Node) -> str:
    """A data term in N-Triples syntax (IRIs are already escaped by :mod:`iris`)."""
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"unexpected term {term!r} in chipkg data")


def _chain(entities: Iterable[Entity], claims: Iterable[Claim]) -> Iterator[Entity | Claim]:
    yield from entities
    yield from claims
