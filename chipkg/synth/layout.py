"""Where everything sits in a synthetic graph: sizes, tiers and index arithmetic.

Every company, product and regulation is a pure function of ``(seed, index)``,
so the generator can emit any record without remembering the others: memory
stays bounded whatever the number of links.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

MASK = (1 << 64) - 1
LINKS_PER_COMPANY = 6
MIN_COMPANIES = 150


def mix(seed: int, *parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 rounds): cheap, seeded random access."""
    x = seed & MASK
    for part in parts:
        x = (x + 0x9E3779B97F4A7C15 + (part & MASK)) & MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        x ^= x >> 31
    return x


def unit(seed: int, *parts: int) -> float:
    """A float in [0, 1) from :func:`mix`."""
    return (mix(seed, *parts) >> 11) / float(1 << 53)


def pick(weights: tuple[tuple[str, float], ...], u: float) -> str:
    """The item whose cumulative weight interval holds ``u`` (weights sum to about 1)."""
    total = 0.0
    for item, weight in weights:
        total += weight
        if u < total:
            return item
    return weights[-1][0]


# Salts keep the hash streams of different decisions independent.
S_COUNTRY, S_ROLE, S_WEIGHT, S_LINKS, S_VARIANT, S_INPUT, S_SHARE = range(1, 8)
S_REG, S_SUB, S_USE, S_NAME, S_PRODUCT_NAME, S_TECH = range(8, 14)


@dataclass(frozen=True)
class Tier:
    """One layer of the chain: who sits there, what they make, whom they buy from."""

    name: str
    share: float
    categories: tuple[str, ...]
    countries: tuple[tuple[str, float], ...]
    suppliers: tuple[tuple[int, float], ...]
    makers_per_product: float


BUYER, DESIGNER, FAB, TOOLS, MATERIALS = range(5)
TIERS: tuple[Tier, ...] = (
    Tier(
        "buyer", 0.14, (),
        (("us", 0.34), ("cn", 0.34), ("gb", 0.06), ("fr", 0.05), ("ae", 0.05), ("sa", 0.04),
         ("in", 0.04), ("kr", 0.04), ("jp", 0.04)),
        ((DESIGNER, 0.85), (FAB, 0.15)), 1.0,
    ),
    Tier(
        "designer", 0.18, ("gpu", "ai_accelerator", "cpu"),
        (("us", 0.40), ("cn", 0.26), ("tw", 0.08), ("kr", 0.06), ("il", 0.05), ("gb", 0.05),
         ("jp", 0.05), ("in", 0.05)),
        ((FAB, 0.8), (TOOLS, 0.2)), 0.5,
    ),
    Tier(
        "fab", 0.20, ("chip", "hbm", "memory", "component"),
        (("tw", 0.32), ("cn", 0.26), ("kr", 0.14), ("us", 0.10), ("jp", 0.06), ("sg", 0.05),
         ("my", 0.05), ("de", 0.02)),
        ((TOOLS, 0.6), (MATERIALS, 0.4)), 3.0,
    ),
    Tier(
        "tools", 0.20, ("lithography_system", "equipment", "equipment", "eda_software"),
        (("us", 0.34), ("jp", 0.22), ("nl", 0.10), ("cn", 0.18), ("kr", 0.06), ("de", 0.06),
         ("gb", 0.04)),
        ((MATERIALS, 0.7), (TOOLS, 0.3)), 2.5,
    ),
    Tier(
        "materials", 0.28, ("material",),
        (("jp", 0.32), ("cn", 0.24), ("us", 0.14), ("de", 0.10), ("kr", 0.08), ("tw", 0.08),
         ("be", 0.04)),
        (), 5.0,
    ),
)  # fmt: skip

ROLE_OF_CATEGORY = {
    "gpu": "chip_designer",
    "ai_accelerator": "chip_designer",
    "cpu": "chip_designer",
    "chip": "foundry",
    "hbm": "memory_maker",
    "memory": "memory_maker",
    "component": "osat",
    "lithography_system": "equipment_maker",
    "equipment": "equipment_maker",
    "eda_software": "eda_vendor",
    "material": "materials_supplier",
}


class Layout:
    """Sizes and index arithmetic for ``links`` supply links generated from ``seed``."""

    def __init__(self, links: int, seed: int) -> None:
        self.links = links
        self.seed = seed
        self.companies = max(MIN_COMPANIES, links // LINKS_PER_COMPANY)
        sizes = [max(6, int(self.companies * t.share)) for t in TIERS]
        sizes[BUYER] += self.companies - sum(sizes)
        self.tier_size = sizes
        self.tier_start = [sum(sizes[:i]) for i in range(len(sizes))]
        counts = [self._product_count(i) for i in range(len(TIERS))]
        self.product_count = counts
        self.product_start = [sum(counts[:i]) for i in range(len(counts))]
        self.products = sum(counts)
        self.regulations = max(8, links // 2500)
        self.datasets = max(3, links // 20_000)
        self.news = max(3, links // 10_000)

    def _product_count(self, tier: int) -> int:
        if tier == BUYER:
            return 0
        if tier == DESIGNER:
            return 2 * self.tier_size[tier]
        per = TIERS[tier].makers_per_product
        return max(len(TIERS[tier].categories), math.ceil(self.tier_size[tier] / per))

    # -- companies ------------------------------------------------------------------

    def tier_of(self, company: int) -> int:
        """The tier of a company index."""
        return bisect_right(self.tier_start, company) - 1

    def country_of(self, company: int) -> str:
        """ISO-2 code (lower case) of the company's home country."""
        tier = TIERS[self.tier_of(company)]
        return pick(tier.countries, unit(self.seed, S_COUNTRY, company))

    def products_of(self, company: int) -> list[int]:
        """Global indexes of the products the company designs or makes."""
        tier = self.tier_of(company)
        local = company - self.tier_start[tier]
        start = self.product_start[tier]
        if tier == BUYER:
            return []
        if tier == DESIGNER:
            return [start + 2 * local, start + 2 * local + 1]
        return [start + local % self.product_count[tier]]

    def role_of(self, company: int) -> str:
        """The company's role, consistent with what it makes."""
        tier = self.tier_of(company)
        if tier == BUYER:
            return "cloud_provider" if unit(self.seed, S_ROLE, company) < 0.3 else "ai_developer"
        return ROLE_OF_CATEGORY[self.category_of(self.products_of(company)[0])]

    def link_weight(self, company: int) -> float:
        """How many supply links a customer gets, relative to others (heavy-tailed)."""
        if self.tier_of(company) == MATERIALS:
            return 0.0
        u = unit(self.seed, S_WEIGHT, company)
        return min(12.0, 1.0 / math.sqrt(1.0 - u))

    # -- products -------------------------------------------------------------------

    def product_tier(self, product: int) -> int:
        """The tier whose companies make the product."""
        return bisect_right(self.product_start, product) - 1 if product >= 0 else -1

    def category_of(self, product: int) -> str:
        """The product's category (cycles through its tier's categories)."""
        tier = self.product_tier(product)
        cats = TIERS[tier].categories
        return cats[(product - self.product_start[tier]) % len(cats)]

    def makers_of(self, product: int) -> list[int]:
        """Company indexes that design (designer tier) or make the product, biggest first."""
        tier = self.product_tier(product)
        local = product - self.product_start[tier]
        start = self.tier_start[tier]
        if tier == DESIGNER:
            return [start + local // 2]
        step = self.product_count[tier]
        return [start + k for k in range(local, self.tier_size[tier], step)]

    def company_id(self, company: int) -> str:
        """Canonical id of a company index."""
        return f"company/synth-{company:07d}"

    def product_of_category(self, tier: int, category: str, u: float) -> int:
        """A product of ``tier`` in ``category``, biased towards the tier's first (big) ones."""
        cats = TIERS[tier].categories
        positions = [i for i, c in enumerate(cats) if c == category]
        count = self.product_count[tier]
        position = positions[int(u * 1e6) % len(positions)]
        cycles = max(1, math.ceil((count - position) / len(cats)))
        return self.product_start[tier] + position + len(cats) * int(cycles * u**1.5)

    def product_id(self, product: int) -> str:
        """Canonical id of a product index."""
        return f"product/synth-{product:07d}"

    def regulation_id(self, regulation: int) -> str:
        """Canonical id of a regulation index."""
        return f"regulation/synth-{regulation:05d}"
