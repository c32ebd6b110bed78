"""Made-up but pronounceable names, so synthetic graphs read like real ones in a table.

Names carry their index, so two synthetic entities never share a name and entity
resolution never has to guess between them.
"""

from __future__ import annotations

from chipkg.synth.layout import S_NAME, S_PRODUCT_NAME, Layout, mix

_HEADS = (
    "Ar", "Bel", "Cor", "Dra", "El", "Fen", "Gal", "Hex", "Ion", "Jun", "Kel", "Lum", "Mor",
    "Nex", "Or", "Pra", "Qua", "Ros", "Syn", "Tor", "Ul", "Ver", "Wen", "Xan", "Yor", "Zen",
)  # fmt: skip
_MIDS = ("a", "e", "i", "o", "u", "ar", "en", "ix", "on", "el")
_TAILS = (
    "tek", "tron", "lex", "nova", "sil", "gen", "dyne", "chip", "wave", "core", "max", "lith",
    "via", "mos", "tera", "quant",
)  # fmt: skip
_ROLE_WORDS = {
    "ai_developer": ("AI", "Intelligence", "Labs"),
    "cloud_provider": ("Cloud", "Compute", "Data Systems"),
    "chip_designer": ("Semiconductor", "Microsystems", "Silicon"),
    "foundry": ("Foundry", "Wafer Works", "Fab"),
    "memory_maker": ("Memory", "Storage Devices", "DRAM"),
    "osat": ("Packaging", "Assembly and Test", "Advanced Packaging"),
    "equipment_maker": ("Equipment", "Process Tools", "Lithography"),
    "eda_vendor": ("Design Automation", "EDA", "Design Software"),
    "materials_supplier": ("Materials", "Chemicals", "Specialty Gases"),
}
_CATEGORY_WORDS = {
    "gpu": "GPU",
    "ai_accelerator": "NPU",
    "cpu": "CPU",
    "chip": "wafer service",
    "hbm": "HBM stack",
    "memory": "DRAM module",
    "component": "package",
    "lithography_system": "scanner",
    "equipment": "etch tool",
    "eda_software": "design suite",
    "material": "photoresist",
}


def brand(seed: int, salt: int, index: int) -> str:
    """A pronounceable brand from three syllables."""
    h = mix(seed, salt, index)
    return _HEADS[h % len(_HEADS)] + _MIDS[(h >> 8) % len(_MIDS)] + _TAILS[(h >> 16) % len(_TAILS)]


def company_name(layout: Layout, company: int) -> str:
    """E.g. 'Kelixtron Microsystems 1042'."""
    words = _ROLE_WORDS[layout.role_of(company)]
    word = words[mix(layout.seed, S_NAME, company, 1) % len(words)]
    return f"{brand(layout.seed, S_NAME, company)} {word} {company}"


def product_name(layout: Layout, product: int) -> str:
    """E.g. 'Torenlith X-310 scanner 88'."""
    h = mix(layout.seed, S_PRODUCT_NAME, product)
    letter = "XMRTVQ"[h % 6]
    model = 100 + (h >> 8) % 900
    kind = _CATEGORY_WORDS[layout.category_of(product)]
    return f"{brand(layout.seed, S_PRODUCT_NAME, product)} {letter}-{model} {kind} {product}"
