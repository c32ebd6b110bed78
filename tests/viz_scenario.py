"""A small supply graph for the viz tests: DeepSeek's chip suppliers and the 2023 US rule.

Written for these tests (not reference data), so the expected picture is known:
on 2024-06-01 the NVIDIA → DeepSeek H800 link is cut by the rule, Huawei's is not.
"""

from __future__ import annotations

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity

RULE = "regulation/test-advanced-computing-2023"
LISTING = "regulation/test-entity-list-huawei"


def _claim(subject: str, predicate: str, obj: str, source: str, **kw: object) -> Claim:
    quote = kw.pop("quote", None)
    evidence = {"source": source, "quote": quote, "modality": kw.pop("modality", "asserted")}
    return Claim.model_validate(
        {"subject": subject, "predicate": predicate, "object": obj, "evidence": evidence, **kw}
    )


def entities() -> list[Entity]:
    """Companies, products, countries, two regulations and two sources."""
    rows = [
        ("company/deepseek", "Company", "DeepSeek", {"roles": ["ai_developer"]}),
        ("company/nvidia", "Company", "NVIDIA", {"roles": ["chip_designer"]}),
        ("company/huawei", "Company", "Huawei", {"roles": ["chip_designer"]}),
        ("company/tsmc", "Company", "TSMC", {"roles": ["foundry"]}),
        ("product/h100", "Product", "H100", {"category": "gpu"}),
        ("product/h800", "Product", "H800", {"category": "gpu"}),
        ("product/ascend-910b", "Product", "Ascend 910B", {"category": "ai_accelerator"}),
        ("country/us", "Country", "United States", {"iso2": "US"}),
        ("country/cn", "Country", "China", {"iso2": "CN"}),
        ("country/tw", "Country", "Taiwan", {"iso2": "TW"}),
        ("governmentbody/test-bis", "GovernmentBody", "Test Bureau", {}),
        ("source/viz-a", "Source", "Viz test note A", {"url": "https://example.org/a"}),
        ("source/viz-b", "Source", "Viz test note B", {}),
    ]
    rule = {
        "kind": "export_control_rule",
        "effective_from": "2023-10-17",
        "jurisdiction": "country/us",
    }
    listing = {
        "kind": "entity_listing",
        "effective_from": "2019-05-16",
        "jurisdiction": "country/us",
        "fdpr": True,
    }
    found = [Entity(id=i, label=lab, name=n, properties=p) for i, lab, n, p in rows]
    found.append(Entity(id=RULE, label="Regulation", name="Test chip rule 2023", properties=rule))
    found.append(Entity(id=LISTING, label="Regulation", name="Test listing", properties=listing))
    return found


def claims() -> list[Claim]:
    """Supply links with provenance; one rumored holding."""
    a, b = "source/viz-a", "source/viz-b"
    h800, ascend = {"item": "product/h800"}, {"item": "product/ascend-910b"}
    return [
        _claim("company/nvidia", "SUPPLIES", "company/deepseek", a, properties=h800),
        _claim(
            "company/huawei",
            "SUPPLIES",
            "company/deepseek",
            b,
            properties=ascend,
            modality="reported",
        ),
        _claim("company/tsmc", "SUPPLIES", "company/huawei", a, properties=ascend),
        _claim(
            "company/deepseek",
            "OWNS",
            "product/h800",
            b,
            modality="rumored",
            quote="DeepSeek is said to hold about ten thousand H800 boards.",
        ),
        _claim("company/nvidia", "DESIGNS", "product/h800", a),
        _claim("company/nvidia", "DESIGNS", "product/h100", a),
        _claim("company/tsmc", "MANUFACTURES", "product/h100", a),
        _claim("product/h800", "VARIANT_OF", "product/h100", a),
        _claim("company/huawei", "DESIGNS", "product/ascend-910b", b),
        _claim("company/tsmc", "USES", "product/h100", b),
        _claim("company/deepseek", "LOCATED_IN", "country/cn", a),
        _claim("company/huawei", "LOCATED_IN", "country/cn", a),
        _claim("company/nvidia", "LOCATED_IN", "country/us", a),
        _claim("company/tsmc", "LOCATED_IN", "country/tw", a),
        _claim("governmentbody/test-bis", "LOCATED_IN", "country/us", a),
        _claim(RULE, "ISSUED_BY", "governmentbody/test-bis", a),
        _claim(RULE, "TARGETS", "country/cn", a),
        _claim(RULE, "RESTRICTS", "product/h800", a),
        _claim(LISTING, "ISSUED_BY", "governmentbody/test-bis", a),
        _claim(LISTING, "TARGETS", "company/huawei", a),
    ]


def build(store: Store) -> Store:
    """Write the scenario into ``store`` and return it."""
    store.write(entities(), claims())
    return store
