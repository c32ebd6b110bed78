"""What the rule extractor reads from short texts, phenomenon by phenomenon."""

from __future__ import annotations

from typing import Any

import pytest

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import parse_document
from chipkg.loaders.text.extractor import Extraction, RuleExtractor


def run(text: str, lang: str) -> Extraction:
    return RuleExtractor().extract(parse_document(text, "t.txt"), Resolver(), lang)


def claims(text: str, lang: str) -> dict[tuple[str, str, str], Any]:
    return {(c.subject, c.predicate, c.object): c for c in run(text, lang).claims}


def one(text: str, lang: str, key: tuple[str, str, str]) -> Any:
    found = claims(text, lang)
    assert key in found, sorted(found)
    return found[key]


# --- quantities go to the right product ------------------------------------------------


def test_each_product_keeps_its_own_count() -> None:
    text = "DeepSeek owns 2,048 H800 chips and 500 A100 GPUs."
    found = claims(text, "en")
    assert found[("company/deepseek", "OWNS", "product/h800")].properties["quantity"] == 2048
    assert found[("company/deepseek", "OWNS", "product/a100")].properties["quantity"] == 500


def test_italian_thousands_and_circa() -> None:
    c = one(
        "Si ritiene che DeepSeek possieda circa 10.000 GPU H800.",
        "it",
        ("company/deepseek", "OWNS", "product/h800"),
    )
    assert c.properties == {"quantity": 10000, "approximate": True}
    assert c.modality == "rumored"


# --- modality ---------------------------------------------------------------------------


def test_attribution_makes_a_claim_reported() -> None:
    c = one(
        "According to Reuters, Alibaba uses Ascend 910B chips for training.",
        "en",
        ("company/alibaba", "USES", "product/ascend-910b"),
    )
    assert (c.modality, c.attributed_to, c.properties["purpose"]) == (
        "reported",
        "Reuters",
        "training",
    )


def test_speculation_and_negation() -> None:
    assert (
        one(
            "SMIC could supply Huawei.", "en", ("company/smic", "SUPPLIES", "company/huawei")
        ).modality
        == "speculative"
    )
    assert (
        one(
            "DeepSeek does not use Ascend chips.",
            "en",
            ("company/deepseek", "USES", "product/ascend"),
        ).modality
        == "negated"
    )
    assert (
        one(
            "DeepSeek not only uses Ascend chips.",
            "en",
            ("company/deepseek", "USES", "product/ascend"),
        ).modality
        == "asserted"
    )


def test_a_negation_in_another_clause_does_not_count() -> None:
    text = "Huawei does not sell GPUs, but Alibaba uses Ascend 910B chips."
    assert (
        one(text, "en", ("company/alibaba", "USES", "product/ascend-910b")).modality == "asserted"
    )


def test_paragraph_frame_reaches_later_sentences_but_not_the_next_paragraph() -> None:
    text = (
        "According to Reuters, Tencent uses H20 chips. Alibaba also uses H20 chips.\n\n"
        "Baidu uses H20 chips."
    )
    found = claims(text, "en")
    framed = found[("company/alibaba", "USES", "product/h20")]
    assert (framed.modality, framed.attributed_to) == ("reported", "Reuters")
    assert framed.confidence < found[("company/tencent", "USES", "product/h20")].confidence
    assert found[("company/baidu", "USES", "product/h20")].modality == "asserted"


def test_a_complement_hedge_reaches_only_its_sentence() -> None:
    text = "It is believed that Tencent uses H20 chips. Alibaba uses H20 chips."
    found = claims(text, "en")
    assert found[("company/tencent", "USES", "product/h20")].modality == "rumored"
    assert found[("company/alibaba", "USES", "product/h20")].modality == "asserted"


def test_german_reportative_soll() -> None:
    c = one(
        "DeepSeek soll rund 10.000 H800-GPUs besitzen.",
        "de",
        ("company/deepseek", "OWNS", "product/h800"),
    )
    assert c.modality == "rumored" and c.properties["quantity"] == 10000


# --- coreference --------------------------------------------------------------------------


def test_the_company_refers_to_the_previous_subject_not_the_news_outlet() -> None:
    text = "Zhipu AI trains models in Beijing. According to Reuters, the company uses H20 chips."
    assert ("company/zhipu-ai", "USES", "product/h20") in claims(text, "en")
    assert not any(s == "company/reuters" for s, _, _ in claims(text, "en"))


def test_an_ambiguous_description_is_left_alone() -> None:
    text = "Alibaba competes with Tencent, and the company uses H20 chips."
    assert not any(p == "USES" for _, p, _ in claims(text, "en"))


def test_italian_description_and_possessive() -> None:
    text = "DeepSeek compete con OpenAI, che sviluppa i suoi modelli GPT. L'azienda utilizza chip Ascend."
    found = claims(text, "it")
    assert ("company/openai", "DEVELOPS", "product/gpt") in found
    assert ("company/deepseek", "USES", "product/ascend") in found


# --- places, organisations, makers -----------------------------------------------------------


def test_unknown_organisation_after_a_role_noun_becomes_a_company() -> None:
    result = run("The Chinese chip designer Iluvatar CoreX sells accelerators to Baidu.", "en")
    new = {e.id: e for e in result.entities}
    assert new["company/iluvatar-corex"].properties["roles"] == ["chip_designer"]
    keys = {(c.subject, c.predicate, c.object) for c in result.claims}
    assert ("company/iluvatar-corex", "LOCATED_IN", "country/cn") in keys


def test_demonyms_place_companies_and_coordination_respects_the_reference() -> None:
    found = claims("Chinese toolmakers Naura and AMEC supply SMIC.", "en")
    assert ("company/naura", "LOCATED_IN", "country/cn") in found
    assert ("company/amec", "LOCATED_IN", "country/cn") in found
    assert ("company/naura", "SUPPLIES", "company/smic") in found
    assert not claims("Chinese chipmaker SMIC and NVIDIA met.", "en").get(
        ("company/nvidia", "LOCATED_IN", "country/cn")
    )


def test_maker_relation_follows_the_company_role() -> None:
    found = claims("Huawei does not use Samsung's HBM3E. NVIDIA H20 chips and TSMC's N3.", "en")
    assert ("company/samsung", "MANUFACTURES", "product/hbm3e") in found
    assert ("company/samsung", "DESIGNS", "product/hbm3e") not in found
    assert ("company/nvidia", "DESIGNS", "product/h20") in found


def test_subsidiary_needs_a_subsidiary_word() -> None:
    assert ("company/hisilicon", "SUBSIDIARY_OF", "company/huawei") in claims(
        "Huawei's HiSilicon division designs chips.", "en"
    )
    assert not any(
        p == "SUBSIDIARY_OF" for _, p, _ in claims("Huawei's HiSilicon designs chips.", "en")
    )


# --- supply over time -----------------------------------------------------------------------


def test_supply_that_ends_on_a_date() -> None:
    c = one(
        "TSMC will not ship chips to Huawei after September 15, 2020.",
        "en",
        ("company/tsmc", "SUPPLIES", "company/huawei"),
    )
    assert (c.modality, c.valid_to) == ("asserted", "2020-09-15")


def test_halted_supply_without_a_date_is_negated() -> None:
    c = one(
        "TSMC stopped supplying chips to Sophgo.",
        "en",
        ("company/tsmc", "SUPPLIES", "company/sophgo"),
    )
    assert c.modality == "negated"


def test_buying_from_names_the_supplier_in_the_right_direction() -> None:
    c = one(
        "Alibaba bought H20 chips from NVIDIA.",
        "en",
        ("company/nvidia", "SUPPLIES", "company/alibaba"),
    )
    assert c.properties["item"] == "product/h20"
    assert ("company/alibaba", "SUPPLIES", "company/nvidia") not in claims(
        "Alibaba bought H20 chips from NVIDIA.", "en"
    )


# --- regulations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("US sanctions target Huawei.", "en"),
        ("Huawei affronta le sanzioni imposte dagli Stati Uniti.", "it"),
        ("Die US-Sanktionen gegen Huawei wirken.", "de"),
        ("Les sanctions américaines visent Huawei.", "fr"),
    ],
)
def test_a_measure_named_in_passing_is_a_regulation_issued_by_its_country(
    text: str, lang: str
) -> None:
    result = run(text, lang)
    regs = [e for e in result.entities if e.label == "Regulation"]
    assert len(regs) == 1 and regs[0].properties["jurisdiction"] == "country/us"
    keys = {(c.subject, c.predicate, c.object) for c in result.claims}
    assert (regs[0].id, "ISSUED_BY", "country/us") in keys
    assert (regs[0].id, "TARGETS", "company/huawei") in keys


def test_a_bare_measure_without_issuer_or_antecedent_is_dropped() -> None:
    assert not any(
        e.label == "Regulation" for e in run("The sanctions hurt Huawei.", "en").entities
    )


def test_a_dated_listing_resolves_to_the_reference_regulation() -> None:
    text = "The Commerce Department added SMIC to the Entity List on December 18, 2020."
    found = claims(text, "en")
    assert ("regulation/us-entity-list-smic-2020", "TARGETS", "company/smic") in found
    assert (
        "regulation/us-entity-list-smic-2020",
        "ISSUED_BY",
        "governmentbody/us-commerce",
    ) in found


# --- records ----------------------------------------------------------------------------------


def test_every_claim_end_is_an_entity_and_evidence_quotes_the_text() -> None:
    text = "According to Reuters, ByteDance bought about 100,000 H20 chips from NVIDIA."
    result = run(text, "en")
    ids = {e.id for e in result.entities}
    assert result.claims
    for claim in result.claims:
        assert {claim.subject, claim.object} <= ids
        for ev in claim.evidence:
            assert ev.source == result.source.id in ids
            assert ev.quote == text[ev.start : ev.end]
            assert (ev.language, ev.extractor) == ("en", "chipkg.rules")


def test_people_named_after_a_title_are_entities() -> None:
    result = run("Nvidia CEO Jensen Huang said the H20 ships in May.", "en")
    person = next(e for e in result.entities if e.label == "Person")
    assert (person.id, person.properties["position"]) == ("person/jensen-huang", "CEO")


# --- issue 14, how reporters write ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("TSMC fornisce a Nvidia i chip H100.", "it"),
        ("TSMC fournit à Nvidia les puces H100.", "fr"),
    ],
)
def test_a_company_after_a_recipient_preposition_is_the_customer_not_the_maker(
    text: str, lang: str
) -> None:
    found = claims(text, lang)
    assert ("company/tsmc", "SUPPLIES", "company/nvidia") in found
    assert ("company/nvidia", "DESIGNS", "product/h100") not in found


def test_german_verb_second_ban_names_issuer_item_and_destination() -> None:
    text = "Im Oktober 2022 verboten die USA die Ausfuhr der A100-Chips nach China."
    found = claims(text, "de")
    restricts = [k for k in found if k[1] == "RESTRICTS" and k[2] == "product/a100"]
    assert restricts and restricts[0][0].startswith("regulation/us-")
    assert (restricts[0][0], "TARGETS", "country/cn") in found


def test_a_fronted_recipient_with_a_stated_end_gives_valid_to() -> None:
    claim = one(
        "A Huawei TSMC non fornisce più chip dal settembre 2020.",
        "it",
        ("company/tsmc", "SUPPLIES", "company/huawei"),
    )
    assert claim.valid_to == "2020-09"


def test_a_licence_verb_without_issuer_does_not_point_back_to_the_last_listing() -> None:
    text = (
        "Le département du Commerce a ajouté Sophgo à l'Entity List en janvier 2025.\n\n"
        "Depuis avril 2025, une licence est exigée pour exporter les H20 vers la Chine."
    )
    found = claims(text, "fr")
    assert not [k for k in found if k[1] == "RESTRICTS" and k[2] == "product/h20"]


def test_customers_listed_from_the_supplier_side() -> None:
    found = claims("Zu den Kunden von ASML zählen TSMC, Samsung und Intel.", "de")
    for customer in ("tsmc", "samsung", "intel"):
        assert ("company/asml", "SUPPLIES", f"company/{customer}") in found
