"""Country codes and names from structured data, resolved onto the one Country node per country.

Datasets name countries as ISO alpha-3 (ETO: ``CHN``), alpha-2 (CSL addresses: ``CN``,
FollowTheMoney: ``cn``) or in words. Curated Country entities carry ``iso2``/``iso3``
so the resolver finds them by code; a country the curated data lacks is minted as
``country/<alpha-2 in lower case>``, the same id the curated data would use.
"""

from __future__ import annotations

import pycountry

from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity


def _iso_record(code_or_name: str) -> Entity | None:
    """A Country entity built from the ISO 3166 table, or None when the text is no country."""
    text = code_or_name.strip()
    if not text:
        return None
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None
    name = getattr(found, "common_name", None) or found.name
    aliases = sorted({found.name, getattr(found, "official_name", found.name)} - {name})
    return Entity(
        id=f"country/{found.alpha_2.lower()}",
        label="Country",
        name=name,
        aliases=aliases,
        properties={"iso2": found.alpha_2, "iso3": found.alpha_3},
    )


def resolve_country(resolver: Resolver, code_or_name: str) -> tuple[Entity | None, bool]:
    """The Country for a code or name, and whether it is new (to be written with the load).

    Known countries come from the resolver (so "CHN", "cn" and "China" meet on
    ``country/cn``); otherwise the ISO table decides, and an unknown text gives None.
    """
    text = code_or_name.strip()
    if not text:
        return None, False
    known = resolver.resolve(text, label="Country")
    if known is not None:
        return known, False
    record = _iso_record(text)
    if record is None:
        return None, False
    existing = resolver.entities.get(record.id)
    if existing is not None:
        return existing, False
    return resolver.add(record), True
