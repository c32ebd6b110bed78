"""The fixed frame of every synthetic graph: countries, government bodies, category roots.

Countries and government bodies reuse the reference data's ids and names, so a
synthetic graph can be loaded next to the curated one without clashing.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipkg.ontology import Entity

COUNTRIES: dict[str, tuple[str, str]] = {
    "us": ("United States", "USA"),
    "cn": ("China", "CHN"),
    "tw": ("Taiwan", "TWN"),
    "nl": ("Netherlands", "NLD"),
    "jp": ("Japan", "JPN"),
    "kr": ("South Korea", "KOR"),
    "de": ("Germany", "DEU"),
    "fr": ("France", "FRA"),
    "gb": ("United Kingdom", "GBR"),
    "sg": ("Singapore", "SGP"),
    "il": ("Israel", "ISR"),
    "in": ("India", "IND"),
    "my": ("Malaysia", "MYS"),
    "be": ("Belgium", "BEL"),
    "ae": ("United Arab Emirates", "ARE"),
    "sa": ("Saudi Arabia", "SAU"),
}

#: Issuing body per jurisdiction that writes synthetic regulations.
BODIES: dict[str, tuple[str, str]] = {
    "us": ("governmentbody/us-bis", "Bureau of Industry and Security"),
    "nl": ("governmentbody/nl-government", "Government of the Netherlands"),
    "jp": ("governmentbody/jp-meti", "Ministry of Economy, Trade and Industry"),
    "cn": ("governmentbody/cn-mofcom", "Ministry of Commerce of the People's Republic of China"),
}

#: One generic product per category; every synthetic product is TYPE_OF its root.
ROOTS: dict[str, str] = {
    "gpu": "GPU",
    "ai_accelerator": "AI accelerator",
    "cpu": "CPU",
    "chip": "Foundry wafer service",
    "hbm": "HBM",
    "memory": "DRAM",
    "component": "Advanced package",
    "lithography_system": "Lithography system",
    "equipment": "Wafer fab equipment",
    "eda_software": "EDA software",
    "material": "Semiconductor material",
}
#: Roots that are themselves a type of another root.
ROOT_PARENTS = {"hbm": "memory", "lithography_system": "equipment", "ai_accelerator": "gpu"}

#: Process nodes (Technology) that the designer tier's chips need.
NODES_NM = (3, 5, 7, 14, 28)


def country_id(code: str) -> str:
    """Canonical id of a country code."""
    return f"country/{code}"


def root_id(category: str) -> str:
    """Id of a category's generic product."""
    return f"product/synth-{category.replace('_', '-')}"


def node_id(nm: int) -> str:
    """Id of a process-node Technology."""
    return f"technology/synth-{nm}nm"


def frame_entities() -> Iterator[Entity]:
    """Countries, government bodies, category roots and process nodes."""
    for code, (name, iso3) in COUNTRIES.items():
        yield Entity(
            id=country_id(code),
            label="Country",
            name=name,
            properties={"iso2": code.upper(), "iso3": iso3},
        )
    for body_id, name in BODIES.values():
        yield Entity(id=body_id, label="GovernmentBody", name=name)
    for category, name in ROOTS.items():
        yield Entity(
            id=root_id(category),
            label="Product",
            name=f"Synthetic {name} (category)",
            properties={"category": category},
        )
    for nm in NODES_NM:
        yield Entity(
            id=node_id(nm),
            label="Technology",
            name=f"Synthetic {nm} nm process",
            properties={"kind": "process_node", "node_nm": nm},
        )
