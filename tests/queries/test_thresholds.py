"""Performance thresholds: a rule defined by figures restricts the products that reach them."""

from __future__ import annotations

import pytest

from chipkg.queries.rules import restricts_item
from chipkg.queries.thresholds import ThresholdError, judge, meets, parse
from tests.support.graphs import Graph

RULE_2022 = ["tpp>=4800&interconnect_gbs>=600"]
RULE_2023 = ["tpp>=4800", "tpp>=1600&performance_density>=5.92"]


def test_parse_reads_alternatives_and_rejects_unknown_figures() -> None:
    assert parse("tpp>=4800&interconnect_gbs>=600") == [
        ("tpp", 4800.0),
        ("interconnect_gbs", 600.0),
    ]
    with pytest.raises(ThresholdError, match="clock_ghz"):
        parse("clock_ghz>=2")
    with pytest.raises(ThresholdError, match="no number"):
        parse("tpp>=lots")
    with pytest.raises(ThresholdError, match="figure>=value"):
        parse("tpp>4800")


def test_meets_needs_every_condition_of_one_alternative() -> None:
    h800 = {"tpp": 15832, "performance_density": 19.45, "interconnect_gbs": 400}
    h20 = {"tpp": 2368, "performance_density": 2.91, "interconnect_gbs": 900}
    assert not meets(RULE_2022, h800)  # below the 2022 transfer rate
    assert meets(RULE_2023, h800)
    assert not meets(RULE_2022, h20) and not meets(RULE_2023, h20)
    assert meets(RULE_2023, {"tpp": 1912, "performance_density": 6.0})  # density prong
    assert not meets(RULE_2022, {"tpp": 9000})  # a missing figure fails its condition
    assert not meets(RULE_2023, {"tpp": "9000"})  # figures are numbers, not text


def _chips() -> Graph:
    g = Graph()
    g.ent(
        "regulation/ac",
        effective_from="2022-10-07",
        jurisdiction="country/us",
        thresholds=RULE_2022,
    )
    g.ent("product/big", tpp=15832, interconnect_gbs=900)
    g.ent("product/big-cn", tpp=15832, interconnect_gbs=400)
    g.ent("product/big-cn-oem")  # no figures: only its parent decides
    g.ent("product/other")
    g.rel("product/big-cn", "VARIANT_OF", "product/big")
    g.rel("product/big-cn-oem", "TYPE_OF", "product/big-cn")
    g.rel("regulation/ac", "TARGETS", "country/cn")
    return g


def test_judge_splits_products_with_figures_and_ignores_the_rest() -> None:
    view = _chips().view()
    meeting, failing = judge(view, view.entities["regulation/ac"])
    assert (meeting, failing) == ({"product/big"}, {"product/big-cn"})


def test_figures_decide_and_a_variant_below_the_bar_is_exempt_with_its_own_variants() -> None:
    view = _chips().view()
    rule = view.entities["regulation/ac"]
    assert restricts_item(rule, "product/big", view, "2023-01-01")
    assert not restricts_item(rule, "product/big-cn", view, "2023-01-01")
    assert not restricts_item(rule, "product/big-cn-oem", view, "2023-01-01")
    assert not restricts_item(rule, "product/other", view, "2023-01-01")


def test_a_product_the_rule_names_stays_restricted_whatever_its_figures() -> None:
    g = _chips()
    g.rel("regulation/ac", "RESTRICTS", "product/big-cn")
    view = g.view()
    assert restricts_item(view.entities["regulation/ac"], "product/big-cn", view, "2023-01-01")
