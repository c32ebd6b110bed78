"""``chipkg plot``: what the sanctions timeline and chokepoints plots show, and the PNGs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

import tests.viz_scenario as scenario
from chipkg.cli import app
from chipkg.graph import EmbeddedStore, Store
from chipkg.viz import plotdata, plots


@pytest.fixture
def graph(store: Store) -> Store:
    """The viz scenario in an empty store of each backend."""
    return scenario.build(store)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The scenario as an embedded store directory, for the CLI."""
    path = tmp_path / "db"
    scenario.build(EmbeddedStore(path)).close()
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG signature and IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_timeline_lists_the_listing_and_the_country_rules_in_date_order(graph: Store) -> None:
    huawei = graph.get("company/huawei")
    assert huawei is not None
    rows = plotdata.sanctions_timeline(graph, huawei)
    by_id = {r.regulation: r for r in rows}
    assert by_id[scenario.LISTING].why == "lists it"
    assert by_id[scenario.RULE].why == "targets its country"
    assert by_id[scenario.RULE].name == "Test chip rule 2023"
    assert [r.start for r in rows] == sorted(r.start or "" for r in rows)
    assert rows[0].regulation == scenario.LISTING


def test_timeline_of_a_us_maker_shows_the_rules_of_its_own_law(graph: Store) -> None:
    nvidia = graph.get("company/nvidia")
    assert nvidia is not None
    rows = plotdata.sanctions_timeline(graph, nvidia)
    assert {r.regulation for r in rows} == {scenario.LISTING, scenario.RULE, scenario.HBM_RULE}
    assert {r.why for r in rows} == {"its law applies there"}


def test_chokepoints_mark_providers_cut_off_for_the_country(graph: Store) -> None:
    rows = plotdata.chokepoints(graph, "product/h100", "2025-01-01", "country/cn")
    by_item = {r.id: r for r in rows}
    assert set(by_item) == {"product/h100", "product/euv-tool", "product/hbm", "product/hbm3e"}
    hbm = {p.id: p for p in by_item["product/hbm"].providers}
    assert hbm["company/sk-hynix"].share == 0.5 and hbm["company/sk-hynix"].cut_by == []
    assert hbm["company/micron"].cut_by == [scenario.HBM_RULE]
    [asml] = by_item["product/euv-tool"].providers
    assert asml.cut_by == [scenario.NL_RULE]
    assert by_item["product/euv-tool"].reasons == ["dominant", "all-cut"]
    assert by_item["product/hbm"].reasons == ["dominant"]
    assert rows[0].id == "product/h100"


def test_chokepoints_before_the_rules_and_for_another_country_cut_nothing(graph: Store) -> None:
    early = plotdata.chokepoints(graph, "product/h100", "2023-01-01", "country/cn")
    elsewhere = plotdata.chokepoints(graph, "product/h100", "2025-01-01", "country/kr")
    for rows in (early, elsewhere):
        assert not [p for r in rows for p in r.providers if p.cut_by]


def test_cli_writes_pngs_of_the_documented_size(db: Path, tmp_path: Path) -> None:
    timeline, chokes = tmp_path / "timeline.png", tmp_path / "chokes.png"
    runner = CliRunner()
    first = runner.invoke(
        app, ["plot", "sanctions-timeline", "Huawei", "--db", str(db), "-o", str(timeline)]
    )
    assert first.exit_code == 0, first.output
    assert "4 regulations" in first.output
    args = ["plot", "chokepoints", "H100", "--for-country", "China", "--on", "2025-01-01"]
    second = runner.invoke(app, [*args, "--db", str(db), "-o", str(chokes)])
    assert second.exit_code == 0, second.output
    assert "2 providers cut off" in second.output
    for path in (timeline, chokes):
        assert png_size(path) == plots.SIZE
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            levels = image.convert("L").histogram()
            assert sum(1 for count in levels if count) > 20, "blank picture"


def test_cli_rejects_a_non_png_name_and_a_non_product(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(
        app,
        ["plot", "sanctions-timeline", "Huawei", "--db", str(db), "-o", str(tmp_path / "t.jpg")],
    )
    assert bad.exit_code != 0 and "PNG" in str(bad.exception)
    wrong = runner.invoke(
        app, ["plot", "chokepoints", "Huawei", "--db", str(db), "-o", str(tmp_path / "c.png")]
    )
    assert wrong.exit_code != 0 and "not a Product" in str(wrong.exception)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.jpg"))


def test_empty_answers_still_draw_a_labelled_picture(tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    plots.save_png(plots.timeline_figure("Nothing", [], "2025-01-01"), out)
    assert png_size(out) == plots.SIZE
