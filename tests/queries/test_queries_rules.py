"""Unit tests of the cut rule's pieces: dates, validity, jurisdiction, targeting, restriction."""

from __future__ import annotations

import pytest

from chipkg.errors import InputError
from chipkg.ontology import Entity
from chipkg.queries.dates import as_of, ends_after, starts_by, within
from chipkg.queries.rules import (
    Link,
    Rules,
    in_force,
    jurisdiction_reaches,
    link_valid,
    restricts_item,
    supply_links_from,
    supply_links_into,
    targets_customer,
)
from tests.support.graphs import Graph, story


def reg(**props: object) -> Entity:
    return Entity(id="regulation/r", label="Regulation", name="R", properties=props)


# -- dates ---------------------------------------------------------------------------------


def test_as_of_pads_partial_dates_and_rejects_garbage() -> None:
    assert as_of("2024") == "2024-01-01"
    assert as_of("2024-06") == "2024-06-01"
    assert as_of("2024-06-15") == "2024-06-15"
    with pytest.raises(InputError, match="--on"):
        as_of("15/06/2024")


def test_partial_end_dates_cover_their_whole_period() -> None:
    assert ends_after("2023", "2023-12-31")
    assert not ends_after("2023", "2024-01-01")
    assert ends_after("2023-02", "2023-02-28")
    assert not ends_after("2023-02", "2023-03-01")
    assert starts_by("2023-09", "2023-09-01")
    assert not starts_by("2023-09", "2023-08-31")
    assert within(None, None, "1999-01-01")


# -- validity ------------------------------------------------------------------------------


def test_in_force_between_effective_dates_inclusive() -> None:
    rule = reg(effective_from="2022-10-07", effective_to="2023-10-16")
    assert not in_force(rule, "2022-10-06")
    assert in_force(rule, "2022-10-07")
    assert in_force(rule, "2023-10-16")
    assert not in_force(rule, "2023-10-17")
    assert not in_force(reg(), "1900-01-01")  # no known effective date: never (not assessed)
    assert not in_force(reg(effective_to="2030-01-01"), "2020-01-01")


def test_link_valid_respects_validity_and_negation() -> None:
    g = Graph()
    g.supplies("company/a", "company/b", "product/x", valid_to="2020-09-14")
    g.supplies("company/c", "company/b", "product/x", modality="negated")
    g.supplies("company/d", "company/b", "product/x", valid_from="2021")
    view = g.view()
    by_supplier = {r.subject: r for r in view.into("company/b", "SUPPLIES")}
    assert link_valid(by_supplier["company/a"], "2020-09-14")
    assert not link_valid(by_supplier["company/a"], "2020-09-15")
    assert not link_valid(by_supplier["company/c"], "2020-01-01")
    assert not link_valid(by_supplier["company/d"], "2020-12-31")
    assert link_valid(by_supplier["company/d"], "2021-01-01")
    assert link_valid(g.claims[0], "2020-01-01")  # plain claims too


# -- supply links --------------------------------------------------------------------------


def test_derived_link_from_holding_keeps_provenance_of_both_claims() -> None:
    g = Graph()
    g.rel("company/maker", "DESIGNS", "product/x", source="source/a")
    g.rel("company/maker", "MANUFACTURES", "product/x", source="source/b")
    g.rel("company/buyer", "OWNS", "product/x", source="source/c")
    g.rel("company/buyer", "DESIGNS", "product/x", source="source/d")  # no self link
    links = supply_links_into(g.view(), "company/buyer", "2024-01-01")
    assert links == [
        Link(
            supplier="company/maker",
            customer="company/buyer",
            item="product/x",
            derived=True,
            sources=("source/a", "source/b", "source/c"),
            claims=(
                "DESIGNS|company/maker|product/x",
                "MANUFACTURES|company/maker|product/x",
                "OWNS|company/buyer|product/x",
            ),
        )
    ]
    assert supply_links_from(g.view(), "company/maker", "2024-01-01") == links


def test_derived_link_needs_both_claims_valid() -> None:
    g = Graph()
    g.rel("company/maker", "DESIGNS", "product/x")
    g.rel("company/buyer", "USES", "product/x", valid_from="2024")
    assert supply_links_into(g.view(), "company/buyer", "2023-12-31") == []
    assert len(supply_links_into(g.view(), "company/buyer", "2024-01-01")) == 1


# -- jurisdiction --------------------------------------------------------------------------


def test_jurisdiction_reaches_supplier_located_in_issuing_country() -> None:
    view = story().view()
    gpu1 = view.entities["regulation/gpu-1"]
    assert jurisdiction_reaches(gpu1, "company/gpu", "2024-01-01", view) == "located"
    assert jurisdiction_reaches(gpu1, "company/foundry-tw", "2024-01-01", view) is None


def test_jurisdiction_from_issuer_when_no_property() -> None:
    view = story().view()
    listing = view.entities["regulation/list-foundry"]
    rules = Rules(view, "2021-01-01")
    assert rules.jurisdiction(listing.id) == "country/us"
    assert jurisdiction_reaches(listing, "company/tools-us", "2021-01-01", view) == "located"


def test_fdpr_reaches_supplier_that_depends_on_issuer_tools() -> None:
    view = story().view()
    fdpr = view.entities["regulation/fdpr"]
    assert jurisdiction_reaches(fdpr, "company/foundry-tw", "2021-01-01", view) == "fdpr"


def test_fdpr_dependence_survives_a_later_listing_of_the_supplier() -> None:
    view = story().view()
    fdpr = view.entities["regulation/fdpr"]
    # The foundry received US tools before its own listing: it still depends on them after.
    assert jurisdiction_reaches(fdpr, "company/foundry-cn", "2020-12-17", view) == "fdpr"
    assert jurisdiction_reaches(fdpr, "company/foundry-cn", "2020-12-18", view) == "fdpr"


def test_fdpr_dependence_counts_tools_received_before_and_not_after() -> None:
    g = Graph()
    g.located(("company/tools", "country/us"), ("company/fab", "country/cn"))
    g.supplies("company/tools", "company/fab", "product/etcher", valid_from="2019-01-01",
               valid_to="2019-12-31")  # fmt: skip
    g.ent("regulation/f", effective_from="2018-01-01", jurisdiction="country/us", fdpr=True)
    view = g.view()
    rule = view.entities["regulation/f"]
    assert jurisdiction_reaches(rule, "company/fab", "2018-06-01", view) is None
    assert jurisdiction_reaches(rule, "company/fab", "2021-06-01", view) == "fdpr"


def test_fdpr_dependence_through_derived_link() -> None:
    g = Graph()
    g.located(("company/us-eda", "country/us"), ("company/fab", "country/kr"))
    g.rel("company/us-eda", "DESIGNS", "product/eda-suite")
    g.rel("company/fab", "USES", "product/eda-suite")
    g.ent("regulation/r", jurisdiction="country/us", fdpr=True)
    view = g.view()
    assert (
        jurisdiction_reaches(view.entities["regulation/r"], "company/fab", "2024-01-01", view)
        == "fdpr"
    )


def test_rule_without_fdpr_does_not_reach_dependent_suppliers() -> None:
    view = story().view()
    gpu1 = view.entities["regulation/gpu-1"]
    assert jurisdiction_reaches(gpu1, "company/foundry-tw", "2024-01-01", view) is None


# -- targeting and restriction ----------------------------------------------------------------


def test_targets_customer_directly_or_through_parents() -> None:
    g = story()
    g.rel("company/designer-unit", "SUBSIDIARY_OF", "company/designer")
    view = g.view()
    fdpr = view.entities["regulation/fdpr"]
    assert targets_customer(fdpr, "company/accel", view, "2021-01-01") == "company"
    assert targets_customer(fdpr, "company/designer", view, "2021-01-01") == "parent"
    assert targets_customer(fdpr, "company/designer-unit", view, "2021-01-01") == "parent"
    assert targets_customer(fdpr, "company/foundry-cn", view, "2021-01-01") is None


def test_parent_link_outside_its_validity_does_not_spread_a_listing() -> None:
    g = Graph()
    g.rel("company/unit", "SUBSIDIARY_OF", "company/group", valid_to="2019-12-31")
    g.rel("regulation/r", "TARGETS", "company/group")
    view = g.view()
    rule = view.entities["regulation/r"]
    assert targets_customer(rule, "company/unit", view, "2019-06-01") == "parent"
    assert targets_customer(rule, "company/unit", view, "2020-06-01") is None


def test_restriction_carries_to_types_and_variants() -> None:
    g = story()
    g.rel("product/scanner-duv-i", "TYPE_OF", "product/scanner-duv")
    g.rel("product/gpu-y", "VARIANT_OF", "product/gpu-x")
    g.rel("product/gpu-y-lite", "VARIANT_OF", "product/gpu-y")
    view = g.view()
    nl = view.entities["regulation/nl-scanner"]
    gpu1 = view.entities["regulation/gpu-1"]
    assert restricts_item(nl, "product/scanner", view, "2024-01-01")
    assert restricts_item(nl, "product/scanner-duv-i", view, "2024-01-01")
    assert not restricts_item(nl, "product/etcher", view, "2024-01-01")
    assert restricts_item(gpu1, "product/gpu-x", view, "2024-01-01")
    assert restricts_item(gpu1, "product/gpu-y", view, "2024-01-01")
    assert restricts_item(gpu1, "product/gpu-y-lite", view, "2024-01-01")


def test_negated_restriction_exempts_the_variant_and_its_own_variants() -> None:
    g = story()  # gpu-1 restricts gpu-x and has a negated RESTRICTS on gpu-x-cn
    g.rel("product/gpu-x-cn-lite", "VARIANT_OF", "product/gpu-x-cn")
    g.rel("product/gpu-x-cn-oem", "TYPE_OF", "product/gpu-x-cn")
    g.rel("product/gpu-x-cn-dual", "VARIANT_OF", "product/gpu-x-cn")
    g.rel("product/gpu-x-cn-dual", "VARIANT_OF", "product/gpu-x")  # also reached directly
    view = g.view()
    gpu1, gpu2 = view.entities["regulation/gpu-1"], view.entities["regulation/gpu-2"]
    for exempt in ("product/gpu-x-cn", "product/gpu-x-cn-lite", "product/gpu-x-cn-oem"):
        assert not restricts_item(gpu1, exempt, view, "2024-01-01"), exempt
        assert restricts_item(gpu2, exempt, view, "2024-01-01"), exempt  # gpu-2 names gpu-x-cn
    assert restricts_item(gpu1, "product/gpu-x-cn-dual", view, "2024-01-01")


def test_exemption_counts_only_inside_its_validity() -> None:
    g = Graph()
    g.rel("product/v", "VARIANT_OF", "product/base")
    g.rel("regulation/r", "RESTRICTS", "product/base")
    g.rel("regulation/r", "RESTRICTS", "product/v", modality="negated", valid_to="2022-12-31")
    view = g.view()
    rule = view.entities["regulation/r"]
    assert not restricts_item(rule, "product/v", view, "2022-06-01")
    assert restricts_item(rule, "product/v", view, "2023-06-01")


# -- the whole rule ------------------------------------------------------------------------


def link(supplier: str, customer: str, item: str | None) -> Link:
    return Link(supplier, customer, item, False, ("source/s1",), ("k",))


def test_cut_needs_reach_and_target() -> None:
    view = story().view()
    before, after = Rules(view, "2023-06-01"), Rules(view, "2024-06-01")
    gpu_link = link("company/gpu", "company/buyer", "product/gpu-x-cn")
    assert before.cuts(gpu_link) == []
    [cut] = after.cuts(gpu_link)
    assert cut.regulation == "regulation/gpu-2"
    assert cut.reason == (
        "supplier located in country/us (jurisdiction of regulation/gpu-2); "
        "customer located in country/cn targeted by it; item product/gpu-x-cn restricted"
    )
    # Same item to a buyer outside the targeted country: not cut.
    assert after.cuts(link("company/gpu", "company/foundry-tw", "product/gpu-x-cn")) == []
    # A domestic supplier is out of the US rule's reach.
    assert after.cuts(link("company/accel", "company/buyer", "product/gpu-x-cn")) == []


def test_listing_cuts_every_item_and_reason_names_the_parent() -> None:
    rules = Rules(story().view(), "2021-01-01")
    [cut] = rules.cuts(link("company/foundry-tw", "company/designer", None))
    assert cut.regulation == "regulation/fdpr"
    assert "foreign direct product rule of regulation/fdpr" in cut.reason
    assert "parent of customer company/designer targeted by it" in cut.reason


def test_regulation_that_ended_no_longer_cuts() -> None:
    g = story()
    g.ent("regulation/gpu-2", effective_to="2024-12-31")
    view = g.view()
    gpu_link = link("company/gpu", "company/buyer", "product/gpu-x-cn")
    assert [c.regulation for c in Rules(view, "2024-12-31").cuts(gpu_link)] == ["regulation/gpu-2"]
    assert Rules(view, "2025-01-01").cuts(gpu_link) == []


def test_rules_are_listed_in_id_order() -> None:
    g = story()
    g.ent("regulation/gpu-0", effective_from="2023-01-01", jurisdiction="country/us")
    g.rel("regulation/gpu-0", "TARGETS", "country/cn")
    g.rel("regulation/gpu-0", "RESTRICTS", "product/gpu-x-cn")
    cuts = Rules(g.view(), "2024-06-01").cuts(
        link("company/gpu", "company/buyer", "product/gpu-x-cn")
    )
    assert [c.regulation for c in cuts] == ["regulation/gpu-0", "regulation/gpu-2"]
