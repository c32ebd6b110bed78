"""A small supply graph for the viz tests: DeepSeek's chip suppliers and the 2023 US rule.

Written for these tests (not reference data), so the expected picture is known:
on 2024-06-01 the NVIDIA → DeepSeek H800 link is cut by the rule, Huawei's is not.
"""

from __future__ import annotations

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity

RULE = "regulation/test-advanced-computing-2023"
LISTING = "regulation/test-entity-list-huawei"
HBM_RULE = "regulation/test-hbm-2024"
NL_RULE = "regulation/test-nl-lithography-2023"


def claim(subject: str, predicate: str, obj: str, source: str, **kw: object) -> Claim:
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
        ("company/bystander", "Company", "Bystander Labs", {"roles": ["other"]}),
        ("product/h100", "Product", "H100", {"category": "gpu"}),
        ("product/h800", "Product", "H800", {"category": "gpu"}),
        ("product/ascend-910b", "Product", "Ascend 910B", {"category": "ai_accelerator"}),
        ("country/us", "Country", "United States", {"iso2": "US"}),
        ("country/cn", "Country", "China", {"iso2": "CN"}),
        ("country/tw", "Country", "Taiwan", {"iso2": "TW"}),
        ("country/nl", "Country", "Netherlands", {"iso2": "NL"}),
        ("country/kr", "Country", "South Korea", {"iso2": "KR"}),
        ("company/asml", "Company", "ASML", {"roles": ["equipment_maker"]}),
        ("company/sk-hynix", "Company", "SK hynix", {"roles": ["memory_maker"]}),
        ("company/micron", "Company", "Micron", {"roles": ["memory_maker"]}),
        ("product/hbm", "Product", "HBM", {"category": "hbm"}),
        ("product/hbm3e", "Product", "HBM3E", {"category": "hbm"}),
        ("product/euv-tool", "Product", "EUV scanner", {"category": "lithography_system"}),
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
    hbm = {**rule, "effective_from": "2024-12-02"}
    dutch = {**rule, "effective_from": "2023-09-01", "jurisdiction": "country/nl"}
    found.append(Entity(id=HBM_RULE, label="Regulation", name="Test HBM rule", properties=hbm))
    found.append(Entity(id=NL_RULE, label="Regulation", name="Test Dutch rule", properties=dutch))
    return found


def claims() -> list[Claim]:
    """Supply links with provenance; one rumored holding."""
    a, b = "source/viz-a", "source/viz-b"
    h800, ascend = {"item": "product/h800"}, {"item": "product/ascend-910b"}
    return [
        claim("company/nvidia", "SUPPLIES", "company/deepseek", a, properties=h800),
        claim(
            "company/huawei",
            "SUPPLIES",
            "company/deepseek",
            b,
            properties=ascend,
            modality="reported",
        ),
        claim("company/tsmc", "SUPPLIES", "company/huawei", a, properties=ascend),
        claim(
            "company/deepseek",
            "OWNS",
            "product/h800",
            b,
            modality="rumored",
            quote="DeepSeek is said to hold about ten thousand H800 boards.",
        ),
        claim("company/nvidia", "DESIGNS", "product/h800", a),
        claim("company/nvidia", "DESIGNS", "product/h100", a),
        claim("company/tsmc", "MANUFACTURES", "product/h100", a),
        claim("product/h800", "VARIANT_OF", "product/h100", a),
        claim("company/huawei", "DESIGNS", "product/ascend-910b", b),
        claim("company/tsmc", "USES", "product/h100", b),
        claim("company/deepseek", "LOCATED_IN", "country/cn", a),
        claim("company/huawei", "LOCATED_IN", "country/cn", a),
        claim("company/bystander", "LOCATED_IN", "country/cn", a),
        claim("company/nvidia", "LOCATED_IN", "country/us", a),
        claim("company/tsmc", "LOCATED_IN", "country/tw", a),
        claim("governmentbody/test-bis", "LOCATED_IN", "country/us", a),
        claim(RULE, "ISSUED_BY", "governmentbody/test-bis", a),
        claim(RULE, "TARGETS", "country/cn", a),
        claim(RULE, "RESTRICTS", "product/h800", a),
        claim(LISTING, "ISSUED_BY", "governmentbody/test-bis", a),
        claim(LISTING, "TARGETS", "company/huawei", a),
        *supply_tree(a),
    ]


def supply_tree(a: str) -> list[Claim]:
    """Inputs of the H100 with market shares, and rules restricting two of them."""
    shares = [
        ("company/asml", "product/euv-tool", 1.0),
        ("company/sk-hynix", "product/hbm", 0.5),
        ("company/micron", "product/hbm", 0.2),
        ("company/sk-hynix", "product/hbm3e", 0.6),
    ]
    made = [
        claim(maker, "MANUFACTURES", item, a, properties={"market_share": share})
        for maker, item, share in shares
    ]
    return [
        *made,
        claim("product/euv-tool", "INPUT_TO", "product/h100", a),
        claim("product/hbm", "INPUT_TO", "product/h100", a),
        claim("product/hbm3e", "TYPE_OF", "product/hbm", a),
        claim("company/asml", "LOCATED_IN", "country/nl", a),
        claim("company/sk-hynix", "LOCATED_IN", "country/kr", a),
        claim("company/micron", "LOCATED_IN", "country/us", a),
        claim(HBM_RULE, "TARGETS", "country/cn", a),
        claim(HBM_RULE, "RESTRICTS", "product/hbm", a),
        claim(NL_RULE, "TARGETS", "country/cn", a),
        claim(NL_RULE, "RESTRICTS", "product/euv-tool", a),
    ]


def build(store: Store) -> Store:
    """Write the scenario into ``store`` and return it."""
    store.write(entities(), claims())
    return store
