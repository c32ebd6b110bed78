"""Quality checks on a loaded dataset: the gaps that make dated queries answer wrong.

The queries cut links by date and walk supply chains company by company, so a company
with no supply or make claim, a rule with no effective date, a product with no release
date, a fact with no source URL, or a link dated before one of its ends existed all
produce silent wrong answers. :func:`check` lists each such gap as a :class:`Finding`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from chipkg.loaders.base import LoadResult
from chipkg.ontology import Claim, Entity

ISLAND = "island"
NO_EFFECTIVE_DATE = "regulation_without_effective_date"
NO_RELEASE_DATE = "product_without_release_date"
NO_SOURCE_URL = "claim_without_source_url"
BEFORE_EXISTENCE = "link_before_existence"
KINDS = (ISLAND, NO_EFFECTIVE_DATE, NO_RELEASE_DATE, NO_SOURCE_URL, BEFORE_EXISTENCE)

CHAIN_PREDICATES = frozenset({"SUPPLIES", "MANUFACTURES", "DESIGNS", "DEVELOPS"})
"""Claims that put a company in the chain: it supplies, is supplied, makes or designs."""

OUTSIDE_CHAIN_ROLES = frozenset({"media"})
"""Companies present only as publishers of claims are not expected to be in the chain."""

UNRELEASED_CATEGORIES = frozenset(
    {
        "material",
        "equipment",
        "lithography_system",
        "component",
        "eda_software",
        "service",
        "system",
    }
)
"""Product categories that name classes of goods (gases, etch tools, servers), not releases."""
RELEASED = ("released", "release_date")


@dataclass(frozen=True)
class Finding:
    """One gap: its kind, the entity or claim it concerns, and what is wrong."""

    kind: str
    subject: str
    message: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def check(result: LoadResult) -> list[Finding]:
    """Every finding in a loaded dataset, grouped by kind in :data:`KINDS` order."""
    by_id = {e.id: e for e in result.entities}
    findings = [
        *_islands(result.entities, result.claims),
        *_missing_property(by_id.values(), "Regulation", ("effective_from",), NO_EFFECTIVE_DATE),
        *_missing_property(
            _released_products(by_id.values()), "Product", RELEASED, NO_RELEASE_DATE
        ),
        *_unsourced(result.claims, by_id),
        *_before_existence(result.claims, by_id),
    ]
    return sorted(findings, key=lambda f: (KINDS.index(f.kind), f.subject, f.message))


def _released_products(entities: Iterable[Entity]) -> list[Entity]:
    """Products that come in releases; a class of goods has no release date to check."""
    return [
        e
        for e in entities
        if e.label == "Product" and e.properties.get("category") not in UNRELEASED_CATEGORIES
    ]


def _roles(entity: Entity) -> set[str]:
    roles = entity.properties.get("roles") or []
    return {str(r) for r in roles}


def _islands(entities: Iterable[Entity], claims: list[Claim]) -> list[Finding]:
    """Companies with no held supply or make claim, themselves or through a subsidiary."""
    linked: set[str] = set()
    parents: dict[str, set[str]] = {}
    for claim in claims:
        if claim.modality == "negated":
            continue
        if claim.predicate in CHAIN_PREDICATES:
            linked.add(claim.subject)
            if claim.predicate == "SUPPLIES":
                linked.add(claim.object)
        elif claim.predicate == "SUBSIDIARY_OF":
            parents.setdefault(claim.subject, set()).add(claim.object)
    frontier = list(linked)
    while frontier:  # a holding company is in the chain through its subsidiaries
        for parent in parents.get(frontier.pop(), ()):
            if parent not in linked:
                linked.add(parent)
                frontier.append(parent)
    return [
        Finding(ISLAND, e.id, "no SUPPLIES, MANUFACTURES, DESIGNS or DEVELOPS claim")
        for e in entities
        if e.label == "Company" and e.id not in linked and not _outside_chain(e)
    ]


def _outside_chain(entity: Entity) -> bool:
    roles = _roles(entity)
    return bool(roles) and roles <= OUTSIDE_CHAIN_ROLES


def _missing_property(
    entities: Iterable[Entity], label: str, names: tuple[str, ...], kind: str
) -> list[Finding]:
    return [
        Finding(kind, e.id, f"no {names[0]} date")
        for e in entities
        if e.label == label and not any(e.properties.get(n) for n in names)
    ]


def _claim_ref(claim: Claim) -> str:
    item = claim.properties.get("item")
    suffix = f" (item {item})" if item else ""
    return f"{claim.subject} {claim.predicate} {claim.object}{suffix}"


def _unsourced(claims: list[Claim], by_id: dict[str, Entity]) -> list[Finding]:
    findings = []
    for claim in claims:
        urls = [
            str(by_id[s].properties.get("url", "")) if s in by_id else "" for s in claim.sources
        ]
        if not any(u.startswith(("http://", "https://")) for u in urls):
            findings.append(Finding(NO_SOURCE_URL, _claim_ref(claim), "no source with a URL"))
    return findings


def _latest(date: str) -> str:
    """The last day a partial date can mean, as a comparable string."""
    return date + "-99" * (2 - date.count("-"))


def _earliest(date: str) -> str:
    return date + "-00" * (2 - date.count("-"))


def _claim_date(claim: Claim, by_id: dict[str, Entity]) -> tuple[str, str] | None:
    """When the claim says the link held: valid_from, else its source's publication date.

    A rule defined by thresholds restricts products released after it was published, so
    for RESTRICTS only an explicit valid_from counts.
    """
    if claim.valid_from:
        return claim.valid_from, "valid_from"
    if claim.predicate == "RESTRICTS":
        return None
    published = [
        str(by_id[s].properties["published"])
        for s in claim.sources
        if s in by_id and by_id[s].properties.get("published")
    ]
    return (min(published), "source published") if published else None


def _born(entity: Entity) -> tuple[str, str] | None:
    for name in ("founded", "released", "release_date"):
        value = entity.properties.get(name)
        if value:
            return str(value), name
    return None


def _before_existence(claims: list[Claim], by_id: dict[str, Entity]) -> list[Finding]:
    findings = []
    for claim in claims:
        when = _claim_date(claim, by_id)
        if when is None:
            continue
        ends = [claim.subject, claim.object, str(claim.properties.get("item", ""))]
        for end in dict.fromkeys(e for e in ends if e in by_id):
            born = _born(by_id[end])
            if born and _latest(when[0]) < _earliest(born[0]):
                findings.append(
                    Finding(
                        BEFORE_EXISTENCE,
                        _claim_ref(claim),
                        f"{when[1]} {when[0]} is before {end} {born[1]} {born[0]}",
                    )
                )
    return findings
