"""Regulations: export-control rules and entity listings, with dates, issuer and reach.

Most rules are American and aim at China (as in the real chain), some are Dutch
or Japanese, and a few Chinese rules aim back at the United States. Entity
listings target companies; rules target a country and restrict items; a few
American rules use the foreign direct product rule (``fdpr``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from chipkg.ontology import Claim, Entity
from chipkg.synth.layout import DESIGNER, FAB, S_REG, TOOLS, Layout, mix, pick
from chipkg.synth.naming import company_name, product_name
from chipkg.synth.provenance import register_evidence
from chipkg.synth.records import claim
from chipkg.synth.world import BODIES, COUNTRIES, country_id

JURISDICTIONS = (("us", 0.7), ("nl", 0.1), ("jp", 0.1), ("cn", 0.1))
KINDS = (
    ("entity_listing", 0.45),
    ("export_control_rule", 0.3),
    ("foreign_direct_product_rule", 0.1),
    ("licence_requirement", 0.15),
)
LISTS_COMPANIES = ("entity_listing", "foreign_direct_product_rule")
RESTRICTS_ITEMS = ("export_control_rule", "foreign_direct_product_rule", "licence_requirement")


@dataclass
class Rule:
    """Everything the generator decides about one regulation."""

    index: int
    jurisdiction: str
    kind: str
    effective_from: str
    effective_to: str | None
    target_country: str
    companies: list[int] = field(default_factory=list)
    products: list[int] = field(default_factory=list)


def rule(layout: Layout, index: int) -> Rule:
    """Decide regulation ``index`` from the seed alone."""
    rng = random.Random(mix(layout.seed, S_REG, index))
    jurisdiction = pick(JURISDICTIONS, rng.random())
    kind = pick(KINDS, rng.random())
    if kind == "foreign_direct_product_rule" and jurisdiction != "us":
        kind = "export_control_rule"
    start = dt.date(2018, 1, 1).toordinal() + rng.randrange(7 * 365)
    end = start + rng.randrange(365, 4 * 365) if rng.random() < 0.2 else None
    found = Rule(
        index=index,
        jurisdiction=jurisdiction,
        kind=kind,
        effective_from=dt.date.fromordinal(start).isoformat(),
        effective_to=dt.date.fromordinal(end).isoformat() if end else None,
        target_country="us" if jurisdiction == "cn" else "cn",
    )
    if kind in LISTS_COMPANIES:
        found.companies = _companies_in(layout, rng, found.target_country, rng.randint(1, 8))
    if kind in RESTRICTS_ITEMS:
        found.products = _restricted(layout, rng, rng.randint(1, 6))
    return found


def _companies_in(layout: Layout, rng: random.Random, country: str, wanted: int) -> list[int]:
    """Up to ``wanted`` companies located in ``country`` (rejection sampling, bounded)."""
    chosen: set[int] = set()
    for _ in range(wanted * 40):
        company = int(layout.companies * rng.random() ** 1.5)
        if layout.country_of(company) == country:
            chosen.add(company)
            if len(chosen) == wanted:
                break
    return sorted(chosen)


def _restricted(layout: Layout, rng: random.Random, wanted: int) -> list[int]:
    """Chips, memory and tools: the items export controls restrict."""
    chosen = set()
    for _ in range(wanted):
        tier = rng.choice((DESIGNER, DESIGNER, FAB, TOOLS))
        size = layout.product_count[tier]
        chosen.add(layout.product_start[tier] + int(size * rng.random() ** 2))
    return sorted(chosen)


def regulation_entity(layout: Layout, found: Rule) -> Entity:
    """The Regulation entity of a decided rule."""
    words = found.kind.replace("_", " ")
    props: dict[str, object] = {
        "kind": found.kind,
        "effective_from": found.effective_from,
        "jurisdiction": country_id(found.jurisdiction),
        "fdpr": found.kind == "foreign_direct_product_rule",
        "citation": f"SYNTH-{found.jurisdiction.upper()}-{found.effective_from[:4]}-{found.index:05d}",
    }
    if found.effective_to:
        props["effective_to"] = found.effective_to
    return Entity(
        id=layout.regulation_id(found.index),
        label="Regulation",
        name=f"Synthetic {found.jurisdiction.upper()} {words} {found.effective_from} #{found.index}",
        properties=props,
    )


def regulation_entities(layout: Layout) -> Iterator[Entity]:
    """Every regulation entity, in index order."""
    for index in range(layout.regulations):
        yield regulation_entity(layout, rule(layout, index))


def regulation_claims(layout: Layout) -> Iterator[Claim]:
    """ISSUED_BY, TARGETS and RESTRICTS for every regulation."""
    for index in range(layout.regulations):
        found = rule(layout, index)
        rid = layout.regulation_id(index)
        body, body_name = BODIES[found.jurisdiction]
        text = f"{body_name} issued rule {index} effective {found.effective_from}."
        yield claim(rid, "ISSUED_BY", body, register_evidence(index, text))
        edges: list[tuple[str, str, str, dict[str, Any] | None]] = []
        if not found.companies:
            country = COUNTRIES[found.target_country][0]
            text = f"Rule {index} applies to buyers in {country}."
            edges.append(("TARGETS", country_id(found.target_country), text, None))
        for company in found.companies:
            text = f"Rule {index} adds {company_name(layout, company)} to the list."
            props = {"programme": f"synthetic-{found.jurisdiction}-list"}
            edges.append(("TARGETS", layout.company_id(company), text, props))
        for product in found.products:
            text = f"Rule {index} restricts exports of the {product_name(layout, product)}."
            edges.append(("RESTRICTS", layout.product_id(product), text, None))
        for predicate, target, quote, props_or_none in edges:
            yield claim(
                rid,
                predicate,
                target,
                register_evidence(index, quote),
                props_or_none,
                valid_from=found.effective_from,
                valid_to=found.effective_to,
            )


def body_claims(layout: Layout) -> Iterator[Claim]:
    """Each issuing body is LOCATED_IN its country."""
    for number, (code, (body, name)) in enumerate(sorted(BODIES.items())):
        text = f"{name} is a government body of {COUNTRIES[code][0]}."
        yield claim(body, "LOCATED_IN", country_id(code), register_evidence(number, text))
