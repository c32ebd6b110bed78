"""The generic within-clause stage (``generic.py``): sentences written for these tests."""

from __future__ import annotations

import pytest

from chipkg.errors import OntologyError
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text import generic
from chipkg.loaders.text.document import Document
from chipkg.loaders.text.extractor import RuleExtractor
from chipkg.loaders.text.resources import generic_cues
from chipkg.ontology import Claim


def _claims(text: str, lang: str) -> dict[tuple[str, str, str], Claim]:
    found = RuleExtractor().extract(Document(name="probe.txt", text=text), Resolver(), lang)
    return {(c.subject, c.predicate, c.object): c for c in found.claims}


def _generic_only(claim: Claim) -> bool:
    return all(e.confidence <= generic.CONFIDENCE for e in claim.evidence)


def test_a_supply_verb_with_a_recipient_preposition_gives_supplies() -> None:
    found = _claims("Micron produit de la DRAM à Taïwan et la vend à Apple et à Dell.", "fr")
    claim = found[("company/micron", "SUPPLIES", "company/apple")]
    assert claim.modality == "asserted" and _generic_only(claim)
    assert ("company/apple", "SUPPLIES", "company/micron") not in found


def test_a_buying_verb_makes_the_marked_seller_the_supplier_and_skips_the_source() -> None:
    found = _claims(
        "Laut Reuters hat ByteDance bei Nvidia mehr als 100.000 H20-Chips gekauft.", "de"
    )
    claim = found[("company/nvidia", "SUPPLIES", "company/bytedance")]
    assert claim.modality == "reported" and claim.evidence[0].attributed_to == "Reuters"
    assert not any("reuters" in subject + obj for subject, _, obj in found)


def test_a_passive_with_its_agent_reads_every_object_of_the_clause() -> None:
    text = "Die Ascend-Chips werden von SMIC im 7-Nanometer-Verfahren gefertigt."
    found = _claims(text, "de")
    assert _generic_only(found[("company/smic", "MANUFACTURES", "product/ascend")])
    assert ("company/smic", "MANUFACTURES", "technology/smic-n7") in found


def test_an_object_of_another_verb_is_not_taken() -> None:
    text = "Analysts said SMIC uses DUV machines from ASML to make Huawei's Kirin 9000S."
    found = _claims(text, "en")
    assert ("company/smic", "USES", "product/kirin-9000s") not in found
    assert ("company/asml", "MANUFACTURES", "product/kirin-9000s") not in found
    assert found[("company/smic", "MANUFACTURES", "product/kirin-9000s")].modality == "speculative"


def test_an_instrument_is_not_the_maker() -> None:
    found = _claims("Huawei's Ascend chips are produced with ASML's older DUV machines.", "en")
    assert ("company/asml", "MANUFACTURES", "product/ascend") not in found


def test_a_model_is_trained_by_its_developer_on_the_chips_counted() -> None:
    found = _claims("Zhipu's GLM models were trained on 1,000 Ascend 910B chips.", "en")
    claim = found[("company/zhipu-ai", "USES", "product/ascend-910b")]
    assert claim.properties == {"quantity": 1000, "purpose": "training"}
    assert not any(p == "USES" and o == "product/glm-130b" for _, p, o in found)


def test_a_negated_or_investigated_clause_gives_no_generic_claim() -> None:
    plain = _claims("Micron produce memorie DRAM a Taiwan e le vende ad Apple.", "it")
    assert _generic_only(plain[("company/micron", "SUPPLIES", "company/apple")])
    negated = _claims("Micron produce memorie DRAM a Taiwan e non le vende più ad Apple.", "it")
    assert ("company/micron", "SUPPLIES", "company/apple") not in negated
    probe = _claims(
        "La statunitense Applied Materials è indagata per presunte forniture a SMIC.", "it"
    )
    assert ("company/applied-materials", "SUPPLIES", "company/smic") not in probe


def test_members_of_one_list_are_not_related() -> None:
    text = (
        "Les équipementiers américains Applied Materials, Lam Research et KLA, "
        "qui fournissent ces sites, ont reculé."
    )
    found = _claims(text, "fr")
    assert not any(p == "SUPPLIES" for _, p, _ in found)


def test_a_specific_rule_keeps_its_pair() -> None:
    found = _claims("Samsung supplies HBM3E to Nvidia.", "en")
    claim = found[("company/samsung", "SUPPLIES", "company/nvidia")]
    assert [e.confidence for e in claim.evidence] == [0.8]
    assert claim.properties == {"item": "product/hbm3e"}


def test_a_chip_designer_that_makes_a_chip_designs_it() -> None:
    found = _claims("Nvidia, which makes the H100, said demand was strong.", "en")
    assert ("company/nvidia", "DESIGNS", "product/h100") in found
    assert ("company/nvidia", "MANUFACTURES", "product/h100") not in found


def test_every_language_has_generic_cues_and_a_bad_predicate_is_an_error() -> None:
    for lang in ("en", "it", "de", "fr"):
        data = generic_cues(lang)
        assert data is not None and set(data.triggers) <= set(generic.KINDS)
    spec = generic_cues("en").triggers["USES"]  # type: ignore[union-attr]
    with pytest.raises(OntologyError, match="no generic reading for OWNS"):
        list(generic._triggers("en", generic_cues("en"), "OWNS", spec))  # type: ignore[arg-type]
