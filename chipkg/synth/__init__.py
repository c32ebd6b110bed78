"""Synthetic supply-chain graphs for benchmarks and tests (``chipkg synth``).

:func:`generate` streams a tiered graph — companies, products with variant and
input trees, regulations, supply links — as validated records in an order a
store accepts batch by batch (every entity before any claim), deterministic
for a seed and with memory that does not grow with the number of links.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from chipkg.ontology import Claim, Entity
from chipkg.synth.companies import company_claims, company_entities
from chipkg.synth.layout import Layout
from chipkg.synth.products import product_claims, product_entities, root_claims
from chipkg.synth.provenance import sources
from chipkg.synth.regulations import body_claims, regulation_claims, regulation_entities
from chipkg.synth.supply import supply_claims
from chipkg.synth.world import frame_entities

Record = Entity | Claim


def generate(links: int, seed: int = 0) -> Iterator[Record]:
    """Every record of the graph with ``links`` SUPPLIES claims: entities first, then claims."""
    layout = Layout(links, seed)
    return chain(
        frame_entities(),
        sources(layout),
        company_entities(layout),
        product_entities(layout),
        regulation_entities(layout),
        body_claims(layout),
        root_claims(layout),
        company_claims(layout),
        product_claims(layout),
        regulation_claims(layout),
        supply_claims(layout),
    )


def expected_records(links: int, seed: int = 0) -> int:
    """About how many records :func:`generate` yields (for progress bars)."""
    layout = Layout(links, seed)
    entities = 40 + layout.datasets + layout.news + layout.companies + layout.products
    claims = links + 1.15 * layout.companies + 2.6 * layout.products + 5 * layout.regulations
    return int(entities + layout.regulations + claims)


__all__ = ["Layout", "Record", "expected_records", "generate"]
