"""RDF written by ``chipkg export`` (or in the same shape) back into entities and claims.

Evidence nodes are authoritative: each becomes an ``Evidence`` record with all
its fields, and the claim's aggregate fields (modality, confidence, validity,
properties) are recomputed from them exactly as when the claim was first built,
so export -> import -> export gives the same graph. A plain relationship triple
with no claim behind it is refused: chipkg never holds an edge without a source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from chipkg.errors import ChipkgError, InputError, OntologyError
from chipkg.export.iris import CHIPKG, ONTOLOGY_GRAPH, SHAPES_GRAPH, entity_id
from chipkg.export.terms import (
    Specs,
    claim_prop,
    class_iri,
    entity_specs,
    evidence_specs,
    from_literal,
    iri,
    relationship_iris,
    relationship_of,
    relationship_specs,
)
from chipkg.graph import Store, WriteReport
from chipkg.ontology import ONTOLOGY, Claim, Entity

#: File suffix -> rdflib parser name.
PARSERS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
PROV_DERIVED = iri("prov:wasDerivedFrom")
_DERIVED = ONTOLOGY.claim.properties["derived"]


def parser_for(path: Path, fmt: str | None = None) -> str:
    """The rdflib parser for ``path`` (by ``fmt`` when given, else by suffix)."""
    from chipkg.export.formats import RDF_FORMATS

    if fmt:
        if fmt not in RDF_FORMATS:
            raise InputError(f"unknown RDF format {fmt!r} (known: {', '.join(RDF_FORMATS)})")
        return RDF_FORMATS[fmt]
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise InputError(
            f"cannot tell the RDF format from {path.suffix!r}; use --format", str(path)
        )
    return parser


def read_graph(path: Path, fmt: str | None = None) -> Graph:
    """Every data triple of an RDF file (named graphs merged, ontology/shapes graphs left out)."""
    parser = parser_for(path, fmt)
    dataset = Dataset()
    try:
        dataset.parse(str(path), format=parser)
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except Exception as exc:  # rdflib raises many types; all mean "not valid RDF"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"not valid {parser}: {reason}", str(path)) from exc
    graph = Graph()
    for s, p, o, name in dataset.quads((None, None, None, None)):
        if name not in (ONTOLOGY_GRAPH, SHAPES_GRAPH):
            graph.add((s, p, o))
    return graph


def _values(graph: Graph, node: Node, specs: Specs, where: str) -> dict[str, Any]:
    """Property name -> value for every predicate of ``node`` that ``specs`` knows."""
    out: dict[str, Any] = {}
    for predicate, term in graph.predicate_objects(node):
        spec = specs.get(predicate) if isinstance(predicate, URIRef) else None
        if spec is None:
            continue
        value = from_literal(spec, term, where)
        if spec.type == "list":
            out.setdefault(spec.name, []).append(value)
        elif spec.name in out and out[spec.name] != value:
            raise InputError(f"{where}: more than one value for {spec.rdf}")
        else:
            out[spec.name] = value
    for name, value in out.items():
        if isinstance(value, list):
            out[name] = sorted(value)
    return out


def _one(graph: Graph, node: Node, predicate: URIRef, where: str) -> Node:
    found = set(graph.objects(node, predicate))
    if len(found) != 1:
        name = graph.namespace_manager.normalizeUri(predicate)
        raise InputError(f"{where}: needs exactly one {name}, found {len(found)}")
    return found.pop()


def read_entities(graph: Graph) -> list[Entity]:
    """One Entity per node typed with a chipkg label class."""
    labels: dict[Node, str] = {}
    for label in ONTOLOGY.labels:
        for node in graph.subjects(RDF.type, class_iri(label)):
            if node in labels and labels[node] != label:
                raise InputError(f"<{node}> is both a {labels[node]} and a {label}")
            labels[node] = label
    entities = []
    for node, label in sorted(labels.items(), key=lambda item: str(item[0])):
        where = f"entity <{node}>"
        values = _values(graph, node, entity_specs(label), where)
        name, aliases = values.pop("name", None), values.pop("aliases", [])
        if name is None:
            raise InputError(f"{where}: has no schema:name")
        entities.append(
            _build(
                Entity,
                where,
                id=entity_id(node),
                label=label,
                name=name,
                aliases=aliases,
                properties=values,
            )
        )
    return entities


def _build(model: Any, where: str, **fields: Any) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = ".".join(str(part) for part in error["loc"])
        raise InputError(f"{where}: {loc}: {error['msg']}") from None
    except ChipkgError as exc:
        raise InputError(f"{where}: {exc}") from None


def _evidence(graph: Graph, node: Node, predicate: str) -> dict[str, Any]:
    where = f"evidence <{node}>"
    specs = {**evidence_specs(), **relationship_specs(predicate)}
    values = _values(graph, node, specs, where)
    rel_props = set(ONTOLOGY.relationship(predicate).properties)
    props = {k: values.pop(k) for k in list(values) if k in rel_props}
    source = entity_id(_one(graph, node, PROV_DERIVED, where))
    return {**values, "properties": props, "source": source}


def read_claims(graph: Graph) -> list[Claim]:
    """One Claim per ``chipkg:Claim`` node, rebuilt from its Evidence nodes."""
    claims = []
    for node in sorted(graph.subjects(RDF.type, CHIPKG.Claim), key=str):
        where = f"claim <{node}>"
        rel = _one(graph, node, RDF.predicate, where)
        predicate = relationship_of(rel) if isinstance(rel, URIRef) else None
        if predicate is None:
            raise InputError(f"{where}: rdf:predicate <{rel}> is not a chipkg relationship")
        evidence = [_evidence(graph, ev, predicate) for ev in graph.objects(node, CHIPKG.evidence)]
        if not evidence:
            raise InputError(f"{where}: has no chipkg:evidence (every claim needs a Source)")
        derived = _values(graph, node, {claim_prop("derived"): _DERIVED}, where)
        claims.append(
            _build(
                Claim,
                where,
                subject=entity_id(_one(graph, node, RDF.subject, where)),
                predicate=predicate,
                object=entity_id(_one(graph, node, RDF.object, where)),
                derived=derived.get("derived", False),
                evidence=evidence,
            )
        )
    return claims


def check_plain_triples(graph: Graph, claims: list[Claim]) -> None:
    """Refuse relationship triples that no claim (with its sources) stands behind."""
    backed = {(c.subject, c.predicate, c.object) for c in claims}
    for predicate, term in relationship_iris().items():
        symmetric = ONTOLOGY.relationship(predicate).symmetric
        for s, o in graph.subject_objects(term):
            key = (entity_id(s), predicate, entity_id(o))
            flipped = (key[2], predicate, key[0])
            if key not in backed and not (symmetric and flipped in backed):
                raise InputError(
                    f"triple <{s}> {predicate} <{o}> has no chipkg:Claim with its sources"
                )


def records_from_graph(graph: Graph) -> tuple[list[Entity], list[Claim]]:
    """Entities and claims of an RDF graph in chipkg's export shape."""
    entities = read_entities(graph)
    claims = read_claims(graph)
    check_plain_triples(graph, claims)
    return entities, claims


def import_rdf(path: Path, store: Store, fmt: str | None = None) -> WriteReport:
    """Read ``path`` and write its records to ``store`` as one batch (all or nothing)."""
    try:
        entities, claims = records_from_graph(read_graph(path, fmt))
        return store.write(entities, claims)
    except InputError as exc:
        if exc.path is not None:
            raise
        raise InputError(str(exc), str(path)) from None
    except OntologyError as exc:
        raise InputError(str(exc), str(path)) from None
