"""The main job on the embedded default: build the bundled graph and answer a few questions.

``chipkg demo`` calls :func:`build_demo` then prints :func:`demo_answers`; both are
plain functions so tests and notebooks can run the same job. The package uses the
queries (:mod:`chipkg.demo.answers`); the queries never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chipkg.demo.answers import QUERY_ANSWERS, DemoAnswer
from chipkg.graph import Store, WriteReport
from chipkg.loaders.base import LOADERS, LoadResult, load_path
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"


@dataclass
class DemoBuild:
    """What the demo loaded."""

    report: WriteReport
    documents: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def demo_inputs() -> list[Path]:
    """The bundled corpus documents, sorted."""
    return sorted(p for p in CORPUS_DIR.iterdir() if p.suffix in (".txt", ".md", ".html"))


def build_demo(store: Store, on_step: Callable[[str], None] | None = None) -> DemoBuild:
    """Load reference data and the sample corpus into ``store`` as one batch."""
    step = on_step or (lambda _name: None)
    resolver = Resolver()
    result = LoadResult()
    step("reference data")
    result.extend(load_reference(REFERENCE_DIR, resolver))
    docs = demo_inputs()
    notes = []
    if "text" in LOADERS:
        for doc in docs:
            step(doc.name)
            result.extend(load_path(doc, resolver, "text"))
    else:
        notes.append("text loader not installed: corpus skipped")
        docs = []
    step("writing graph")
    report = store.write(result.entities, result.claims)
    return DemoBuild(report=report, documents=docs, notes=notes)


def _describe(store: Store, claim: Claim) -> str:
    subject = store.get(claim.subject)
    target = store.get(claim.object)
    props = ", ".join(f"{k}={v}" for k, v in sorted(claim.properties.items()))
    names = (subject.name if subject else claim.subject, target.name if target else claim.object)
    extra = f" ({props})" if props else ""
    return (
        f"{names[0]} {claim.predicate} {names[1]}{extra} - {claim.modality}, "
        f"confidence {claim.confidence:.2f}, sources: {', '.join(claim.sources)}"
    )


def holdings_answer(store: Store, company_id: str = "company/deepseek") -> DemoAnswer:
    """What a company owns or uses, and who designs it (a store-level question)."""
    company = store.get(company_id)
    name = company.name if company else company_id
    lines = []
    for claim in store.neighbours(company_id, "out", ("OWNS", "USES")):
        lines.append(_describe(store, claim))
        for design in store.claims(predicate="DESIGNS", object=claim.object):
            lines.append("  " + _describe(store, design))
    return DemoAnswer(f"What chips does {name} own or use, and who designs them?", lines)


ANSWERS: list[Callable[[Store], DemoAnswer]] = [holdings_answer, *QUERY_ANSWERS]
"""Canned answers the demo prints, in order; the query issue adds its own."""


def demo_answers(store: Store) -> list[DemoAnswer]:
    """Run every canned answer on the store."""
    return [make(store) for make in ANSWERS]
