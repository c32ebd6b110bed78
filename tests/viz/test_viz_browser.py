"""The HTML view in a real headless Chromium: it loads offline and cleanly, draws the
expected graph, marks cut links, finds DeepSeek, zooms, drags, and is not blank.

One Chromium for the whole module (Debian's /usr/bin/chromium, driven by Playwright,
nothing downloaded); each test opens its own page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageStat

import tests.support.viz_scenario as scenario
from chipkg.demo import build_demo
from chipkg.graph import EmbeddedStore
from chipkg.viz.answers import reachable_suppliers_view
from chipkg.viz.browser import OpenedView, chromium, open_view
from chipkg.viz.graph import neighbourhood
from chipkg.viz.html import render
from chipkg.viz.style import CUT_COLOUR

pytestmark = pytest.mark.browser

NVIDIA_H800 = "SUPPLIES|company/nvidia|company/deepseek|item=product/h800"
HUAWEI_ASCEND = "SUPPLIES|company/huawei|company/deepseek|item=product/ascend-910b"


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    """One headless Chromium for every test in this module."""
    with chromium() as browser_context:
        yield browser_context


@pytest.fixture(scope="module")
def scenario_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The scenario's DeepSeek view on 2024-06-01 (after the rule) and its node ids."""
    folder = tmp_path_factory.mktemp("scenario")
    store = scenario.build(EmbeddedStore(folder / "db"))
    view = neighbourhood(store, "company/deepseek", hops=2, on="2024-06-01")
    page = folder / "view.html"
    page.write_text(render(view), encoding="utf-8")
    return page, set(view.nodes)


@pytest.fixture(scope="module")
def query_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario's reachable-suppliers picture for DeepSeek on 2024-06-01."""
    folder = tmp_path_factory.mktemp("query")
    store = scenario.build(EmbeddedStore(folder / "db"))
    page = folder / "reach.html"
    view = reachable_suppliers_view(store, "company/deepseek", "2024-06-01")
    page.write_text(render(view), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The demo graph's DeepSeek view and the ids of DeepSeek's direct neighbours."""
    folder = tmp_path_factory.mktemp("demo")
    store = EmbeddedStore(folder / "db")
    build_demo(store)
    direct = {c.subject for c in store.neighbours("company/deepseek")}
    direct |= {c.object for c in store.neighbours("company/deepseek")}
    page = folder / "demo.html"
    page.write_text(render(neighbourhood(store, "company/deepseek", hops=2)), encoding="utf-8")
    return page, direct


@pytest.fixture
def opened(context: Any, scenario_page: tuple[Path, set[str]]) -> Iterator[OpenedView]:
    """A fresh tab on the scenario view."""
    view = open_view(context, scenario_page[0])
    yield view
    view.page.close()


def edge_point(opened: OpenedView, edge_id: str) -> tuple[float, float]:
    """Page coordinates of a point on a drawn edge where the edge, not a node, is hit."""
    point = opened.page.evaluate(
        """(id) => {
            const net = window.chipkgView.network;
            const box = document.getElementById('graph').getBoundingClientRect();
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
                const p = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(t));
                if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === id) {
                    return [box.left + p.x, box.top + p.y];
                }
            }
            return null;
        }""",
        edge_id,
    )
    assert point is not None, f"edge {edge_id} is hidden under nodes"
    return float(point[0]), float(point[1])


def node_point(opened: OpenedView, node_id: str) -> tuple[float, float]:
    """Page coordinates of a drawn node's centre."""
    point = opened.page.evaluate(
        """(id) => {
            const net = window.chipkgView.network;
            const p = net.canvasToDOM(net.getPosition(id));
            const box = document.getElementById('graph').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    return float(point[0]), float(point[1])


def test_the_page_loads_offline_without_console_errors(opened: OpenedView) -> None:
    assert opened.errors == []
    assert opened.requests == [], "the page tried to fetch something from the network"
    assert opened.page.evaluate("typeof vis.Network") == "function"


def test_the_drawing_holds_exactly_the_view_nodes_all_placed(
    opened: OpenedView, scenario_page: tuple[Path, set[str]]
) -> None:
    drawn = set(opened.page.evaluate("window.chipkgView.nodes.getIds()"))
    assert drawn == scenario_page[1]
    direct = {c.subject for c in scenario.claims() if c.object == "company/deepseek"}
    assert direct <= drawn
    placed = opened.page.evaluate("Object.keys(window.chipkgView.network.getPositions())")
    assert set(placed) == drawn


def test_a_cut_link_is_red_dashed_and_names_the_regulation_on_hover(opened: OpenedView) -> None:
    cut = opened.page.evaluate("(id) => window.chipkgView.edges.get(id)", NVIDIA_H800)
    kept = opened.page.evaluate("(id) => window.chipkgView.edges.get(id)", HUAWEI_ASCEND)
    assert cut["color"]["color"] == CUT_COLOUR and cut["dashes"]
    assert kept["color"]["color"] != CUT_COLOUR and not kept["dashes"]
    opened.page.mouse.move(*edge_point(opened, NVIDIA_H800))
    tooltip = opened.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.inner_text()
    assert "CUT by Test chip rule 2023" in text
    assert "modality: asserted" in text and "Viz test note A" in text


def test_clicking_a_link_shows_its_modality_and_sources(opened: OpenedView) -> None:
    opened.page.mouse.click(*edge_point(opened, HUAWEI_ASCEND))
    details = opened.page.locator("#details")
    assert details.locator("h3").inner_text() == "Huawei → DeepSeek"
    text = details.inner_text()
    assert "reported" in text and "Viz test note B" in text and "Ascend 910B" in text


def test_search_finds_deepseek_and_selects_it(opened: OpenedView) -> None:
    opened.page.fill("#search", "deepseek")
    opened.page.click("#search-form button")
    assert opened.page.inner_text("#search-status") == "Found: DeepSeek (Company)"
    selected = opened.page.evaluate("window.chipkgView.network.getSelectedNodes()")
    assert selected == ["company/deepseek"]
    assert opened.page.locator("#details h3").inner_text() == "DeepSeek"
    opened.page.fill("#search", "no such company")
    opened.page.press("#search", "Enter")
    assert opened.page.inner_text("#search-status").startswith("No match")


def test_zoom_and_drag_work(opened: OpenedView) -> None:
    page = opened.page
    before = page.evaluate("window.chipkgView.network.getScale()")
    page.mouse.move(*node_point(opened, "company/huawei"))
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(150)
    assert page.evaluate("window.chipkgView.network.getScale()") > before
    start = page.evaluate("window.chipkgView.network.getPosition('company/huawei')")
    x, y = node_point(opened, "company/huawei")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    moved = page.evaluate("window.chipkgView.network.getPosition('company/huawei')")
    assert (moved["x"], moved["y"]) != (start["x"], start["y"])


def test_the_legend_lists_labels_types_and_cut_links(opened: OpenedView) -> None:
    labels = opened.page.eval_on_selector_all(
        "#legend [data-label]", "rows => rows.map(r => r.dataset.label)"
    )
    types = opened.page.eval_on_selector_all(
        "#legend [data-type]", "rows => rows.map(r => r.dataset.type)"
    )
    assert {"Company", "Country", "Product", "Regulation"} <= set(labels)
    assert {"SUPPLIES", "RESTRICTS", "cut"} <= set(types)


def test_the_screenshot_is_not_blank_and_shows_the_red_cut(opened: OpenedView) -> None:
    box = opened.page.locator("#graph").bounding_box()
    assert box is not None
    image = Image.open(io.BytesIO(opened.page.screenshot(clip=box))).convert("RGB")
    assert ImageStat.Stat(image.convert("L")).var[0] > 100, "the drawing looks blank"
    red = np.array([int(CUT_COLOUR[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image, dtype=int)
    near_red = int((np.abs(pixels - red) < 40).all(axis=2).sum())
    assert near_red > 30, "no red cut link drawn"


def test_the_demo_view_opens_and_finds_deepseek(
    context: Any, demo_page: tuple[Path, set[str]]
) -> None:
    view = open_view(context, demo_page[0])
    try:
        assert view.errors == [] and view.requests == []
        drawn = set(view.page.evaluate("window.chipkgView.nodes.getIds()"))
        assert demo_page[1] <= drawn
        view.page.fill("#search", "DeepSeek")
        view.page.press("#search", "Enter")
        assert view.page.inner_text("#search-status") == "Found: DeepSeek (Company)"
    finally:
        view.page.close()


def test_the_query_view_draws_the_cut_suppliers(context: Any, query_page: Path) -> None:
    view = open_view(context, query_page)
    try:
        assert view.errors == [] and view.requests == []
        edges = view.page.evaluate("window.chipkgView.edges.get()")
        cut = {e["to"] + " <- " + e["from"] for e in edges if e["dashes"]}
        assert cut == {"company/deepseek <- company/nvidia", "company/huawei <- company/tsmc"}
        view.page.fill("#search", "DeepSeek")
        view.page.press("#search", "Enter")
        assert view.page.inner_text("#search-status") == "Found: DeepSeek (Company)"
    finally:
        view.page.close()
