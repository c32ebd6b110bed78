"""Records for the export tests: every value type, several evidence shapes, Chinese and Italian.

The names and quotes are written for these tests; they are not reference facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chipkg.graph import EmbeddedStore
from chipkg.ontology import Claim, Entity

CHINESE_NAME = "华为技术有限公司"
CHINESE_ALIAS = "深度求索"
ITALIAN_NAME = "Società Generale Semiconduttori"
ITALIAN_QUOTE = "Si dice che l'azienda abbia già ricevuto più di diecimila unità, perché…"


def entities() -> list[Entity]:
    """Entities of every label used below, with lists, dates, numbers, booleans and URLs."""
    raw: list[dict[str, Any]] = [
        {"id": "company/deepseek", "label": "Company", "name": "DeepSeek",
         "aliases": ["DeepSeek AI", CHINESE_ALIAS],
         "properties": {"roles": ["ai_developer"], "founded": "2023-07"}},
        {"id": "company/huawei", "label": "Company", "name": CHINESE_NAME, "aliases": ["Huawei"],
         "properties": {"roles": ["chip_designer", "idm"], "founded": "1987"}},
        {"id": "company/nvidia", "label": "Company", "name": "NVIDIA",
         "properties": {"url": "https://www.nvidia.com/", "ticker": "NASDAQ:NVDA",
                        "founded": "1993-04-05", "roles": ["chip_designer"]}},
        {"id": "company/sgs", "label": "Company", "name": ITALIAN_NAME,
         "aliases": ["SGS Microelettronica"], "properties": {"roles": ["idm"]}},
        {"id": "facility/agrate", "label": "Facility", "name": "Stabilimento di Agrate Brianza",
         "properties": {"kind": "fab", "city": "Agrate Brianza"}},
        {"id": "country/us", "label": "Country", "name": "United States",
         "properties": {"iso2": "US"}},
        {"id": "country/it", "label": "Country", "name": "Italia", "aliases": ["Italy"]},
        {"id": "product/h800", "label": "Product", "name": "H800",
         "properties": {"category": "gpu", "release_date": "2023-03"}},
        {"id": "product/ascend-910b", "label": "Product", "name": "昇腾910B",
         "aliases": ["Ascend 910B"], "properties": {"category": "ai_accelerator"}},
        {"id": "technology/n7", "label": "Technology", "name": "7 nm",
         "properties": {"kind": "process_node", "node_nm": 7}},
        {"id": "technology/n6-5", "label": "Technology", "name": "6.5 nm (test)",
         "properties": {"kind": "process_node", "node_nm": 6.5}},
        {"id": "regulation/test-rule", "label": "Regulation", "name": "Test rule «2023»",
         "properties": {"kind": "export_control_rule", "effective_from": "2023-10-17",
                        "jurisdiction": "country/us", "fdpr": True, "citation": "88 FR 0000"}},
        {"id": "source/news-zh", "label": "Source", "name": "新闻报道",
         "properties": {"kind": "news", "language": "zh", "published": "2024"}},
        {"id": "source/news-it", "label": "Source", "name": "Notizia: è già ufficiale?",
         "properties": {"kind": "news", "language": "it", "published": "2024-05",
                        "url": "https://example.org/notizia?id=1&lang=it"}},
        {"id": "source/dataset", "label": "Source", "name": "Test dataset",
         "properties": {"kind": "dataset", "retrieved": "2025-01-02"}},
    ]  # fmt: skip
    return [Entity.model_validate(item) for item in raw]


def _claim(subject: str, predicate: str, obj: str, *evidence: dict[str, Any], **kw: Any) -> Claim:
    return Claim.model_validate(
        {
            "subject": subject,
            "predicate": predicate,
            "object": obj,
            "evidence": list(evidence),
            **kw,
        }
    )


def claims() -> list[Claim]:
    """Claims with one or two evidence, every modality, floats, ints and a negation."""
    return [
        _claim(
            "company/nvidia", "SUPPLIES", "company/deepseek",
            {"source": "source/news-zh", "quote": "英伟达向深度求索供应H800", "start": 10,
             "end": 22, "language": "zh", "extractor": "chipkg.text", "extractor_version": "1.2",
             "modality": "reported", "attributed_to": "Reuters", "confidence": 0.6,
             "properties": {"item": "product/h800", "volume": "约一万"},
             "valid_from": "2023"},
            {"source": "source/news-it", "quote": ITALIAN_QUOTE, "start": 0, "end": 70,
             "language": "it", "modality": "rumored", "confidence": 0.123456789,
             "properties": {"item": "product/h800"}, "valid_to": "2023-10-17"},
        ),
        _claim(
            "company/deepseek", "OWNS", "product/h800",
            {"source": "source/news-it", "quote": ITALIAN_QUOTE, "modality": "rumored",
             "confidence": 0.35, "properties": {"quantity": 10000, "approximate": True}},
        ),
        _claim(
            "company/deepseek", "USES", "product/ascend-910b",
            {"source": "source/news-zh", "quote": "计划使用昇腾", "modality": "speculative",
             "confidence": 0.4, "properties": {"purpose": "inference"}},
        ),
        _claim("company/huawei", "DESIGNS", "product/ascend-910b",
               {"source": "source/dataset", "row": 3, "extractor": "chipkg.reference"}),
        _claim("company/sgs", "MANUFACTURES", "technology/n7",
               {"source": "source/dataset", "row": 4,
                "properties": {"market_share": 0.1, "year": 1990}}),
        _claim("company/huawei", "OWNS", "product/h800",
               {"source": "source/news-zh", "quote": "华为并不拥有H800", "modality": "negated"}),
        _claim("company/sgs", "OPERATES", "facility/agrate", {"source": "source/dataset", "row": 5}),
        _claim("company/sgs", "LOCATED_IN", "country/it", {"source": "source/dataset", "row": 6}),
        _claim("company/nvidia", "COMPETES_WITH", "company/huawei",
               {"source": "source/news-zh", "quote": "竞争", "properties": {"market": "AI"}},
               derived=True),
        _claim("regulation/test-rule", "RESTRICTS", "product/h800",
               {"source": "source/dataset", "row": 7, "valid_from": "2023-10-17"}),
    ]  # fmt: skip


def filled_store(path: Path) -> EmbeddedStore:
    """An embedded store holding :func:`entities` and :func:`claims`."""
    store = EmbeddedStore(path)
    store.write(entities(), claims())
    return store
