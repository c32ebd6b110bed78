"""Generate the Neo4j schema, OWL/RDFS vocabulary and SHACL shapes from the YAML ontology.

The outputs are checked into ``generated/`` so users can read them and load them
elsewhere; ``python -m chipkg.ontology.generate --check`` (and a test) fails when
they no longer match the YAML.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from chipkg.ontology.schema import CHIPKG_NS, ONTOLOGY, PREFIXES, Ontology, PropertySpec

GENERATED_DIR = Path(__file__).parent / "generated"
CHIPKG = Namespace(CHIPKG_NS)
PROV = Namespace(PREFIXES["prov"])
DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)
XSD_OF = {
    "string": XSD.string,
    "text": XSD.string,
    "url": XSD.anyURI,
    "integer": XSD.integer,
    "number": XSD.decimal,
    "boolean": XSD.boolean,
    "enum": XSD.string,
    "list": XSD.string,
}


#: Fields of one piece of evidence (an ``Evidence`` record) that are not claim fields; the
#: others (modality, confidence, attributed_to, valid_from/to, relationship properties) reuse
#: the claim's IRIs, and the evidence's Source is ``prov:wasDerivedFrom``.
EVIDENCE_PROPERTIES: dict[str, PropertySpec] = {
    spec.name: spec
    for spec in (
        PropertySpec(
            name="quote", type="text", rdf="chipkg:quote", description="Words of the source."
        ),
        PropertySpec(name="row", type="integer", rdf="chipkg:row", description="Row of a dataset."),
        PropertySpec(
            name="start", type="integer", rdf="chipkg:spanStart", description="Start offset."
        ),
        PropertySpec(name="end", type="integer", rdf="chipkg:spanEnd", description="End offset."),
        PropertySpec(
            name="language", type="string", rdf="dcterms:language", description="ISO 639-1 code."
        ),
        PropertySpec(
            name="extractor", type="string", rdf="chipkg:extractor", description="Extractor name."
        ),
        PropertySpec(
            name="extractor_version",
            type="string",
            rdf="chipkg:extractorVersion",
            description="Tool version.",
        ),
    )
}
EVIDENCE_SHARED = ("modality", "attributed_to", "confidence", "valid_from", "valid_to")


def snake(name: str) -> str:
    """``SUPPLIES`` -> ``supplies`` (used for constraint names)."""
    return name.lower()


def camel(name: str) -> str:
    """``SUPPLIED_BY`` -> ``suppliedBy`` (used for inverse property IRIs)."""
    head, *rest = name.lower().split("_")
    return head + "".join(part.title() for part in rest)


def class_iri(label: str) -> URIRef:
    """chipkg's own class for a label; it is a subclass of the reused vocabulary's class."""
    return CHIPKG[label]


def neo4j_schema(onto: Ontology = ONTOLOGY) -> list[str]:
    """Idempotent constraint and index statements (``IF NOT EXISTS``) for Neo4j 5."""
    stmts = ["CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"]
    for label in onto.labels:
        stmts.append(
            f"CREATE CONSTRAINT {snake(label)}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
        stmts.append(f"CREATE INDEX {snake(label)}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
    stmts.append(
        "CREATE INDEX regulation_effective IF NOT EXISTS "
        "FOR (n:Regulation) ON (n.effective_from, n.effective_to)"
    )
    for rel in onto.relationship_types:
        stmts.append(
            f"CREATE CONSTRAINT {snake(rel)}_key IF NOT EXISTS "
            f"FOR ()-[r:{rel}]-() REQUIRE r.key IS UNIQUE"
        )
        for prop in onto.relationships[rel].indexes:
            stmts.append(
                f"CREATE INDEX {snake(rel)}_{snake(prop)} IF NOT EXISTS "
                f"FOR ()-[r:{rel}]-() ON (r.{prop})"
            )
    stmts.append(
        "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS "
        f"FOR (n:{'|'.join(onto.labels)}) ON EACH [n.name]"
    )
    return stmts


def neo4j_schema_text(onto: Ontology = ONTOLOGY) -> str:
    """The statements as a ``.cypher`` file (one per line, each ending in ``;``)."""
    header = "// Generated from chipkg/ontology/schema by `python -m chipkg.ontology.generate`.\n"
    return header + "".join(f"{s};\n" for s in neo4j_schema(onto))


def _bind(graph: Graph) -> Graph:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri))
    return graph


def _datatype_property(graph: Graph, onto: Ontology, spec: PropertySpec, domain: URIRef) -> None:
    prop = URIRef(onto.expand(spec.rdf))
    graph.add((prop, RDF.type, OWL.DatatypeProperty))
    graph.add((prop, RDFS.label, Literal(spec.name)))
    if spec.description:
        graph.add((prop, RDFS.comment, Literal(spec.description)))
    if spec.type != "date":
        graph.add((prop, RDFS.range, XSD_OF[spec.type]))
    graph.add((prop, CHIPKG.usedBy, domain))


def owl_graph(onto: Ontology = ONTOLOGY) -> Graph:
    """Classes for labels, object properties for relationships, datatype properties."""
    graph = _bind(Graph())
    ontology_iri = URIRef(CHIPKG_NS.rstrip("#"))
    graph.add((ontology_iri, RDF.type, OWL.Ontology))
    graph.add((ontology_iri, RDFS.label, Literal("chipkg semiconductor supply-chain ontology")))
    for etype in onto.entities.values():
        cls = class_iri(etype.name)
        graph.add((cls, RDF.type, OWL.Class))
        graph.add((cls, RDFS.label, Literal(etype.name)))
        graph.add((cls, RDFS.comment, Literal(etype.description)))
        graph.add((cls, RDFS.subClassOf, URIRef(onto.expand(etype.rdf))))
        if etype.extends:
            graph.add((cls, RDFS.subClassOf, class_iri(etype.extends)))
        for spec in etype.properties.values():
            _datatype_property(graph, onto, spec, cls)
    for rtype in onto.relationships.values():
        prop = URIRef(onto.expand(rtype.rdf))
        graph.add((prop, RDF.type, OWL.ObjectProperty))
        graph.add((prop, RDFS.label, Literal(rtype.name)))
        graph.add((prop, RDFS.comment, Literal(rtype.description)))
        graph.add((prop, CHIPKG.neo4jType, Literal(rtype.name)))
        if rtype.symmetric:
            graph.add((prop, RDF.type, OWL.SymmetricProperty))
        else:
            inverse = CHIPKG[camel(rtype.reverse)]
            graph.add((inverse, RDF.type, OWL.ObjectProperty))
            graph.add((inverse, OWL.inverseOf, prop))
            graph.add((inverse, RDFS.label, Literal(rtype.reverse)))
        for spec in rtype.properties.values():
            _datatype_property(graph, onto, spec, CHIPKG.Claim)
    claim = CHIPKG.Claim
    graph.add((claim, RDF.type, OWL.Class))
    graph.add((claim, RDFS.subClassOf, RDF.Statement))
    graph.add((claim, RDFS.comment, Literal(onto.claim.description)))
    graph.add((CHIPKG.Evidence, RDF.type, OWL.Class))
    graph.add((CHIPKG.Evidence, RDFS.subClassOf, PROV.Entity))
    for spec in onto.claim.properties.values():
        if spec.name != "sources":
            _datatype_property(graph, onto, spec, claim)
    _evidence_vocabulary(graph, onto)
    return graph


def _evidence_vocabulary(graph: Graph, onto: Ontology) -> None:
    """``chipkg:evidence`` links a claim to one node per piece of evidence."""
    link = CHIPKG.evidence
    graph.add((link, RDF.type, OWL.ObjectProperty))
    graph.add((link, RDFS.domain, CHIPKG.Claim))
    graph.add((link, RDFS.range, CHIPKG.Evidence))
    graph.add((link, RDFS.comment, Literal("One source's support for the claim.")))
    graph.add((CHIPKG.Evidence, RDFS.comment, Literal("One source's support for a claim.")))
    for spec in EVIDENCE_PROPERTIES.values():
        _datatype_property(graph, onto, spec, CHIPKG.Evidence)
    for name in EVIDENCE_SHARED:
        graph.add(
            (URIRef(onto.expand(onto.claim.properties[name].rdf)), CHIPKG.usedBy, CHIPKG.Evidence)
        )


def _or_shape(graph: Graph, shape: BNode | URIRef, key: URIRef, values: list[URIRef]) -> None:
    """``sh:or ( [key v1] [key v2] ... )``, or the plain constraint for one value."""
    if len(values) == 1:
        graph.add((shape, key, values[0]))
        return
    items: list[Node] = []
    for value in values:
        node = BNode()
        graph.add((node, key, value))
        items.append(node)
    head = BNode()
    Collection(graph, head, items)
    graph.add((shape, SH["or"], head))


def _property_shape(graph: Graph, onto: Ontology, node: URIRef, spec: PropertySpec) -> None:
    shape = BNode()
    graph.add((node, SH.property, shape))
    graph.add((shape, SH.path, URIRef(onto.expand(spec.rdf))))
    if spec.required:
        graph.add((shape, SH.minCount, Literal(1)))
    if spec.type == "date":
        _or_shape(graph, shape, SH.datatype, list(DATE_TYPES))
    elif spec.type in ("integer", "number"):
        _or_shape(graph, shape, SH.datatype, [XSD.integer, XSD.decimal, XSD.double])
    else:
        graph.add((shape, SH.datatype, XSD_OF[spec.type]))
    if spec.values:
        head = BNode()
        Collection(graph, head, [Literal(v) for v in spec.values])
        graph.add((shape, SH["in"], head))
    if spec.min is not None:
        graph.add((shape, SH.minInclusive, Literal(spec.min)))
    if spec.max is not None:
        graph.add((shape, SH.maxInclusive, Literal(spec.max)))
    if spec.type not in ("list",) and spec.name != "aliases":
        graph.add((shape, SH.maxCount, Literal(1)))


def shacl_graph(onto: Ontology = ONTOLOGY) -> Graph:
    """Shapes: typed properties per label, allowed endpoints per relationship, claims."""
    graph = _bind(Graph())
    shapes = Namespace(CHIPKG_NS + "shape/")
    graph.bind("shape", shapes)
    for label in onto.labels:
        node = shapes[label]
        graph.add((node, RDF.type, SH.NodeShape))
        graph.add((node, SH.targetClass, class_iri(label)))
        for spec in onto.entity_properties(label).values():
            _property_shape(graph, onto, node, spec)
    for rtype in onto.relationships.values():
        prop = URIRef(onto.expand(rtype.rdf))
        for end, labels, target in (
            ("Source", rtype.source, SH.targetSubjectsOf),
            ("Target", rtype.target, SH.targetObjectsOf),
        ):
            node = shapes[f"{rtype.name}{end}"]
            graph.add((node, RDF.type, SH.NodeShape))
            graph.add((node, target, prop))
            graph.add((node, RDFS.comment, Literal(f"{rtype.name} {end.lower()} label")))
            _or_shape(graph, node, SH["class"], [class_iri(label) for label in labels])
    _claim_shape(graph, onto, shapes)
    return graph


def _claim_shape(graph: Graph, onto: Ontology, shapes: Namespace) -> None:
    node = shapes["Claim"]
    graph.add((node, RDF.type, SH.NodeShape))
    graph.add((node, SH.targetClass, CHIPKG.Claim))
    for path, count in ((RDF.subject, 1), (RDF.predicate, 1), (RDF.object, 1)):
        shape = BNode()
        graph.add((node, SH.property, shape))
        graph.add((shape, SH.path, path))
        graph.add((shape, SH.minCount, Literal(count)))
        graph.add((shape, SH.maxCount, Literal(count)))
    sources = BNode()
    graph.add((node, SH.property, sources))
    graph.add((sources, SH.path, PROV.wasDerivedFrom))
    graph.add((sources, SH.minCount, Literal(1)))
    graph.add((sources, SH["class"], class_iri("Source")))
    graph.add((sources, SH.message, Literal("every claim needs at least one Source")))
    for spec in onto.claim.properties.values():
        if spec.name not in ("sources",):
            _property_shape(graph, onto, node, spec)
    evidence = BNode()
    graph.add((node, SH.property, evidence))
    graph.add((evidence, SH.path, CHIPKG.evidence))
    graph.add((evidence, SH.minCount, Literal(1)))
    graph.add((evidence, SH["class"], CHIPKG.Evidence))
    graph.add((evidence, SH.message, Literal("every claim needs at least one Evidence")))
    _evidence_shape(graph, onto, shapes)


def _evidence_shape(graph: Graph, onto: Ontology, shapes: Namespace) -> None:
    node = shapes["Evidence"]
    graph.add((node, RDF.type, SH.NodeShape))
    graph.add((node, SH.targetClass, CHIPKG.Evidence))
    source = BNode()
    graph.add((node, SH.property, source))
    graph.add((source, SH.path, PROV.wasDerivedFrom))
    graph.add((source, SH.minCount, Literal(1)))
    graph.add((source, SH.maxCount, Literal(1)))
    graph.add((source, SH["class"], class_iri("Source")))
    graph.add((source, SH.message, Literal("every evidence names exactly one Source")))
    shared = [onto.claim.properties[name] for name in EVIDENCE_SHARED]
    for spec in [*EVIDENCE_PROPERTIES.values(), *shared]:
        _property_shape(graph, onto, node, spec)


def _owl_text() -> str:
    return str(owl_graph().serialize(format="turtle"))


def _shacl_text() -> str:
    return str(shacl_graph().serialize(format="turtle"))


ARTIFACTS: dict[str, Callable[[], str]] = {
    "neo4j_schema.cypher": neo4j_schema_text,
    "chipkg.owl.ttl": _owl_text,
    "chipkg.shacl.ttl": _shacl_text,
}


def _same(name: str, old: str, new: str) -> bool:
    if not name.endswith(".ttl"):
        return old == new
    return isomorphic(
        Graph().parse(data=old, format="turtle"), Graph().parse(data=new, format="turtle")
    )


def stale_artifacts(directory: Path = GENERATED_DIR) -> list[str]:
    """Names of generated files that are missing or differ from what the YAML gives."""
    stale = []
    for name, make in ARTIFACTS.items():
        path = directory / name
        if not path.exists() or not _same(name, path.read_text(encoding="utf-8"), make()):
            stale.append(name)
    return stale


def write_artifacts(directory: Path = GENERATED_DIR) -> None:
    """(Re)write every generated file."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, make in ARTIFACTS.items():
        (directory / name).write_text(make(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m chipkg.ontology.generate [--check]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated files are stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_artifacts()
        if stale:
            print(
                f"stale generated files: {', '.join(stale)}; run python -m chipkg.ontology.generate"
            )
            return 1
        print("generated files are up to date")
        return 0
    write_artifacts()
    print(f"wrote {', '.join(ARTIFACTS)} to {GENERATED_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
