"""SUPPLIES links: exactly ``links`` of them, upstream tier to downstream tier.

Links are shared out over customers in proportion to a heavy-tailed weight (a
few big buyers, many small ones) with exact integer rounding, so the total is
always what was asked. Suppliers are drawn with a bias towards the low indexes
of their tier, which makes a few of them hubs, like the largest foundries and
toolmakers. Each customer's links are decided alone, with a set of at most its
own links: memory does not grow with the size of the graph.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from chipkg.errors import ChipkgError
from chipkg.ontology import Claim
from chipkg.synth.layout import MATERIALS, S_LINKS, TIERS, Layout, mix
from chipkg.synth.naming import company_name, product_name
from chipkg.synth.provenance import evidence
from chipkg.synth.records import claim

HUB_SKEW = 2.2
ENDED_SHARE = 0.2
FIRST_DAY = dt.date(2012, 1, 1).toordinal()
SPAN_DAYS = dt.date(2024, 12, 31).toordinal() - FIRST_DAY


def allocation(layout: Layout) -> Iterator[tuple[int, int]]:
    """(customer, number of links) for every customer, summing to ``layout.links``."""
    customers = range(layout.tier_start[MATERIALS])
    total = sum(layout.link_weight(c) for c in customers)
    running = 0.0
    given = 0
    for customer in customers:
        running += layout.link_weight(customer)
        upto = layout.links if customer == customers[-1] else int(running * layout.links / total)
        yield customer, upto - given
        given = upto


def pairs(layout: Layout, customer: int, wanted: int) -> list[tuple[int, int]]:
    """``wanted`` distinct (supplier, item) pairs for one customer, hub-biased."""
    rng = random.Random(mix(layout.seed, S_LINKS, customer))
    tier = TIERS[layout.tier_of(customer)]
    tiers = [t for t, _ in tier.suppliers]
    weights = [w for _, w in tier.suppliers]
    chosen: dict[tuple[int, int], None] = {}
    attempts = 0
    while len(chosen) < wanted:
        attempts += 1
        if attempts > 50 * wanted + 100:
            return _enumerate(layout, customer, wanted, rng)
        supplier_tier = rng.choices(tiers, weights)[0]
        size = layout.tier_size[supplier_tier]
        supplier = layout.tier_start[supplier_tier] + int(size * rng.random() ** HUB_SKEW)
        if supplier == customer:
            continue
        items = layout.products_of(supplier)
        chosen.setdefault((supplier, items[rng.randrange(len(items))]))
    return list(chosen)


def _enumerate(
    layout: Layout, customer: int, wanted: int, rng: random.Random
) -> list[tuple[int, int]]:
    """Fallback for a customer that wants most of its pool: shuffle the whole pool."""
    tier = TIERS[layout.tier_of(customer)]
    pool = []
    for supplier_tier, _ in tier.suppliers:
        start = layout.tier_start[supplier_tier]
        for supplier in range(start, start + layout.tier_size[supplier_tier]):
            if supplier != customer:
                pool += [(supplier, item) for item in layout.products_of(supplier)]
    if len(pool) < wanted:
        raise ChipkgError(f"synth: customer {customer} cannot get {wanted} distinct supply links")
    rng.shuffle(pool)
    return pool[:wanted]


def supply_claims(layout: Layout) -> Iterator[Claim]:
    """Every SUPPLIES claim, customer by customer."""
    row = 0
    for customer, wanted in allocation(layout):
        if wanted == 0:
            continue
        customer_id = layout.company_id(customer)
        for supplier, item in pairs(layout, customer, wanted):
            yield _link(layout, supplier, customer, customer_id, item, row)
            row += 1


def _link(
    layout: Layout, supplier: int, customer: int, customer_id: str, item: int, row: int
) -> Claim:
    """One SUPPLIES claim with its item, validity and evidence."""
    h = mix(layout.seed, S_LINKS, supplier, customer, item)
    begins = FIRST_DAY + ((h >> 8) & 0xFFFFFF) * SPAN_DAYS // (1 << 24)
    start = dt.date.fromordinal(begins).isoformat()
    end = None
    if (h >> 40) % 100 < ENDED_SHARE * 100:
        end = dt.date.fromordinal(begins + 365 * (1 + (h >> 48) % 5) + (h >> 20) % 90).isoformat()
    props: dict[str, object] = {"item": layout.product_id(item)}
    if (h >> 56) % 10 < 3:
        props["volume"] = f"USD {1 + (h >> 32) % 400} million per year"

    def quote() -> str:
        return (
            f"{company_name(layout, supplier)} supplies the {product_name(layout, item)} "
            f"to {company_name(layout, customer)}."
        )

    ev = evidence(layout, h, row, quote)
    return claim(layout.company_id(supplier), "SUPPLIES", customer_id, ev, props, valid_from=start, valid_to=end)  # fmt: skip
