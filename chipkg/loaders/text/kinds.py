"""Mention kinds: one letter each, because the relation patterns spell them as letters.

A pattern such as ``{S:C} supplies {O:P}`` names kinds by letter, and a view writes each
mention as a token carrying its letter; ``Kind`` is a ``StrEnum`` so a member *is* that
letter (``Kind.COMPANY == "C"``) and can stand wherever the patterns expect one.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a mention is."""

    COMPANY = "C"
    PRODUCT = "P"
    TECHNOLOGY = "T"
    COUNTRY = "K"
    DEMONYM = "D"
    GOVERNMENT = "G"
    REGULATION = "R"
    PERSON = "N"
    FACILITY = "F"
    COUNT = "Q"
    DATE = "Y"
    OWN_PRODUCT = "O"
    POSSESSIVE = "W"
    QUOTED = "X"


ENTITY_KINDS = frozenset(
    {
        Kind.COMPANY,
        Kind.PRODUCT,
        Kind.TECHNOLOGY,
        Kind.COUNTRY,
        Kind.GOVERNMENT,
        Kind.REGULATION,
        Kind.PERSON,
        Kind.FACILITY,
        Kind.OWN_PRODUCT,
        Kind.DEMONYM,
    }
)
"""Kinds that name something a claim can be about (counts, dates, possessives are not)."""

ISSUER_KINDS = frozenset({Kind.COUNTRY, Kind.DEMONYM, Kind.GOVERNMENT, Kind.REGULATION})
"""Kinds that can name a measure's issuer ("US sanctions") or the measure itself."""
