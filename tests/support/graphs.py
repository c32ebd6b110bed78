"""Small hand-built graphs for the query tests, written in our own words (no real data).

``Graph`` creates entities from id prefixes (``company/x`` is a Company) so a test
states only the facts it needs. ``story()`` is a miniature of the export-control
story the queries exist for: a buyer of US GPUs, a listed foundry that buys US and
domestic tools, an unlisted foundry that depends on US tools, and a Dutch
lithography maker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chipkg.graph import EmbeddedStore, Store
from chipkg.graph.view import GraphView
from chipkg.ontology import Claim, Entity

LABELS = {
    "company": "Company",
    "country": "Country",
    "product": "Product",
    "technology": "Technology",
    "regulation": "Regulation",
    "governmentbody": "GovernmentBody",
    "source": "Source",
}


class Graph:
    """Entities and claims for one test; entities appear when a claim names them."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.claims: list[Claim] = []

    def ent(self, entity_id: str, name: str | None = None, **props: Any) -> str:
        """Add (or extend) an entity; the label comes from the id prefix."""
        label = LABELS[entity_id.split("/", 1)[0]]
        entity = Entity(
            id=entity_id, label=label, name=name or entity_id.split("/", 1)[1], properties=props
        )
        known = self.entities.get(entity_id)
        self.entities[entity_id] = entity if known is None else known.merged_with(entity)
        return entity_id

    def rel(
        self, subject: str, predicate: str, obj: str, source: str = "source/s1", **kw: Any
    ) -> None:
        """Add a claim with one piece of evidence (claim fields as keyword arguments)."""
        for end in (subject, obj, source):
            if end not in self.entities:
                self.ent(end)
        evidence = {"source": source, "quote": f"{subject} {predicate} {obj} ({source})"}
        self.claims.append(
            Claim.model_validate(
                {
                    "subject": subject,
                    "predicate": predicate,
                    "object": obj,
                    "evidence": evidence,
                    **kw,
                }
            )
        )

    def supplies(self, supplier: str, customer: str, item: str | None = None, **kw: Any) -> None:
        """A SUPPLIES claim, with ``item`` when given."""
        props = {"item": item} if item else {}
        self.rel(supplier, "SUPPLIES", customer, properties=props, **kw)

    def located(self, *pairs: tuple[str, str]) -> None:
        """LOCATED_IN claims."""
        for who, country in pairs:
            self.rel(who, "LOCATED_IN", country)

    def write(self, store: Store) -> Store:
        """Write everything as one batch."""
        store.write(list(self.entities.values()), self.claims)
        return store

    def view(self) -> GraphView:
        """A view straight from the records (for rule unit tests)."""
        merged: dict[str, Claim] = {}
        for claim in self.claims:
            old = merged.get(claim.key)
            merged[claim.key] = claim if old is None else old.merged_with(claim)
        return GraphView.build(
            sorted(self.entities.values(), key=lambda e: e.id),
            sorted(merged.values(), key=lambda c: c.key),
        )


def story() -> Graph:
    """The miniature story; dates are chosen so each rule starts at a known day."""
    g = Graph()
    g.located(
        ("company/buyer", "country/cn"),
        ("company/gpu", "country/us"),
        ("company/accel", "country/cn"),
        ("company/designer", "country/cn"),
        ("company/foundry-cn", "country/cn"),
        ("company/foundry-tw", "country/tw"),
        ("company/tools-us", "country/us"),
        ("company/tools-cn", "country/cn"),
        ("company/litho-nl", "country/nl"),
    )
    g.rel("company/designer", "SUBSIDIARY_OF", "company/accel")
    g.rel("company/gpu", "DESIGNS", "product/gpu-x")
    g.rel("product/gpu-x-cn", "VARIANT_OF", "product/gpu-x")
    g.rel("company/gpu", "DESIGNS", "product/gpu-x-cn")
    g.rel("company/buyer", "OWNS", "product/gpu-x-cn", source="source/s2")
    g.rel("company/accel", "DESIGNS", "product/npu")
    g.rel("company/buyer", "USES", "product/npu")
    g.supplies("company/foundry-cn", "company/designer", "product/npu")
    g.supplies("company/foundry-tw", "company/designer", "product/npu")
    g.supplies("company/tools-us", "company/foundry-cn", "product/etcher")
    g.supplies("company/tools-us", "company/foundry-tw", "product/etcher")
    g.supplies("company/tools-cn", "company/foundry-cn", "product/etcher")
    g.supplies("company/litho-nl", "company/foundry-cn", "product/scanner-duv")
    g.rel("product/scanner-duv", "TYPE_OF", "product/scanner")
    g.rel("product/npu", "TYPE_OF", "product/chip")
    # Bill of materials: the tools feed the NPU (item flow along supply paths).
    g.rel("product/etcher", "INPUT_TO", "product/npu")
    g.rel("product/scanner", "INPUT_TO", "product/chip")
    # A country-wide GPU rule; its first version exempts the export variant (a negated
    # RESTRICTS), the second names it.
    g.ent("regulation/gpu-1", effective_from="2022-10-07", jurisdiction="country/us")
    g.rel("regulation/gpu-1", "TARGETS", "country/cn")
    g.rel("regulation/gpu-1", "RESTRICTS", "product/gpu-x")
    g.rel("regulation/gpu-1", "RESTRICTS", "product/gpu-x-cn", modality="negated")
    g.ent("regulation/gpu-2", effective_from="2023-10-17", jurisdiction="country/us")
    g.rel("regulation/gpu-2", "TARGETS", "country/cn")
    g.rel("regulation/gpu-2", "RESTRICTS", "product/gpu-x-cn")
    # Listings: the accelerator maker (with the FDPR), then the domestic foundry.
    g.ent("regulation/fdpr", effective_from="2020-08-17", jurisdiction="country/us", fdpr=True)
    g.rel("regulation/fdpr", "TARGETS", "company/accel")
    g.ent("regulation/list-foundry", effective_from="2020-12-18")
    g.rel("regulation/list-foundry", "ISSUED_BY", "governmentbody/us-bis")
    g.rel("governmentbody/us-bis", "LOCATED_IN", "country/us")
    g.rel("regulation/list-foundry", "TARGETS", "company/foundry-cn")
    # A Dutch scanner rule from 2023-09.
    g.ent("regulation/nl-scanner", effective_from="2023-09", jurisdiction="country/nl")
    g.rel("regulation/nl-scanner", "TARGETS", "country/cn")
    g.rel("regulation/nl-scanner", "RESTRICTS", "product/scanner")
    return g


def embedded(g: Graph, tmp_path: Path) -> EmbeddedStore:
    """An embedded store holding the graph."""
    store = EmbeddedStore(tmp_path / "db")
    g.write(store)
    return store
