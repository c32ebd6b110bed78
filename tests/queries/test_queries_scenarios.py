"""Scenario tests of every canned query, run on both backends (the ``store`` fixture).

The same assertions hold for the embedded implementation and for the Cypher files
on the real Neo4j, so each test here is also a check that the two agree.
"""

from __future__ import annotations

from typing import Any

import pytest

from chipkg import queries
from chipkg.errors import InputError, NotFoundError
from chipkg.graph import Store
from tests.support.graphs import Graph, story


def reached(answer: Any) -> dict[str, int]:
    return {r.supplier.id: r.hops for r in answer.reachable}


def cut_off(answer: Any) -> dict[str, list[str]]:
    return {b.supplier.id: [r.id for r in b.regulations] for b in answer.blocked}


# -- reachable-suppliers -----------------------------------------------------------------------


def test_variant_rule_cuts_the_gpu_link_only_once_in_force(store: Store) -> None:
    story().write(store)
    before = queries.reachable_suppliers(store, "company/buyer", on="2023-06-01")
    after = queries.reachable_suppliers(store, "company/buyer", on="2024-06-01")
    gpu = next(r for r in before.reachable if r.supplier.id == "company/gpu")
    assert gpu.hops == 1 and gpu.items == ["product/gpu-x-cn"]
    assert gpu.path[0].derived and gpu.sources == ["source/s1", "source/s2"]
    assert "company/gpu" not in reached(after)
    assert cut_off(after)["company/gpu"] == ["regulation/gpu-2"]
    assert reached(after)["company/accel"] == 1  # the domestic accelerator stays reachable


def variant_story() -> Graph:
    """The story plus a variant of the restricted GPU, a variant of the exempt one, a scanner type."""
    g = story()
    g.rel("product/gpu-y", "VARIANT_OF", "product/gpu-x")
    g.rel("product/gpu-x-cn-lite", "VARIANT_OF", "product/gpu-x-cn")
    g.rel("product/scanner-duv-i", "TYPE_OF", "product/scanner-duv")
    g.located(("company/us-a", "country/us"), ("company/us-b", "country/us"))
    g.located(("company/nl-c", "country/nl"))
    g.supplies("company/us-a", "company/buyer", "product/gpu-y")
    g.supplies("company/us-b", "company/buyer", "product/gpu-x-cn-lite")
    g.supplies("company/nl-c", "company/buyer", "product/scanner-duv-i")
    return g


def test_restriction_carries_to_variants_except_through_exemptions(store: Store) -> None:
    variant_story().write(store)
    before = queries.reachable_suppliers(store, "company/buyer", on="2023-06-01")
    after = queries.reachable_suppliers(store, "company/buyer", on="2024-06-01")
    # gpu-1 restricts gpu-x, so its variant gpu-y; it exempts gpu-x-cn and so gpu-x-cn-lite.
    assert cut_off(before) == {"company/us-a": ["regulation/gpu-1"]}
    assert {"company/gpu", "company/us-b", "company/nl-c"} <= set(reached(before))
    # gpu-2 names gpu-x-cn, which carries to its variant; the scanner rule reaches a TYPE_OF.
    assert cut_off(after) == {
        "company/gpu": ["regulation/gpu-2"],
        "company/nl-c": ["regulation/nl-scanner"],
        "company/us-a": ["regulation/gpu-1"],
        "company/us-b": ["regulation/gpu-2"],
    }


def test_sanctions_timeline_of_variants_follows_exemptions(store: Store) -> None:
    variant_story().write(store)
    lite = queries.sanctions_timeline(store, "product/gpu-x-cn-lite", on="2024-06-01")
    assert [(e.regulation.id, e.relations) for e in lite.events] == [
        ("regulation/gpu-2", ["restricted"])
    ]
    gpu_y = queries.sanctions_timeline(store, "product/gpu-y", on="2024-06-01")
    assert [(e.regulation.id, e.relations) for e in gpu_y.events] == [
        ("regulation/gpu-1", ["restricted"])
    ]


def test_fdpr_cuts_both_foundries_that_received_us_tools(store: Store) -> None:
    # The listed domestic foundry received US tools before its own listing; that dependence
    # stays, so the accelerator FDPR cuts it as it cuts the Taiwanese foundry (issue 12, item 7).
    story().write(store)
    answer = queries.reachable_suppliers(store, "company/designer", on="2021-01-01")
    assert reached(answer) == {}
    assert cut_off(answer) == {
        "company/foundry-cn": ["regulation/fdpr"],
        "company/foundry-tw": ["regulation/fdpr"],
    }
    fab = next(b for b in answer.blocked if b.supplier.id == "company/foundry-cn")
    assert fab.hops == 1 and fab.item == "product/npu" and not fab.reachable
    assert "foreign direct product rule of regulation/fdpr" in fab.reason


def test_listed_foundry_keeps_domestic_tools_and_loses_us_tools(store: Store) -> None:
    story().write(store)
    answer = queries.reachable_suppliers(store, "company/foundry-cn", on="2021-01-01")
    assert reached(answer) == {"company/tools-cn": 1, "company/litho-nl": 1}
    assert cut_off(answer) == {"company/tools-us": ["regulation/list-foundry"]}
    tools = next(b for b in answer.blocked if b.supplier.id == "company/tools-us")
    assert "customer company/foundry-cn targeted by it" in tools.reason


def test_dutch_rule_cuts_the_scanner_from_its_start_date(store: Store) -> None:
    story().write(store)
    assert "company/litho-nl" in reached(
        queries.reachable_suppliers(store, "company/foundry-cn", on="2023-08-31")
    )
    answer = queries.reachable_suppliers(store, "company/foundry-cn", on="2023-09-01")
    assert cut_off(answer)["company/litho-nl"] == ["regulation/nl-scanner"]


def test_regulation_that_ends_stops_cutting(store: Store) -> None:
    g = story()
    g.ent("regulation/gpu-2", effective_to="2024-12-31")
    g.write(store)
    assert "company/gpu" in cut_off(
        queries.reachable_suppliers(store, "company/buyer", on="2024-12-31")
    )
    assert (
        reached(queries.reachable_suppliers(store, "company/buyer", on="2025-01-01"))["company/gpu"]
        == 1
    )


def test_link_valid_only_before_a_date_disappears_after(store: Store) -> None:
    g = Graph()
    g.supplies("company/old", "company/buyer", "product/x", valid_to="2020-09-14")
    g.supplies("company/new", "company/buyer", "product/x", valid_from="2020-09-15")
    g.write(store)
    assert reached(queries.reachable_suppliers(store, "company/buyer", on="2020-09-14")) == {
        "company/old": 1
    }
    later = queries.reachable_suppliers(store, "company/buyer", on="2020-09-15")
    assert reached(later) == {"company/new": 1}
    assert later.blocked == []  # an expired link is gone, not cut


def test_cycle_in_the_supply_graph_terminates(store: Store) -> None:
    g = Graph()
    g.supplies("company/b", "company/a", "product/x")
    g.supplies("company/c", "company/b", "product/x")
    g.supplies("company/a", "company/c", "product/x")
    g.write(store)
    answer = queries.reachable_suppliers(store, "company/a", on="2024-01-01", max_hops=10)
    assert reached(answer) == {"company/b": 1, "company/c": 2}
    exposure = queries.exposure(store, "company/a", on="2024-01-01", max_hops=10)
    assert {d.customer.id: d.hops for d in exposure.dependents} == {"company/c": 1, "company/b": 2}


def test_buyer_with_no_suppliers(store: Store) -> None:
    g = Graph()
    g.ent("company/lonely", name="Lonely Buyer")
    g.write(store)
    answer = queries.reachable_suppliers(store, "Lonely Buyer", on="2024-01-01")
    assert answer.buyer.id == "company/lonely"
    assert answer.reachable == [] and answer.blocked == []


def test_unknown_entity_name_fails_with_close_matches(store: Store) -> None:
    g = Graph()
    g.ent("company/deepseek", name="DeepSeek")
    g.ent("product/h800", name="H800")
    g.write(store)
    with pytest.raises(
        NotFoundError,
        match=r"no Company named 'DeepSeak'.*did you mean DeepSeek \(company/deepseek\)",
    ):
        queries.reachable_suppliers(store, "DeepSeak")
    with pytest.raises(InputError, match="buyer must be a Company; product/h800 is a Product"):
        queries.reachable_suppliers(store, "H800")


def test_witness_path_is_shortest_then_smallest_ids(store: Store) -> None:
    g = Graph()
    for middle in ("company/m2", "company/m1"):
        g.supplies(middle, "company/buyer", "product/x")
        g.supplies("company/top", middle, "product/y")
    g.supplies("company/top", "company/far", "product/y")
    g.supplies("company/far", "company/m2", "product/z")
    g.rel("product/y", "INPUT_TO", "product/z")
    g.rel("product/z", "INPUT_TO", "product/x")
    g.write(store)
    answer = queries.reachable_suppliers(store, "company/buyer", on="2024-01-01")
    top = next(r for r in answer.reachable if r.supplier.id == "company/top")
    assert top.hops == 2
    assert [s.customer.id for s in top.path] == ["company/m1", "company/buyer"]


def test_max_hops_and_item_filter(store: Store) -> None:
    g = Graph()
    g.supplies("company/t1", "company/buyer", "product/gpu-b")
    g.supplies("company/t1b", "company/buyer", "product/ram")
    g.supplies("company/t2", "company/t1", "product/wafer")
    g.rel("product/gpu-b", "VARIANT_OF", "product/gpu")
    g.rel("product/wafer", "INPUT_TO", "product/gpu")  # an input of the family feeds the variant
    g.write(store)
    assert reached(
        queries.reachable_suppliers(store, "company/buyer", on="2024-01-01", max_hops=1)
    ) == {
        "company/t1": 1,
        "company/t1b": 1,
    }
    filtered = queries.reachable_suppliers(
        store, "company/buyer", on="2024-01-01", item="product/gpu"
    )
    assert reached(filtered) == {"company/t1": 1, "company/t2": 2}


# -- the other queries ---------------------------------------------------------------------


def test_exposure_of_a_us_toolmaker(store: Store) -> None:
    story().write(store)
    answer = queries.exposure(store, "company/tools-us", on="2021-01-01")
    assert {d.customer.id: d.hops for d in answer.dependents} == {"company/foundry-tw": 1}
    assert {c.customer.id: c.hops for c in answer.cut_off} == {
        "company/foundry-cn": 1,
        "company/designer": 2,
    }
    designer = next(c for c in answer.cut_off if c.customer.id == "company/designer")
    assert designer.link.supplier.id == "company/foundry-tw"


def chokepoint_graph() -> Graph:
    g = story()
    g.ent("country/cn", name="China")
    g.rel("product/scanner", "INPUT_TO", "product/chip")
    g.rel("product/etcher", "INPUT_TO", "product/chip")
    g.rel(
        "company/litho-nl", "MANUFACTURES", "product/scanner-duv", properties={"market_share": 0.9}
    )
    g.rel("company/tools-us", "MANUFACTURES", "product/etcher", properties={"market_share": 0.45})
    g.rel("company/tools-cn", "MANUFACTURES", "product/etcher", properties={"market_share": 0.15})
    return g


def test_chokepoints_dominant_and_all_cut(store: Store) -> None:
    chokepoint_graph().write(store)
    answer = queries.chokepoints(store, "product/npu", on="2024-06-01", for_country="country/cn")
    assert [i.id for i in answer.inputs] == [
        "product/etcher",
        "product/npu",
        "product/scanner",
        "product/scanner-duv",
    ]
    assert {c.input.id: c.reasons for c in answer.chokepoints} == {
        "product/scanner-duv": ["dominant", "all-cut"]
    }
    early = queries.chokepoints(store, "product/npu", on="2023-01-01", for_country="China")
    assert {c.input.id: c.reasons for c in early.chokepoints} == {
        "product/scanner-duv": ["dominant"]
    }


def test_alternatives_lists_uncut_providers_of_substitutes(store: Store) -> None:
    g = story()
    g.rel("company/accel", "DESIGNS", "product/gpu-y")
    g.rel("product/gpu-y", "VARIANT_OF", "product/gpu-x")
    g.write(store)
    answer = queries.alternatives(store, "company/buyer", "product/gpu-x-cn", on="2024-06-01")
    assert answer.substitutes == ["product/gpu-x", "product/gpu-x-cn", "product/gpu-y"]
    assert [(a.provider.id, a.items) for a in answer.alternatives] == [
        ("company/accel", ["product/gpu-y"])
    ]
    assert [(b.provider.id, b.item) for b in answer.blocked] == [
        ("company/gpu", "product/gpu-x"),
        ("company/gpu", "product/gpu-x-cn"),
    ]


def test_dossier_groups_claims_with_provenance(store: Store) -> None:
    story().write(store)
    answer = queries.dossier(store, "company/buyer")
    groups = {(g.relationship, g.direction): g.claims for g in answer.relationships}
    assert set(groups) == {("LOCATED_IN", "out"), ("OWNS", "out"), ("USES", "out")}
    assert groups[("OWNS", "out")][0].sources == ["source/s2"]


def test_sanctions_timeline_in_date_order(store: Store) -> None:
    story().write(store)
    answer = queries.sanctions_timeline(store, "company/foundry-cn", on="2024-06-01")
    assert [(e.date, e.regulation.id, e.relations) for e in answer.events] == [
        ("2020-08-17", "regulation/fdpr", ["fdpr"]),
        ("2020-12-18", "regulation/list-foundry", ["listed"]),
        ("2022-10-07", "regulation/gpu-1", ["country-targeted"]),
        ("2023-09", "regulation/nl-scanner", ["country-targeted"]),
        ("2023-10-17", "regulation/gpu-2", ["country-targeted"]),
    ]


def test_what_if_listing_with_fdpr(store: Store) -> None:
    story().write(store)
    answer = queries.what_if(store, "company/designer", "company/accel", on="2020-01-01", fdpr=True)
    assert (answer.before.reachable, answer.after.reachable) == (5, 0)
    assert [x.supplier.id for x in answer.lost][:2] == ["company/foundry-cn", "company/foundry-tw"]
    assert answer.lost[0].regulations[0].id == "regulation/what-if"
    with pytest.raises(InputError, match="--restrict"):
        queries.what_if(store, "company/designer", "country/cn")


def test_conflicts_found_with_both_sources(store: Store) -> None:
    g = story()
    g.rel(
        "company/buyer",
        "OWNS",
        "product/gpu-x-cn",
        source="source/s3",
        properties={"quantity": 10000},
    )
    g.rel(
        "company/buyer",
        "OWNS",
        "product/gpu-x-cn",
        source="source/s4",
        properties={"quantity": 2000},
    )
    g.supplies(
        "company/foundry-cn",
        "company/designer",
        "product/npu",
        source="source/s5",
        modality="negated",
    )
    g.rel("company/gpu", "DESIGNS", "product/npu", source="source/s6")
    g.write(store)
    answer = queries.conflicts(store)
    found = {
        (c.kind, c.object.id): [(s.value, s.sources) for s in c.sides] for c in answer.conflicts
    }
    assert found == {
        ("asserted-and-negated", "company/designer"): [
            ("asserted", ["source/s1"]),
            ("negated", ["source/s5"]),
        ],
        ("competing-designers", "product/npu"): [
            ("company/accel", ["source/s1"]),
            ("company/gpu", ["source/s6"]),
        ],
        ("property-disagreement", "product/gpu-x-cn"): [
            (10000, ["source/s3"]),
            (2000, ["source/s4"]),
        ],
    }
    only = queries.conflicts(store, "company/gpu")
    assert [c.kind for c in only.conflicts] == ["competing-designers"]


def _two_items() -> Graph:
    """A US maker ships an exempt export part and a restricted flagship to a Chinese lab."""
    g = Graph()
    g.located(("company/maker", "country/us"), ("company/lab", "country/cn"))
    g.located(("company/lab-sub", "country/cn"))
    g.rel("company/lab-sub", "SUBSIDIARY_OF", "company/lab")
    g.supplies("company/maker", "company/lab", "product/export-part")
    g.supplies("company/maker", "company/lab-sub", "product/flagship")
    g.ent("product/late-part", released="2024-01-01")
    g.supplies("company/maker", "company/lab", "product/late-part")
    g.ent("regulation/chips", effective_from="2022-10-07", jurisdiction="country/us")
    g.rel("regulation/chips", "TARGETS", "country/cn")
    g.rel("regulation/chips", "RESTRICTS", "product/flagship")
    return g


def test_cut_item_listed_while_the_supplier_stays_reachable(store: Store) -> None:
    _two_items().write(store)
    answer = queries.reachable_suppliers(store, "company/lab", on="2023-06-01")
    maker = next(r for r in answer.reachable if r.supplier.id == "company/maker")
    assert maker.items == ["product/export-part"] and maker.cut_items == ["product/flagship"]
    [entry] = answer.blocked
    assert (entry.supplier.id, entry.item, entry.reachable) == (
        "company/maker",
        "product/flagship",
        True,
    )
    assert entry.link.customer.id == "company/lab-sub"  # reached through the buyer's group


def test_entity_only_leaves_the_subsidiary_out(store: Store) -> None:
    _two_items().write(store)
    answer = queries.reachable_suppliers(store, "company/lab", on="2023-06-01", entity_only=True)
    assert answer.blocked == [] and answer.group == []


def test_no_link_carries_a_product_before_its_release(store: Store) -> None:
    _two_items().write(store)
    before = queries.reachable_suppliers(store, "company/lab", on="2023-06-01")
    after = queries.reachable_suppliers(store, "company/lab", on="2024-06-01")
    assert "product/late-part" not in before.reachable[0].items
    assert "product/late-part" in after.reachable[0].items


def test_exposure_covers_the_suppliers_group(store: Store) -> None:
    g = Graph()
    g.rel("company/fab-sub", "SUBSIDIARY_OF", "company/fab")
    g.supplies("company/fab-sub", "company/customer", "product/wafer")
    g.write(store)
    group = queries.exposure(store, "company/fab", on="2023-06-01")
    assert [d.customer.id for d in group.dependents] == ["company/customer"]
    assert group.dependents[0].path[0].supplier.id == "company/fab-sub"
    alone = queries.exposure(store, "company/fab", on="2023-06-01", entity_only=True)
    assert alone.dependents == []


def test_case_by_case_listing_needs_a_licence_and_denial_cuts(store: Store) -> None:
    g = Graph()
    g.located(("company/tools", "country/us"), ("company/fab", "country/cn"))
    g.located(("company/chipper", "country/cn"))
    g.supplies("company/tools", "company/fab", "product/etcher")
    g.supplies("company/tools", "company/chipper", "product/etcher")
    g.ent("regulation/listing", effective_from="2020-12-18", jurisdiction="country/us")
    g.rel("regulation/listing", "TARGETS", "company/fab",
          properties={"licence_review": "case_by_case"})  # fmt: skip
    g.rel("regulation/listing", "TARGETS", "company/chipper")
    g.write(store)
    fab = queries.reachable_suppliers(store, "company/fab", on="2021-06-01")
    assert fab.reachable == [] and fab.blocked == []
    [entry] = fab.licence_required
    assert (entry.supplier.id, entry.item) == ("company/tools", "product/etcher")
    assert [r.id for r in entry.regulations] == ["regulation/listing"]
    chipper = queries.reachable_suppliers(store, "company/chipper", on="2021-06-01")
    assert chipper.licence_required == [] and cut_off(chipper) == {
        "company/tools": ["regulation/listing"]
    }


def _bill_of_materials() -> Graph:
    """A fab buys a DUV scanner; the scanner maker also buys an EUV light source."""
    g = Graph()
    g.supplies("company/litho", "company/fab", "product/duv")
    g.supplies("company/litho", "company/fab-2", "product/euv")
    g.supplies("company/light", "company/litho", "product/euv-light")
    g.supplies("company/lens", "company/litho", "product/optics")
    g.supplies("company/anything", "company/litho", None)
    g.rel("product/euv-light", "INPUT_TO", "product/euv")
    g.rel("product/optics-x", "TYPE_OF", "product/optics")
    g.rel("product/optics", "INPUT_TO", "product/scanner")
    g.rel("product/duv", "TYPE_OF", "product/scanner")
    g.rel("product/euv", "TYPE_OF", "product/scanner")
    g.supplies("company/litho", "company/fab-3", "product/scanner")
    return g


def test_item_flow_reaches_only_suppliers_whose_items_feed(store: Store) -> None:
    _bill_of_materials().write(store)
    answer = queries.reachable_suppliers(store, "company/fab", on="2024-01-01")
    assert reached(answer) == {"company/litho": 1, "company/lens": 2, "company/anything": 2}
    lens = next(r for r in answer.reachable if r.supplier.id == "company/lens")
    assert [s.items for s in lens.path] == [["product/optics"], ["product/duv"]]
    other = queries.reachable_suppliers(store, "company/fab-2", on="2024-01-01")
    assert reached(other)["company/light"] == 2


def test_item_flow_downstream_follows_what_the_customer_received(store: Store) -> None:
    _bill_of_materials().write(store)
    answer = queries.exposure(store, "company/light", on="2024-01-01")
    assert {d.customer.id: d.hops for d in answer.dependents} == {
        "company/litho": 1,
        "company/fab-2": 2,
    }


def test_item_flow_never_runs_through_specialisations(store: Store) -> None:
    """A link that says only "scanner" is not fed by an input of one kind of scanner."""
    _bill_of_materials().write(store)
    answer = queries.reachable_suppliers(store, "company/fab-3", on="2024-01-01")
    assert "company/light" not in reached(answer)
    assert reached(answer)["company/lens"] == 2  # an input of every scanner feeds it


def test_competing_makers_of_a_chip_but_not_of_a_tool(store: Store) -> None:
    g = story()
    g.ent("product/npu", category="ai_accelerator")
    g.ent("product/etcher", category="equipment")
    g.rel("company/foundry-cn", "MANUFACTURES", "product/npu", source="source/s7")
    g.rel("company/foundry-tw", "MANUFACTURES", "product/npu", source="source/s8")
    g.rel("company/tools-us", "MANUFACTURES", "product/etcher", source="source/s7")
    g.rel("company/tools-cn", "MANUFACTURES", "product/etcher", source="source/s8")
    g.write(store)
    makers = [c for c in queries.conflicts(store).conflicts if c.kind == "competing-makers"]
    assert [(c.predicate, c.object.id) for c in makers] == [("MANUFACTURES", "product/npu")]
    assert [(s.value, s.sources) for s in makers[0].sides] == [
        ("company/foundry-cn", ["source/s7"]),
        ("company/foundry-tw", ["source/s8"]),
    ]
    only = queries.conflicts(store, "company/foundry-tw").conflicts
    assert [c.kind for c in only] == ["competing-makers"]


def test_what_if_reports_a_licence_requirement_turned_into_a_denial(store: Store) -> None:
    g = story()  # before its own Dutch rule (2023-09), which denies the scanner
    g.ent("regulation/nl-licence", effective_from="2023-01-01", jurisdiction="country/nl")
    g.rel(
        "regulation/nl-licence",
        "TARGETS",
        "country/cn",
        properties={"licence_review": "license_required"},
    )
    g.rel("regulation/nl-licence", "RESTRICTS", "product/scanner-duv")
    g.write(store)
    answer = queries.what_if(
        store,
        "company/foundry-cn",
        "company/foundry-cn",
        jurisdiction="country/nl",
        on="2023-06-01",
    )
    assert [(d.supplier.id, d.item) for d in answer.denied] == [
        ("company/litho-nl", "product/scanner-duv")
    ]
    assert [r.id for r in answer.denied[0].regulations] == ["regulation/what-if"]
    assert "company/litho-nl" not in [x.supplier.id for x in answer.lost]
    plain = queries.what_if(
        store,
        "company/foundry-cn",
        "company/foundry-cn",
        jurisdiction="country/us",
        on="2023-06-01",
    )
    assert plain.denied == []  # US law does not reach the Dutch scanner maker


def _scanner_models() -> Graph:
    """A Dutch rule on some scanner models; the fab's links say "scanner" or name a model."""
    g = Graph()
    g.located(("company/litho", "country/nl"), ("company/litho-2", "country/nl"))
    g.located(("company/fab", "country/cn"), ("company/source", "country/us"))
    g.rel("product/scanner-a", "TYPE_OF", "product/scanner")
    g.rel("product/scanner-b", "TYPE_OF", "product/scanner")
    g.rel("product/scanner-b-plus", "VARIANT_OF", "product/scanner-b")
    g.rel("product/scanner-c", "TYPE_OF", "product/scanner")
    g.rel("product/light-source", "INPUT_TO", "product/scanner")
    g.supplies("company/litho", "company/fab", "product/scanner")
    g.supplies("company/litho-2", "company/fab", "product/scanner-b")
    g.supplies("company/source", "company/litho", "product/light-source")
    g.ent("regulation/nl-models", effective_from="2023-09-01", jurisdiction="country/nl")
    g.rel("regulation/nl-models", "TARGETS", "country/cn")
    g.rel("regulation/nl-models", "RESTRICTS", "product/scanner-b",
          properties={"licence_review": "license_required"})  # fmt: skip
    g.rel("regulation/nl-models", "RESTRICTS", "product/scanner-c")
    return g


def _entries(entries: list[Any]) -> dict[tuple[str, str | None], tuple[str | None, bool]]:
    return {(e.supplier.id, e.item): (e.link.item, e.reachable) for e in entries}


def test_rule_on_a_narrower_item_cuts_that_item_not_the_link(store: Store) -> None:
    _scanner_models().write(store)
    before = queries.reachable_suppliers(store, "company/fab", on="2023-08-31")
    assert before.blocked == [] and before.licence_required == []
    answer = queries.reachable_suppliers(store, "company/fab", on="2024-06-01")
    # The "scanner" link stays open for the rest of the item, and so does its upstream.
    assert reached(answer) == {"company/litho": 1, "company/source": 2}
    # Each restricted model under it is cut on its own: the review its RESTRICTS claim states
    # (carried to the variant), else the country's (presumption of denial when none).
    assert _entries(answer.licence_required) == {
        ("company/litho", "product/scanner-b"): ("product/scanner", True),
        ("company/litho", "product/scanner-b-plus"): ("product/scanner", True),
        ("company/litho-2", "product/scanner-b"): ("product/scanner-b", False),
    }
    assert _entries(answer.blocked) == {
        ("company/litho", "product/scanner-c"): ("product/scanner", True)
    }
    [denied] = answer.blocked
    assert [r.id for r in denied.regulations] == ["regulation/nl-models"]
    assert denied.reason.endswith("item product/scanner-c restricted")
    exposure = queries.exposure(store, "company/litho", on="2024-06-01")
    assert [d.customer.id for d in exposure.dependents] == ["company/fab"]
    assert sorted(e.item or "" for e in exposure.licence_required) == [
        "product/scanner-b", "product/scanner-b-plus"
    ]  # fmt: skip


def test_timeline_tells_a_rule_on_some_models_from_one_on_the_item(store: Store) -> None:
    _scanner_models().write(store)
    whole = queries.sanctions_timeline(store, "product/scanner-b-plus")
    part = queries.sanctions_timeline(store, "product/scanner")
    assert [e.relations for e in whole.events] == [["restricted"]]
    assert [e.relations for e in part.events] == [["restricted-in-part"]]
