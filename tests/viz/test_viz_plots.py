"""``chipkg plot``: what the sanctions timeline and chokepoints plots show, and the PNGs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image
from typer.testing import CliRunner

import tests.support.viz_scenario as scenario
from chipkg.cli import app
from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.reference import load_reference
from chipkg.viz import plotdata, plots
from chipkg.viz.plotdata import InputRow, Provider, TimelineRow
from chipkg.viz.textfit import renderer_of


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


def texts_outside(figure: Figure) -> list[str]:
    """Visible texts whose drawn extent leaves the figure (checked on the Agg renderer)."""
    renderer = renderer_of(figure)
    figure.draw(renderer)
    box = figure.bbox
    out = []
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        if not text.get_visible() or not text.get_text():
            continue
        ext = text.get_window_extent(renderer)
        if ext.x0 < box.x0 or ext.y0 < box.y0 or ext.x1 > box.x1 or ext.y1 > box.y1:
            out.append(text.get_text())
    return out


def test_the_layout_check_sees_a_text_outside_the_figure() -> None:
    figure = Figure(figsize=(4, 3), dpi=plots.DPI)
    figure.text(0.8, 0.5, "a note well past the right edge")
    figure.text(0.1, 0.5, "inside")
    assert texts_outside(figure) == ["a note well past the right edge"]


LONG = "Advanced computing and semiconductor manufacturing items rule with a very long name (2022)"


def long_rows() -> tuple[list[TimelineRow], list[InputRow]]:
    """Rows with long names, a late start (note near the right edge) and unknown shares."""
    timeline = [
        TimelineRow("regulation/a", LONG, "export_control_rule", "2019-05-16", None, "lists it"),
        TimelineRow(
            "regulation/b", "Short", "entity_listing", "2025-11-30", None, "lists its parent"
        ),
        TimelineRow("regulation/c", LONG * 2, None, None, None, "targets its country"),
    ]
    known = Provider("company/a", "A very long company name indeed, Incorporated", 0.04, [])
    inputs = [
        InputRow("product/x", LONG, [known, Provider("company/b", "B", 0.9, ["r"])], ["dominant"]),
        InputRow("product/y", "Y", [Provider("company/c", LONG, None, [])], []),
    ]
    return timeline, inputs


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled reference data (where EUV light source has a provider of unknown share)."""
    path = tmp_path_factory.mktemp("reference") / "db"
    loaded = load_reference()
    with EmbeddedStore(path) as opened:
        opened.write(loaded.entities, loaded.claims)
    return path


def test_every_plot_kind_keeps_its_texts_inside_the_figure(
    graph: Store, reference_db: Path
) -> None:
    huawei = graph.get("company/huawei")
    assert huawei is not None
    timeline, inputs = long_rows()
    with EmbeddedStore(reference_db) as ref:
        euv = plotdata.chokepoints(
            ref, "product/euv-lithography-system", "2025-01-01", "country/cn"
        )
    figures = {
        "timeline": plots.timeline_figure("Sanctions timeline: Huawei", plotdata.sanctions_timeline(graph, huawei), "2025-01-01"),
        "chokepoints": plots.chokepoints_figure("Chokepoints", plotdata.chokepoints(graph, "product/h100", "2025-01-01", "country/cn")),
        "euv": plots.chokepoints_figure(f"Chokepoints: providers of {LONG} and its inputs", euv, "no --for-country: cuts not assessed, on 2025-01-01"),
        "long timeline": plots.timeline_figure(LONG * 3, timeline, "2025-12-31"),
        "long chokepoints": plots.chokepoints_figure(LONG * 3, inputs, LONG * 2),
        "empty timeline": plots.timeline_figure(LONG * 2, [], "2025-01-01"),
        "empty chokepoints": plots.chokepoints_figure(LONG * 2, []),
    }  # fmt: skip
    for name, figure in figures.items():
        assert texts_outside(figure) == [], name
        drawn = {t.get_text() for t in figure.findobj(Text) if isinstance(t, Text)}
        assert any(t.startswith(("Chokepoints", "Sanctions", "Advanced")) for t in drawn), name


def bars(figure: Figure) -> list[Rectangle]:
    """The bar patches of the figure's only axes."""
    [axes] = figure.axes
    return [p for p in axes.patches if isinstance(p, Rectangle) and p.get_gid()]


def test_an_unknown_share_is_a_full_width_hatched_bar_never_a_small_one() -> None:
    _, inputs = long_rows()
    figure = plots.chokepoints_figure("Shares", inputs)
    [axes] = figure.axes
    low, high = axes.get_xlim()
    unknown = [b for b in bars(figure) if b.get_gid() == plots.UNKNOWN_GID]
    assert len(unknown) == 1
    assert unknown[0].get_x() == low and unknown[0].get_width() == high - low
    assert unknown[0].get_hatch()
    assert "company/c" not in {b.get_gid().removeprefix("share:") for b in bars(figure)}
    known = {b.get_gid(): b.get_width() for b in bars(figure) if b.get_gid().startswith("share:")}
    assert known == {"share:company/a": 0.04, "share:company/b": 0.9}
    labels = [t.get_text() for t in axes.texts]
    assert any(t.startswith("share unknown") for t in labels)
    assert not any("?" in t for t in labels)


def test_euv_light_source_of_unknown_share_reads_share_unknown(reference_db: Path) -> None:
    with EmbeddedStore(reference_db) as ref:
        rows = plotdata.chokepoints(ref, "product/euv-lithography-system", "2025-01-01", None)
    unknown_rows = [r for r in rows if any(p.share is None for p in r.providers)]
    assert unknown_rows, "the reference data has an EUV input of unknown share"
    figure = plots.chokepoints_figure("EUV", rows)
    [axes] = figure.axes
    full = [b for b in bars(figure) if b.get_gid() == plots.UNKNOWN_GID]
    assert len(full) == len(unknown_rows)
    assert all(b.get_width() == axes.get_xlim()[1] - axes.get_xlim()[0] for b in full)
    names = [p.name for r in unknown_rows for p in r.providers if p.share is None]
    texts = " ".join(t.get_text() for t in axes.texts)
    assert all(name in texts for name in names)
    assert "share unknown" in texts
