"""SHACL validation of RDF against chipkg's generated shapes, with readable violations.

pyshacl's own report names blank-node shapes and raw IRIs; users need the
offending entity or claim by its chipkg id, the property as a CURIE and what was
expected. Shapes and vocabulary always come from the generated files of the
installed chipkg, not from the file being checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from chipkg.export.iris import CHIPKG, entity_id
from chipkg.export.rdf import bind_prefixes
from chipkg.export.rdf_import import read_graph
from chipkg.export.terms import relationship_of
from chipkg.ontology import ONTOLOGY
from chipkg.ontology.generate import GENERATED_DIR
from chipkg.ontology.schema import CHIPKG_ID_NS


@dataclass
class Violation:
    """One failed constraint, described for a person."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"

    def line(self) -> str:
        """``focus: path = value: message`` on one line."""
        where = self.focus + (f": {self.path}" if self.path else "")
        value = f" = {self.value}" if self.value is not None else ""
        return f"{self.severity}: {where}{value}: {self.message}"


@dataclass
class ValidationReport:
    """Whether the data conforms, and every violation."""

    conforms: bool
    triples: int
    violations: list[Violation] = field(default_factory=list)


def shapes_graph() -> Graph:
    """The generated SHACL shapes (``chipkg/ontology/generated/chipkg.shacl.ttl``)."""
    return Graph().parse(GENERATED_DIR / "chipkg.shacl.ttl", format="turtle")


def vocabulary_graph() -> Graph:
    """The generated OWL/RDFS vocabulary, so sh:class sees subclass axioms."""
    return Graph().parse(GENERATED_DIR / "chipkg.owl.ttl", format="turtle")


def validate_graph(data: Graph) -> ValidationReport:
    """Run the shapes on ``data``; violations sorted by focus node."""
    shapes = shapes_graph()
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=vocabulary_graph(), inference="none"
    )
    assert isinstance(results, Graph)
    context = bind_prefixes(Graph()) + results + shapes
    bind_prefixes(context)
    describe = Describer(data, context)
    violations = [describe.result(node) for node in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), triples=len(data), violations=violations)


def validate_file(path: Path, fmt: str | None = None) -> ValidationReport:
    """Parse an RDF file (any export format) and validate its data."""
    return validate_graph(read_graph(path, fmt))


class Describer:
    """Turns pyshacl result nodes into :class:`Violation` s named in chipkg's terms."""

    def __init__(self, data: Graph, context: Graph) -> None:
        self.data = data
        self.context = context

    def term(self, node: Node | None) -> str:
        """An entity id, a CURIE, or a quoted literal."""
        if node is None:
            return "?"
        if isinstance(node, Literal):
            return f'"{node}"' + (f"^^{self.term(node.datatype)}" if node.datatype else "")
        if isinstance(node, URIRef) and str(node).startswith(CHIPKG_ID_NS):
            return entity_id(node)
        if isinstance(node, URIRef):
            return str(self.context.namespace_manager.normalizeUri(node))
        return str(node)

    def focus(self, node: Node) -> str:
        """``company/nvidia (Company "NVIDIA")`` or ``claim A SUPPLIES B [claim/…]``."""
        types = set(self.data.objects(node, RDF.type))
        if CHIPKG.Claim in types:
            return f"claim {self._statement(node)} [{self.term(node)}]"
        if CHIPKG.Evidence in types:
            claims = list(self.data.subjects(CHIPKG.evidence, node))
            of = f" of claim {self._statement(claims[0])}" if claims else ""
            return f"evidence [{self.term(node)}]{of}"
        labels = [label for label in ONTOLOGY.labels if CHIPKG[label] in types]
        name = self.data.value(node, URIRef(ONTOLOGY.expand("schema:name")))
        what = " ".join([*labels, f'"{name}"' if name is not None else ""]).strip()
        return f"{self.term(node)} ({what})" if what else self.term(node)

    def _statement(self, claim: Node) -> str:
        parts = [self.data.value(claim, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
        predicate = relationship_of(parts[1]) if isinstance(parts[1], URIRef) else None
        return f"{self.term(parts[0])} {predicate or self.term(parts[1])} {self.term(parts[2])}"

    def result(self, node: Node) -> Violation:
        """One sh:ValidationResult as a Violation."""
        ctx = self.context
        shape = ctx.value(node, SH.sourceShape)
        message = str(ctx.value(node, SH.resultMessage) or "")
        if shape is not None and ctx.value(shape, SH.message) is None:
            component = ctx.value(node, SH.sourceConstraintComponent)
            message = self._expected(shape, component) or message
        comment = ctx.value(shape, RDFS.comment) if shape is not None else None
        if comment is not None:
            message = f"{comment}: {message}"
        path = ctx.value(node, SH.resultPath)
        value = ctx.value(node, SH.value)
        focus = ctx.value(node, SH.focusNode)
        severity = ctx.value(node, SH.resultSeverity)
        return Violation(
            focus=self.focus(focus) if focus is not None else "?",
            message=message,
            path=self.term(path) if path is not None else None,
            value=self.term(value) if value is not None and value != focus else None,
            severity=self.term(severity).removeprefix("sh:") if severity else "Violation",
        )

    def _expected(self, shape: Node, component: Node | None) -> str | None:
        """What the shape wanted, in words, for the constraints chipkg's shapes use."""
        if component == SH.OrConstraintComponent:
            head = self.context.value(shape, SH["or"])
            options = []
            for item in Collection(self.context, head) if head is not None else []:
                for key in (SH.datatype, SH["class"]):
                    found = self.context.value(item, key)
                    if found is not None:
                        options.append(self.term(found))
            return f"must be {' or '.join(options)}" if options else None
        if component == SH.InConstraintComponent:
            head = self.context.value(shape, SH["in"])
            values = [str(v) for v in Collection(self.context, head)] if head is not None else []
            return f"must be one of {', '.join(values)}"
        template = _WORDS.get(component) if isinstance(component, URIRef) else None
        if template is None:
            return None
        parameter = self.context.value(shape, template[0])
        return template[1].format(self.term(parameter).strip('"').split('"^^')[0])


_WORDS: dict[URIRef, tuple[URIRef, str]] = {
    SH.ClassConstraintComponent: (SH["class"], "must be a {}"),
    SH.DatatypeConstraintComponent: (SH.datatype, "must be a literal of type {}"),
    SH.MinCountConstraintComponent: (SH.minCount, "needs at least {} value(s)"),
    SH.MaxCountConstraintComponent: (SH.maxCount, "allows at most {} value(s)"),
    SH.MinInclusiveConstraintComponent: (SH.minInclusive, "must be >= {}"),
    SH.MaxInclusiveConstraintComponent: (SH.maxInclusive, "must be <= {}"),
}
