"""Products: entities, their type/variant/input trees, and who designs or makes them."""

from __future__ import annotations

from collections.abc import Iterator

from chipkg.ontology import Claim, Entity
from chipkg.synth.layout import (
    DESIGNER,
    FAB,
    MATERIALS,
    S_INPUT,
    S_SHARE,
    S_VARIANT,
    TOOLS,
    Layout,
    mix,
    unit,
)
from chipkg.synth.naming import company_name, product_name
from chipkg.synth.provenance import day, evidence
from chipkg.synth.records import claim
from chipkg.synth.world import NODES_NM, ROOT_PARENTS, node_id, root_id

VARIANT_SHARE = 0.35
#: Bill of materials per tier: (input tier, input category, chance of the line).
INPUTS: dict[int, tuple[tuple[int, str, float], ...]] = {
    DESIGNER: (
        (FAB, "chip", 1.0),
        (FAB, "component", 1.0),
        (FAB, "hbm", 0.6),
        (FAB, "memory", 0.3),
    ),
    FAB: (
        (TOOLS, "lithography_system", 1.0),
        (TOOLS, "equipment", 1.0),
        (TOOLS, "equipment", 0.7),
        (TOOLS, "eda_software", 0.4),
        (MATERIALS, "material", 1.0),
        (MATERIALS, "material", 0.6),
    ),
    TOOLS: ((MATERIALS, "material", 0.5),),
}


def product_entity(layout: Layout, product: int) -> Entity:
    """The Product entity for an index."""
    return Entity(
        id=layout.product_id(product),
        label="Product",
        name=product_name(layout, product),
        properties={
            "category": layout.category_of(product),
            "release_date": day(unit(layout.seed, S_VARIANT, product, 9), 2012, 2025)[:7],
        },
    )


def product_entities(layout: Layout) -> Iterator[Entity]:
    """Every product, in index order."""
    for product in range(layout.products):
        yield product_entity(layout, product)


def root_claims(layout: Layout) -> Iterator[Claim]:
    """The category roots' own TYPE_OF tree."""
    for number, (child, parent) in enumerate(sorted(ROOT_PARENTS.items())):
        text = f"A {child} is a kind of {parent}."
        h = mix(layout.seed, S_INPUT, -1 - number)
        yield claim(
            root_id(child),
            "TYPE_OF",
            root_id(parent),
            evidence(layout, h, number, text),
        )


def product_claims(layout: Layout) -> Iterator[Claim]:
    """For each product: TYPE_OF its root, VARIANT_OF, INPUT_TO, and its makers."""
    for product in range(layout.products):
        pid = layout.product_id(product)
        name = product_name(layout, product)
        category = layout.category_of(product)
        h = mix(layout.seed, S_INPUT, product)
        text = f"The {name} is a {category.replace('_', ' ')}."
        yield claim(pid, "TYPE_OF", root_id(category), evidence(layout, h, product, text))
        yield from _tree_claims(layout, product, h)
        yield from _maker_claims(layout, product)


def _tree_claims(layout: Layout, product: int, h: int) -> Iterator[Claim]:
    """VARIANT_OF (export variants of designer chips), process node, and the product's inputs."""
    pid = layout.product_id(product)
    name = product_name(layout, product)
    tier = layout.product_tier(product)
    local = product - layout.product_start[tier]
    if tier == DESIGNER:
        if local % 2 and unit(layout.seed, S_VARIANT, product) < VARIANT_SHARE:
            base = product - 1
            text = f"The {name} is a cut-down variant of the {product_name(layout, base)}."
            yield claim(
                pid,
                "VARIANT_OF",
                layout.product_id(base),
                evidence(layout, h >> 2, product, text),
            )
        nm = NODES_NM[(h >> 12) % len(NODES_NM)]
        text = f"The {name} is built on a {nm} nm process."
        yield claim(node_id(nm), "INPUT_TO", pid, evidence(layout, h >> 4, product, text))
    yield from _input_claims(layout, product, h)


def _input_claims(layout: Layout, product: int, h: int) -> Iterator[Claim]:
    """INPUT_TO: what goes into the product, one draw per line of its tier's bill of materials."""
    name = product_name(layout, product)
    seen: set[int] = set()
    for k, (tier, category, chance) in enumerate(INPUTS.get(layout.product_tier(product), ())):
        if unit(layout.seed, S_INPUT, product, k) >= chance:
            continue
        source = layout.product_of_category(
            tier, category, unit(layout.seed, S_INPUT, product, k, 1)
        )
        if source in seen:
            continue
        seen.add(source)
        text = f"The {product_name(layout, source)} goes into the {name}."
        ev = evidence(layout, h >> (6 + k), product, text)
        yield claim(layout.product_id(source), "INPUT_TO", layout.product_id(product), ev)


def shares(layout: Layout, product: int, makers: int) -> list[float]:
    """Market shares of a product's makers, biggest first, summing to at most 1."""
    weights = [
        (1.0 / (k + 1)) ** 1.3 * (0.6 + 0.4 * unit(layout.seed, S_SHARE, product, k))
        for k in range(makers)
    ]
    covered = 0.85 + 0.15 * unit(layout.seed, S_SHARE, product, -1)
    total = sum(weights)
    return [round(w / total * covered, 4) for w in weights]


def _maker_claims(layout: Layout, product: int) -> Iterator[Claim]:
    """DESIGNS for the designer tier; MANUFACTURES with market shares, and rivalry, below it."""
    pid = layout.product_id(product)
    name = product_name(layout, product)
    makers = layout.makers_of(product)
    h = mix(layout.seed, S_SHARE, product)
    if layout.product_tier(product) == DESIGNER:
        designer = layout.company_id(makers[0])
        text = f"{company_name(layout, makers[0])} designs the {name}."
        yield claim(designer, "DESIGNS", pid, evidence(layout, h, product, text))
        return
    year = 2020 + h % 5
    for k, (maker, share) in enumerate(
        zip(makers, shares(layout, product, len(makers)), strict=True)
    ):
        text = f"{company_name(layout, maker)} holds {share:.0%} of the {name} market in {year}."
        props = {"market_share": share, "year": year}
        yield claim(layout.company_id(maker), "MANUFACTURES", pid, evidence(layout, h >> k, product, text), props)  # fmt: skip
    if len(makers) > 1:
        a, b = layout.company_id(makers[0]), layout.company_id(makers[1])
        text = f"{company_name(layout, makers[0])} competes with {company_name(layout, makers[1])}."
        market = layout.category_of(product)
        yield claim(a, "COMPETES_WITH", b, evidence(layout, h >> 9, product, text), {"market": market})  # fmt: skip
