"""The behaviours the issue requires on the bundled reference data.

Asked of the Python engine (embedded store); the Cypher files give the same answers to
each of these questions through the golden files (``tests/golden/``, cases named after
the stories below), checked on Neo4j by ``test_golden``. Only the test that adds records
of its own runs on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipkg import queries
from chipkg.graph import EmbeddedStore, Store
from tests.support.golden import load_into


@pytest.fixture(scope="module")
def ref_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An embedded store holding the curated reference data only (no corpus extraction)."""
    store = load_into(EmbeddedStore(Path(tmp_path_factory.mktemp("ref")) / "db"))
    yield store
    store.close()


@pytest.fixture
def any_ref_store(store: Store) -> Store:
    """The reference data in an empty store of each backend (for tests that add records)."""
    return load_into(store)


def reached(answer: Any) -> dict[str, Any]:
    return {r.supplier.id: r for r in answer.reachable}


def blocked(answer: Any) -> dict[str, Any]:
    return {b.supplier.id: b for b in answer.blocked}


def test_deepseek_reaches_nvidia_h800_before_the_2023_rule(ref_store: Store) -> None:
    answer = queries.reachable_suppliers(ref_store, "DeepSeek", on="2023-06-01")
    nvidia = reached(answer)["company/nvidia"]
    assert nvidia.hops == 1 and "product/h800" in nvidia.items
    assert nvidia.sources  # the claims behind the path carry their sources
    # The H800 stays open; only the (rumoured) H100 holding is cut, by the 2022 rule.
    cut = [(b.item, b.reachable) for b in answer.blocked if b.supplier.id == "company/nvidia"]
    assert cut == [("product/h100", True)] and nvidia.cut_items == ["product/h100"]


def test_deepseek_loses_nvidia_h800_to_the_2023_rule_but_keeps_huawei(ref_store: Store) -> None:
    answer = queries.reachable_suppliers(ref_store, "DeepSeek", on="2024-06-01")
    assert "company/nvidia" not in reached(answer)
    cut = blocked(answer)["company/nvidia"]
    assert cut.link.item == "product/h800"
    assert [r.id for r in cut.regulations] == ["regulation/us-advanced-computing-2023"]
    assert "item product/h800 restricted" in cut.reason
    huawei = reached(answer)["company/huawei"]
    assert any(item.startswith("product/ascend") for item in huawei.items)


@pytest.mark.parametrize("buyer", ["Huawei", "HiSilicon"])
def test_huawei_fdpr_cuts_smic_which_received_us_tools_before_its_listing(
    ref_store: Store, buyer: str
) -> None:
    answer = queries.reachable_suppliers(ref_store, buyer, on="2021-01-01")
    found, cut = reached(answer), blocked(answer)
    assert "company/smic" not in found and "company/tsmc" not in found
    assert cut["company/smic"].hops == 1
    assert "regulation/us-fdpr-huawei-2020-08" in [r.id for r in cut["company/smic"].regulations]
    assert "foreign direct product rule" in cut["company/smic"].reason


def test_smic_keeps_chinese_tools_while_us_tools_need_a_licence(ref_store: Store) -> None:
    answer = queries.reachable_suppliers(ref_store, "SMIC", on="2021-01-01")
    found, cut = reached(answer), blocked(answer)
    for toolmaker in ("company/naura", "company/amec"):
        assert found[toolmaker].hops == 1
    assert "company/applied-materials" not in cut  # case by case: a licence, not a denial
    licence = {b.supplier.id: b for b in answer.licence_required}
    for us_tools in ("company/applied-materials", "company/lam-research"):
        assert [r.id for r in licence[us_tools].regulations] == [
            "regulation/us-entity-list-smic-2020"
        ]
        assert us_tools not in found


@pytest.mark.parametrize("on", ["2020-09-01", "2021-01-01"])
def test_tsmc_is_cut_from_hisilicon_by_the_foreign_direct_product_rule(
    ref_store: Store, on: str
) -> None:
    answer = queries.reachable_suppliers(ref_store, "HiSilicon", on=on)
    assert "company/tsmc" not in reached(answer)
    cut = blocked(answer)["company/tsmc"]
    assert cut.hops == 1
    assert "regulation/us-fdpr-huawei-2020-08" in [r.id for r in cut.regulations]
    assert "foreign direct product rule" in cut.reason


def test_tsmc_reachable_for_hisilicon_before_the_huawei_rules(ref_store: Store) -> None:
    answer = queries.reachable_suppliers(ref_store, "HiSilicon", on="2019-01-01")
    assert reached(answer)["company/tsmc"].hops == 1
    assert "company/tsmc" not in blocked(answer)


def test_dutch_rule_needs_a_licence_for_nxt2000i_and_later_not_for_the_whole_duv_link(
    ref_store: Store,
) -> None:
    # The Dutch 2023 measure covers NXT:2000i and later (a licence requirement from 2023-09-01);
    # the ASML -> SMIC link says only "DUV immersion system", so it stays open for the rest.
    before = queries.reachable_suppliers(ref_store, "SMIC", on="2023-08-31")
    after = queries.reachable_suppliers(ref_store, "SMIC", on="2024-06-01")
    assert reached(before)["company/asml"].hops == 1
    assert reached(after)["company/asml"].hops == 1
    assert "company/asml" not in blocked(after)
    dutch = {
        e.item: e
        for e in after.licence_required
        if e.supplier.id == "company/asml"
        and "regulation/nl-lithography-2023" in [r.id for r in e.regulations]
    }
    assert set(dutch) == {f"product/twinscan-nxt-{m}" for m in ("2000i", "2050i", "2100i")}
    entry = dutch["product/twinscan-nxt-2000i"]
    assert entry.reachable
    assert entry.link.item == "product/duv-immersion-lithography-system"
    assert entry.link.customer.id == "company/smic"
    assert not [e for e in before.licence_required if e.supplier.id == "company/asml"]


def test_h800_cut_from_its_immediate_date_not_the_rules_publication(ref_store: Store) -> None:
    # 2023 rule: effective 2023-11-17, immediate (2023-10-23) for A100/A800/H100/H800/L40S.
    early = queries.reachable_suppliers(ref_store, "DeepSeek", on="2023-10-22")
    assert "product/h800" in reached(early)["company/nvidia"].items
    cut = queries.reachable_suppliers(ref_store, "DeepSeek", on="2023-10-23")
    entry = blocked(cut)["company/nvidia"]
    assert entry.item == "product/h800"
    assert [r.id for r in entry.regulations] == ["regulation/us-advanced-computing-2023"]


def test_undated_regulation_is_not_assessed_and_cuts_nothing(any_ref_store: Store) -> None:
    from chipkg.ontology import Claim, Entity

    undated = Entity(id="regulation/us-undated", label="Regulation", name="Undated US rule",
                     properties={"jurisdiction": "country/us"})  # fmt: skip
    source = Entity(id="source/test", label="Source", name="test")
    listing = Claim.model_validate({
        "subject": "regulation/us-undated", "predicate": "TARGETS", "object": "company/smic",
        "evidence": {"source": "source/test", "quote": "an undated listing"}})  # fmt: skip
    any_ref_store.write([undated, source], [listing])
    answer = queries.reachable_suppliers(any_ref_store, "SMIC", on="2015-01-01")
    assert "regulation/us-undated" in [r.id for r in answer.not_assessed]
    assert "company/applied-materials" in reached(answer)
    assert answer.blocked == []


def test_buyer_group_covers_subsidiaries_and_entity_only_does_not(ref_store: Store) -> None:
    group = queries.reachable_suppliers(ref_store, "Huawei", on="2021-01-01")
    tsmc = [b for b in group.blocked if b.supplier.id == "company/tsmc"]
    assert tsmc and tsmc[0].link.customer.id == "company/hisilicon"
    assert "company/hisilicon" in [m.id for m in group.group]
    alone = queries.reachable_suppliers(ref_store, "Huawei", on="2021-01-01", entity_only=True)
    assert alone.group == []
    assert "company/tsmc" not in {b.supplier.id for b in alone.blocked}


@pytest.mark.parametrize(
    ("product", "on", "restricted_by"),
    [
        # Figures decide under the 2022 and 2023 rules; the April 2025 requirement names products.
        ("product/a100", "2023-01-01", {"regulation/us-advanced-computing-2022"}),
        ("product/h800", "2023-06-01", set()),
        ("product/a800", "2023-06-01", set()),
        ("product/h800", "2024-01-01", {"regulation/us-advanced-computing-2023"}),
        ("product/a800", "2024-01-01", {"regulation/us-advanced-computing-2023"}),
        ("product/l40s", "2023-06-01", set()),
        ("product/l40s", "2024-01-01", {"regulation/us-advanced-computing-2023"}),
        ("product/h20", "2024-06-01", set()),
        ("product/l20", "2024-06-01", set()),
        ("product/h20", "2025-05-01", {"regulation/us-h20-licence-2025"}),
        ("product/mi308", "2025-05-01", {"regulation/us-h20-licence-2025"}),
        ("product/mi250x", "2023-01-01", {"regulation/us-advanced-computing-2022"}),
    ],
)
def test_advanced_computing_rules_restrict_by_published_figures(
    ref_store: Store, product: str, on: str, restricted_by: set[str]
) -> None:
    from chipkg.graph.view import view_of
    from chipkg.queries.rules import Rules

    rules = Rules(view_of(ref_store), on)
    found = {s.id for s in rules.regulations if product in s.restricted_items}
    assert found == restricted_by
