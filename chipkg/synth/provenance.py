"""Sources and evidence for synthetic claims: every claim cites a synthetic Source.

Sources say plainly that they are synthetic (``kind: synthetic``, publisher
``chipkg synth``), so a generated graph can never be mistaken for reported facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from chipkg.ontology import Entity
from chipkg.synth.layout import Layout

PUBLISHER = "chipkg synth"
EXTRACTOR = "synth"
EXTRACTOR_VERSION = "1"
WIRE = "Synthetic Wire"
REGISTERS = 2
_EPOCH = dt.date(2010, 1, 1).toordinal()


def day(u: float, first_year: int, last_year: int) -> str:
    """An ISO date spread uniformly over the given years."""
    start = dt.date(first_year, 1, 1).toordinal()
    end = dt.date(last_year, 12, 31).toordinal()
    return dt.date.fromordinal(start + int(u * (end - start))).isoformat()


def dataset_id(index: int) -> str:
    """Id of the index-th synthetic dataset."""
    return f"source/synth-dataset-{index:04d}"


def news_id(index: int) -> str:
    """Id of the index-th synthetic news article."""
    return f"source/synth-news-{index:04d}"


def register_id(index: int) -> str:
    """Id of a synthetic official register (regulations cite these)."""
    return f"source/synth-register-{index}"


def sources(layout: Layout) -> Iterator[Entity]:
    """Every Source entity a synthetic graph cites."""
    specs: list[tuple[str, str, str]] = []
    specs += [
        (register_id(i), f"Synthetic official register {i}", "synthetic") for i in range(REGISTERS)
    ]
    specs += [
        (dataset_id(i), f"Synthetic supplier disclosures, part {i}", "synthetic")
        for i in range(layout.datasets)
    ]
    specs += [(news_id(i), f"Synthetic trade-press article {i}", "synthetic") for i in range(layout.news)]  # fmt: skip
    for number, (sid, title, kind) in enumerate(specs):
        yield Entity(
            id=sid,
            label="Source",
            name=title,
            properties={
                "title": title,
                "publisher": WIRE if sid.startswith("source/synth-news") else PUBLISHER,
                "language": "en",
                "published": dt.date.fromordinal(_EPOCH + number * 37 % 5000).isoformat(),
                "kind": kind,
            },
        )


def evidence(
    layout: Layout,
    h: int,
    row: int,
    quote: str | Callable[[], str],
    *,
    dataset_share: float = 0.8,
) -> list[dict[str, Any]]:
    """One or two pieces of evidence for a claim, chosen by the claim's hash ``h``.

    ``quote`` may be a function, so the text is only built for news evidence.
    """
    u = (h & 0xFFFF) / 65536.0
    items = []
    if u < dataset_share:
        items.append(
            {
                "source": dataset_id((h >> 16) % layout.datasets),
                "row": row,
                "extractor": EXTRACTOR,
                "extractor_version": EXTRACTOR_VERSION,
                "confidence": 0.9 + ((h >> 24) % 11) / 100.0,
            }
        )
    if u >= dataset_share or (h >> 32) % 100 < 12:
        items.append(_news(layout, h, quote if isinstance(quote, str) else quote()))
    return items


def _news(layout: Layout, h: int, quote: str) -> dict[str, Any]:
    v = (h >> 40) % 100
    modality = "reported" if v < 60 else "rumored" if v < 85 else "speculative"
    item: dict[str, Any] = {
        "source": news_id((h >> 48) % layout.news),
        "quote": quote,
        "language": "en",
        "extractor": EXTRACTOR,
        "extractor_version": EXTRACTOR_VERSION,
        "modality": modality,
        "confidence": {"reported": 0.8, "rumored": 0.5, "speculative": 0.3}[modality],
    }
    if modality == "reported":
        item["attributed_to"] = WIRE
    return item


def register_evidence(index: int, quote: str) -> list[dict[str, Any]]:
    """Evidence for regulation facts: the synthetic official register."""
    return [
        {
            "source": register_id(index % REGISTERS),
            "quote": quote,
            "extractor": EXTRACTOR,
            "extractor_version": EXTRACTOR_VERSION,
        }
    ]
