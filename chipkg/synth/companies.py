"""Companies: their entities and the claims about each one alone (location, parent, use)."""

from __future__ import annotations

from collections.abc import Iterator

from chipkg.ontology import Claim, Entity
from chipkg.synth.layout import BUYER, DESIGNER, S_SUB, S_USE, Layout, mix, unit
from chipkg.synth.naming import company_name, product_name
from chipkg.synth.provenance import day, evidence
from chipkg.synth.records import claim
from chipkg.synth.world import COUNTRIES, country_id

SUBSIDIARY_SHARE = 0.03


def company_entity(layout: Layout, company: int) -> Entity:
    """The Company entity for an index."""
    return Entity(
        id=layout.company_id(company),
        label="Company",
        name=company_name(layout, company),
        properties={
            "roles": [layout.role_of(company)],
            "founded": day(unit(layout.seed, S_SUB, company, 7), 1960, 2022)[:4],
        },
    )


def company_entities(layout: Layout) -> Iterator[Entity]:
    """Every company, in index order."""
    for company in range(layout.companies):
        yield company_entity(layout, company)


def parent_of(layout: Layout, company: int) -> int | None:
    """A bigger company of the same tier and country that owns this one, for a few companies."""
    if unit(layout.seed, S_SUB, company) >= SUBSIDIARY_SHARE:
        return None
    tier = layout.tier_of(company)
    country = layout.country_of(company)
    for other in range(company - 1, max(layout.tier_start[tier], company - 60) - 1, -1):
        if layout.country_of(other) == country:
            return other
    return None


def company_claims(layout: Layout) -> Iterator[Claim]:
    """LOCATED_IN for every company, SUBSIDIARY_OF for a few, USES/OWNS for buyers."""
    for company in range(layout.companies):
        cid = layout.company_id(company)
        name = company_name(layout, company)
        code = layout.country_of(company)
        h = mix(layout.seed, S_SUB, company, 1)
        yield claim(
            cid,
            "LOCATED_IN",
            country_id(code),
            evidence(layout, h, company, f"{name} is based in {COUNTRIES[code][0]}."),
        )
        parent = parent_of(layout, company)
        if parent is not None:
            owner = company_name(layout, parent)
            share = round(0.5 + unit(layout.seed, S_SUB, company, 2) / 2, 2)
            yield claim(
                cid,
                "SUBSIDIARY_OF",
                layout.company_id(parent),
                evidence(layout, h >> 1, company, f"{name} is a unit of {owner}."),
                {"share": share},
            )
        if layout.tier_of(company) == BUYER:
            yield from _buyer_claims(layout, company)


def _buyer_claims(layout: Layout, company: int) -> Iterator[Claim]:
    """What an AI developer or cloud runs: one or two designer-tier chips."""
    cid = layout.company_id(company)
    name = company_name(layout, company)
    size = layout.product_count[DESIGNER]
    start = layout.product_start[DESIGNER]
    h = mix(layout.seed, S_USE, company)
    chosen = sorted({start + int(size * unit(layout.seed, S_USE, company, k) ** 2) for k in (1, 2)})
    for number, product in enumerate(chosen[: 1 + h % 2]):
        pid = layout.product_id(product)
        quantity = 1000 * (1 + (h >> (8 + number)) % 50)
        quote = f"{name} runs about {quantity} {product_name(layout, product)} chips."
        purpose = "training" if (h >> 20) % 2 else "inference"
        props = {"purpose": purpose, "quantity": quantity}
        yield claim(cid, "USES", pid, evidence(layout, h >> number, company, quote), props)
        if (h >> (30 + number)) % 10 < 3:
            owns = {"quantity": quantity, "approximate": True}
            yield claim(cid, "OWNS", pid, evidence(layout, h >> 3, company, quote), owns)
