"""The curated reference graph: it loads, every fact has a source, and the ids queries use exist.

The canned queries (issue 6) and the demo stand on these files, so the tests check the
modelling contract (regulation properties, ISSUED_BY, item ids on supply links) as well
as provenance, on both store backends.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from chipkg.datacheck import check
from chipkg.graph import Store
from chipkg.loaders.base import LoadResult
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity

REQUIRED_IDS = [
    "company/deepseek",
    "company/openai",
    "company/nvidia",
    "company/amd",
    "company/huawei",
    "company/hisilicon",
    "company/smic",
    "company/tsmc",
    "company/samsung",
    "company/intel",
    "company/sk-hynix",
    "company/micron",
    "company/cxmt",
    "company/ymtc",
    "company/asml",
    "company/applied-materials",
    "company/lam-research",
    "company/kla",
    "company/tokyo-electron",
    "company/naura",
    "company/amec",
    "company/smee",
    "company/cadence",
    "company/synopsys",
    "country/us",
    "country/cn",
    "country/tw",
    "country/nl",
    "country/jp",
    "country/kr",
    "governmentbody/us-bis",
    "governmentbody/nl-government",
    "product/h100",
    "product/h800",
    "product/h20",
    "product/a100",
    "product/a800",
    "product/b200",
    "product/ascend",
    "product/ascend-910b",
    "product/ascend-910c",
    "product/mi300x",
    "product/mi308",
    "product/hbm",
    "product/hbm3",
    "product/hbm3e",
    "product/euv-lithography-system",
    "product/duv-lithography-system",
    "product/lithography-system",
    "product/gpt",
    "technology/n4",
    "technology/n7",
    "technology/smic-n7",
    "regulation/us-entity-list-huawei-2019",
    "regulation/us-fdpr-huawei-2020-05",
    "regulation/us-fdpr-huawei-2020-08",
    "regulation/us-entity-list-smic-2020",
    "regulation/us-entity-list-ymtc-2022",
    "regulation/us-advanced-computing-2022",
    "regulation/us-advanced-computing-2023",
    "regulation/us-hbm-2024",
    "regulation/us-h20-licence-2025",
    "regulation/nl-lithography-2023",
    "regulation/nl-lithography-2024",
    "regulation/jp-sme-2023",
    "regulation/us-entity-list-2024-12",
    "regulation/us-ai-diffusion-2025",
    "regulation/us-foundry-due-diligence-2025",
    "regulation/cn-gallium-germanium-2023",
    "regulation/cn-gallium-germanium-us-ban-2024",
    "company/inspur",
    "company/sugon",
    "company/phytium",
    "company/advantest",
    "company/kokusai-electric",
    "company/linde",
    "company/air-liquide",
    "company/shin-etsu-handotai",
    "company/tok",
    "company/entegris",
    "product/gallium",
    "product/germanium",
]


@pytest.fixture(scope="module")
def reference() -> LoadResult:
    """The bundled reference data, read once."""
    return load_reference(REFERENCE_DIR, Resolver())


@pytest.fixture(scope="module")
def by_id(reference: LoadResult) -> dict[str, Entity]:
    return {e.id: e for e in reference.entities}


def _claims(reference: LoadResult, predicate: str) -> list[Claim]:
    return [c for c in reference.claims if c.predicate == predicate]


def _has(
    reference: LoadResult, subject: str, predicate: str, obj: str, modality: str | None = None
) -> bool:
    """A claim that holds (not negated), or one with exactly ``modality``."""
    return any(
        c.subject == subject
        and c.predicate == predicate
        and c.object == obj
        and (c.modality == modality if modality else c.modality != "negated")
        for c in reference.claims
    )


def test_reference_loads_without_skips_and_is_large(reference: LoadResult) -> None:
    assert reference.skipped == []
    assert len(reference.claims) >= 550
    companies = [e for e in reference.entities if e.label == "Company"]
    in_chain = [c for c in companies if c.properties.get("roles") != ["media"]]
    assert len(in_chain) >= 150


def test_reference_passes_check_data(reference: LoadResult) -> None:
    """No island, undated rule or release, unsourced claim or link before its ends existed."""
    assert [f"{f.kind}: {f.subject}: {f.message}" for f in check(reference)] == []


def test_every_company_has_a_founding_date(reference: LoadResult) -> None:
    companies = [e for e in reference.entities if e.label == "Company"]
    assert [c.id for c in companies if not c.properties.get("founded")] == []


def test_every_claim_has_a_source_with_a_url(
    reference: LoadResult, by_id: dict[str, Entity]
) -> None:
    for claim in reference.claims:
        assert claim.sources, claim.key
        for source in claim.sources:
            entity = by_id[source]
            assert entity.label == "Source"
            assert str(entity.properties.get("url", "")).startswith(("http://", "https://"))


def test_every_claim_names_known_entities(reference: LoadResult, by_id: dict[str, Entity]) -> None:
    for claim in reference.claims:
        assert claim.subject in by_id, claim.key
        assert claim.object in by_id, claim.key


def test_required_ids_exist(by_id: dict[str, Entity]) -> None:
    missing = [i for i in REQUIRED_IDS if i not in by_id]
    assert missing == []


def test_every_regulation_has_dates_jurisdiction_and_issuer(
    reference: LoadResult, by_id: dict[str, Entity]
) -> None:
    issuers = defaultdict(list)
    for claim in _claims(reference, "ISSUED_BY"):
        issuers[claim.subject].append(claim.object)
    located = {c.subject: c.object for c in _claims(reference, "LOCATED_IN")}
    regulations = [e for e in reference.entities if e.label == "Regulation"]
    assert len(regulations) >= 11
    for reg in regulations:
        props = reg.properties
        assert props.get("effective_from"), reg.id
        assert props.get("jurisdiction") in by_id, reg.id
        assert isinstance(props.get("fdpr"), bool), reg.id
        assert issuers[reg.id], f"{reg.id} has no ISSUED_BY"
        # The issuing body sits in the jurisdiction the rule claims.
        assert props["jurisdiction"] in {located.get(body) for body in issuers[reg.id]}, reg.id


def test_regulation_dates_match_the_published_record(by_id: dict[str, Entity]) -> None:
    expected = {
        "regulation/us-entity-list-huawei-2019": ("2019-05-16", False),
        "regulation/us-fdpr-huawei-2020-05": ("2020-05-15", True),
        "regulation/us-fdpr-huawei-2020-08": ("2020-08-17", True),
        "regulation/us-entity-list-smic-2020": ("2020-12-18", False),
        "regulation/us-advanced-computing-2022": ("2022-10-07", True),
        # Effective 2023-11-17 (Federal Register DATES); immediate 2023-10-23 per item (8-K).
        "regulation/us-advanced-computing-2023": ("2023-11-17", True),
        "regulation/us-hbm-2024": ("2024-12-02", True),
        "regulation/jp-sme-2023": ("2023-07-23", False),
        "regulation/us-entity-list-2024-12": ("2024-12-02", False),
        "regulation/us-ai-diffusion-2025": ("2025-01-13", False),
        "regulation/us-foundry-due-diligence-2025": ("2025-01-16", False),
        "regulation/cn-gallium-germanium-2023": ("2023-08-01", False),
        "regulation/cn-gallium-germanium-us-ban-2024": ("2024-12-03", False),
    }
    for reg_id, (start, fdpr) in expected.items():
        props = by_id[reg_id].properties
        assert (props["effective_from"], props["fdpr"]) == (start, fdpr), reg_id


def test_targets_and_restrictions_the_queries_rely_on(reference: LoadResult) -> None:
    for reg in ("us-entity-list-huawei-2019", "us-fdpr-huawei-2020-05", "us-fdpr-huawei-2020-08"):
        assert _has(reference, f"regulation/{reg}", "TARGETS", "company/huawei")
        assert _has(reference, f"regulation/{reg}", "TARGETS", "company/hisilicon")
    assert _has(reference, "regulation/us-entity-list-smic-2020", "TARGETS", "company/smic")
    assert _has(reference, "regulation/us-entity-list-ymtc-2022", "TARGETS", "company/ymtc")
    ac23 = "regulation/us-advanced-computing-2023"
    assert _has(reference, ac23, "TARGETS", "country/cn")
    assert _has(reference, ac23, "RESTRICTS", "product/h800")
    assert _has(reference, ac23, "RESTRICTS", "product/a800")
    # The 3A090 rules decide by figures: no per-product claims (either way) where figures exist.
    by_id = {e.id: e for e in reference.entities}
    for rule in ("us-advanced-computing-2022", "us-advanced-computing-2023"):
        assert by_id[f"regulation/{rule}"].properties["thresholds"], rule
        for chip in ("h20", "l20", "mi300x"):
            assert not _has(reference, f"regulation/{rule}", "RESTRICTS", f"product/{chip}")
            assert not _has(
                reference, f"regulation/{rule}", "RESTRICTS", f"product/{chip}", "negated"
            )
    for chip in ("a100", "a800", "h100", "h800", "h20", "l40s", "l20", "mi250x", "mi300x"):
        assert isinstance(by_id[f"product/{chip}"].properties["tpp"], int | float), chip
        assert by_id[f"product/{chip}"].properties["figures_source"], chip
    assert _has(reference, "regulation/us-hbm-2024", "RESTRICTS", "product/hbm")
    assert _has(reference, "regulation/us-h20-licence-2025", "RESTRICTS", "product/h20")
    # The DUV immersion controls name scanner models, not the generic item (which the links carry).
    models = {
        "nl-lithography-2023": ("2000i", "2050i", "2100i"),
        "nl-lithography-2024": ("1970i", "1980i"),
        "us-sme-2023": ("1970i", "1980i"),
    }
    for rule, names in models.items():
        generic = "product/duv-immersion-lithography-system"
        assert not _has(reference, f"regulation/{rule}", "RESTRICTS", generic), rule
        for name in names:
            model = f"product/twinscan-nxt-{name}"
            assert _has(reference, f"regulation/{rule}", "RESTRICTS", model), (rule, model)
            assert _has(reference, model, "TYPE_OF", generic), model
    for nl in ("nl-lithography-2023", "nl-lithography-2024"):
        assert _has(reference, f"regulation/{nl}", "ISSUED_BY", "governmentbody/nl-government")


def test_the_2023_to_2025_rules_name_issuer_target_and_items(reference: LoadResult) -> None:
    jp = "regulation/jp-sme-2023"
    assert _has(reference, jp, "ISSUED_BY", "governmentbody/jp-meti")
    assert _has(reference, jp, "RESTRICTS", "product/deposition-equipment")
    assert _has(reference, jp, "RESTRICTS", "product/etch-equipment")
    listing = "regulation/us-entity-list-2024-12"
    for firm in ("naura", "piotech", "sicarrier"):
        assert _has(reference, listing, "TARGETS", f"company/{firm}")
    assert _has(reference, "regulation/us-ai-diffusion-2025", "TARGETS", "country/cn")
    assert _has(reference, "regulation/us-foundry-due-diligence-2025", "RESTRICTS", "technology/n7")
    ga = "regulation/cn-gallium-germanium-2023"
    assert _has(reference, ga, "ISSUED_BY", "governmentbody/cn-mofcom")
    assert _has(reference, ga, "RESTRICTS", "product/gallium")
    assert _has(reference, ga, "RESTRICTS", "product/germanium")
    # China said the 2023 control targets no country; the 2024 ban names the US.
    assert _has(reference, ga, "TARGETS", "country/us", "negated")
    ban = "regulation/cn-gallium-germanium-us-ban-2024"
    assert _has(reference, ban, "TARGETS", "country/us")
    suspended = [
        c
        for c in _claims(reference, "RESTRICTS")
        if c.subject == ban and c.object in ("product/gallium", "product/germanium")
    ]
    assert {c.valid_to for c in suspended} == {"2025-11-08"}


def test_materials_eda_osat_and_servers_reach_the_chain(reference: LoadResult) -> None:
    def supplies(src: str, dst: str, item: str) -> bool:
        return any(
            (c.subject, c.object, c.properties.get("item")) == (src, dst, item)
            and c.modality != "negated"
            for c in _claims(reference, "SUPPLIES")
        )

    assert supplies("company/synopsys", "company/nvidia", "product/eda-software")
    assert supplies("company/shin-etsu-handotai", "company/tsmc", "product/silicon-wafer")
    assert supplies("company/linde", "company/tsmc", "product/specialty-gases")
    assert supplies("company/tongfu", "company/amd", "technology/advanced-packaging")
    assert supplies("company/intel", "company/inspur", "product/gaudi2")
    assert _has(reference, "company/cxmt", "MANUFACTURES", "product/hbm2")


def test_variant_and_type_links(reference: LoadResult) -> None:
    for variant, base in [
        ("h800", "h100"),
        ("h20", "h100"),
        ("a800", "a100"),
        ("mi308", "mi300x"),
    ]:
        assert _has(reference, f"product/{variant}", "VARIANT_OF", f"product/{base}")
    for kind, family in [
        ("hbm3", "hbm"),
        ("hbm3e", "hbm"),
        ("ascend-910b", "ascend"),
        ("ascend-910c", "ascend"),
        ("euv-lithography-system", "lithography-system"),
        ("duv-lithography-system", "lithography-system"),
    ]:
        assert _has(reference, f"product/{kind}", "TYPE_OF", f"product/{family}")


def test_supply_items_are_known_products_or_technologies(
    reference: LoadResult, by_id: dict[str, Entity]
) -> None:
    supplies = _claims(reference, "SUPPLIES")
    assert len(supplies) >= 40
    for claim in supplies:
        item = by_id.get(str(claim.properties.get("item")))
        assert item is not None and item.label in ("Product", "Technology"), claim.key


def test_dated_supply_links_for_the_scenarios(reference: LoadResult) -> None:
    def link(src: str, dst: str, item: str) -> Claim:
        found = [
            c
            for c in _claims(reference, "SUPPLIES")
            if (c.subject, c.object, c.properties.get("item")) == (src, dst, item)
        ]
        assert len(found) == 1, (src, dst, item)
        return found[0]

    tsmc_hisilicon = link("company/tsmc", "company/hisilicon", "technology/n7")
    # No end date on purpose: the 2020 FDPR cuts it, which the queries report with the rule.
    assert tsmc_hisilicon.valid_to is None
    assert "2020-09-14" in (tsmc_hisilicon.evidence[0].quote or "")
    h800 = link("company/nvidia", "company/deepseek", "product/h800")
    assert h800.modality == "reported" and h800.confidence < 1.0
    ascend = link("company/smic", "company/hisilicon", "product/ascend-910b")
    assert ascend.modality in ("reported", "rumored") and ascend.confidence < 1.0
    assert link("company/asml", "company/smic", "product/euv-lithography-system").modality == (
        "negated"
    )
    link("company/naura", "company/smic", "product/etch-equipment")
    link("company/applied-materials", "company/tsmc", "product/deposition-equipment")


def test_market_shares_are_fractions_that_do_not_exceed_one(reference: LoadResult) -> None:
    totals: dict[tuple[str, object], float] = defaultdict(float)
    for claim in _claims(reference, "MANUFACTURES"):
        share = claim.properties.get("market_share")
        if share is None:
            continue
        assert 0.0 <= float(share) <= 1.0
        totals[(claim.object, claim.properties.get("year"))] += float(share)
    assert totals[("product/euv-lithography-system", 2024)] == 1.0
    assert all(total <= 1.0 + 1e-9 for total in totals.values()), totals


def test_subsidiaries_stay_distinct(reference: LoadResult, by_id: dict[str, Entity]) -> None:
    assert _has(reference, "company/hisilicon", "SUBSIDIARY_OF", "company/huawei")
    resolver = Resolver.of(reference.entities)
    assert resolver.resolve("HiSilicon").id == "company/hisilicon"  # type: ignore[union-attr]
    assert resolver.resolve("Huawei").id == "company/huawei"  # type: ignore[union-attr]


def test_country_codes_resolve(reference: LoadResult) -> None:
    resolver = Resolver.of(reference.entities)
    for code, country in [("CHN", "cn"), ("USA", "us"), ("TWN", "tw"), ("NL", "nl")]:
        found = resolver.resolve(code, label="Country")
        assert found is not None and found.id == f"country/{country}"


def test_loading_twice_changes_no_counts(store: Store) -> None:
    first = load_reference(REFERENCE_DIR, Resolver())
    store.write(first.entities, first.claims)
    before = store.counts().to_json()
    assert before["relationships"]["SUPPLIES"] >= 40
    second = load_reference(REFERENCE_DIR, Resolver.of(store.entities()))
    report = store.write(second.entities, second.claims)
    assert report.new_entities == 0 and report.new_claims == 0
    assert store.counts().to_json() == before


def test_store_round_trip_keeps_regulation_properties(store: Store) -> None:
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    reg = store.get("regulation/us-fdpr-huawei-2020-08")
    assert reg is not None
    assert reg.properties["fdpr"] is True
    assert reg.properties["jurisdiction"] == "country/us"
    assert reg.properties["citation"] == "85 FR 51596"
    targets = store.claims(predicate="TARGETS", subject="regulation/us-fdpr-huawei-2020-08")
    assert {c.object for c in targets} == {"company/huawei", "company/hisilicon"}
