"""The neighbourhood view, its regulation cuts, the HTML it renders and ``chipkg viz``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tests.support.viz_scenario as scenario
from chipkg.cli import app
from chipkg.errors import InputError, NotFoundError
from chipkg.graph import EmbeddedStore, Store
from chipkg.viz.graph import find_entity, neighbourhood
from chipkg.viz.html import page_data, render, vis_network_files
from chipkg.viz.style import CUT_COLOUR, edge_style

NVIDIA_H800 = "SUPPLIES|company/nvidia|company/deepseek|item=product/h800"
HUAWEI_ASCEND = "SUPPLIES|company/huawei|company/deepseek|item=product/ascend-910b"


@pytest.fixture
def graph(store: Store) -> Store:
    """The viz scenario in an empty store of each backend."""
    return scenario.build(store)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The scenario persisted as an embedded store directory, for the CLI."""
    path = tmp_path / "db"
    scenario.build(EmbeddedStore(path)).close()
    return path


def test_one_hop_holds_the_entity_and_exactly_its_direct_neighbours(graph: Store) -> None:
    view = neighbourhood(graph, "company/deepseek", hops=1)
    touching = [c for c in scenario.claims() if "company/deepseek" in (c.subject, c.object)]
    expected = {c.subject for c in touching} | {c.object for c in touching}
    assert set(view.nodes) == expected
    assert {c.key for c in touching} <= set(view.edges)
    assert view.nodes["company/deepseek"].focus


def test_two_hops_reach_the_rule_through_the_restricted_product(graph: Store) -> None:
    one = neighbourhood(graph, "company/deepseek", hops=1)
    two = neighbourhood(graph, "company/deepseek", hops=2)
    assert scenario.RULE not in one.nodes
    assert scenario.RULE in two.nodes
    assert set(one.nodes) < set(two.nodes)
    for edge in two.edges.values():
        assert edge.source in two.nodes and edge.target in two.nodes


def test_a_country_is_not_expanded_into_all_its_companies(graph: Store) -> None:
    assert "company/bystander" not in neighbourhood(graph, "company/deepseek", hops=3).nodes
    assert "company/bystander" in neighbourhood(graph, "country/cn", hops=1).nodes


def test_a_link_is_cut_only_once_the_rule_is_in_force(graph: Store) -> None:
    before = neighbourhood(graph, "company/deepseek", hops=1, on="2023-06-01")
    after = neighbourhood(graph, "company/deepseek", hops=1, on="2024-06-01")
    assert before.edges[NVIDIA_H800].cuts == []
    [cut] = after.edges[NVIDIA_H800].cuts
    assert cut.regulation == scenario.RULE
    assert "item product/h800 restricted" in cut.reason and "country/cn" in cut.reason
    assert after.edges[HUAWEI_ASCEND].cuts == []


def test_the_foreign_direct_product_rule_reaches_a_supplier_abroad(graph: Store) -> None:
    view = neighbourhood(graph, "company/huawei", hops=1, on="2021-01-01")
    tsmc = "SUPPLIES|company/tsmc|company/huawei|item=product/ascend-910b"
    [cut] = view.edges[tsmc].cuts
    assert cut.regulation == scenario.LISTING
    assert "foreign direct product rule" in cut.reason


def test_links_outside_their_validity_are_left_out(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    claims = scenario.claims()
    h800 = {"item": "product/h800"}
    claims[0] = scenario.claim(
        "company/nvidia",
        "SUPPLIES",
        "company/deepseek",
        "source/viz-a",
        properties=h800,
        valid_to="2023-10-17",
    )
    assert claims[0].key == NVIDIA_H800
    store.write(scenario.entities(), claims)
    assert NVIDIA_H800 in neighbourhood(store, "company/deepseek", 1, on="2023-01-01").edges
    assert NVIDIA_H800 not in neighbourhood(store, "company/deepseek", 1, on="2024-01-01").edges
    assert NVIDIA_H800 in neighbourhood(store, "company/deepseek", 1).edges


def test_edges_keep_modality_sources_and_quotes(graph: Store) -> None:
    view = neighbourhood(graph, "company/deepseek", hops=1)
    owns = view.edges["OWNS|company/deepseek|product/h800"]
    assert owns.modality == "rumored"
    assert owns.sources == ["source/viz-b"]
    assert owns.quotes and "ten thousand" in owns.quotes[0][1]
    assert view.names["source/viz-b"] == "Viz test note B"
    assert view.urls["source/viz-a"] == "https://example.org/a"


def test_find_entity_by_id_name_alias_and_with_suggestions(graph: Store) -> None:
    assert find_entity(graph, "company/deepseek").name == "DeepSeek"
    assert find_entity(graph, "deepseek").id == "company/deepseek"
    assert find_entity(graph, "China", "Country").id == "country/cn"
    with pytest.raises(NotFoundError, match=r"did you mean: DeepSeek \(company/deepseek\)"):
        find_entity(graph, "Deepsek")


def test_bad_hops_and_dates_are_input_errors(graph: Store) -> None:
    with pytest.raises(InputError, match="--hops"):
        neighbourhood(graph, "company/deepseek", hops=0)
    with pytest.raises(InputError, match="--on"):
        neighbourhood(graph, "company/deepseek", on="June 2024")


def test_page_data_draws_cut_links_red_and_dashed_with_the_regulation(graph: Store) -> None:
    data = page_data(neighbourhood(graph, "company/deepseek", hops=1, on="2024-06-01"))
    edges = {e["id"]: e for e in data["edges"]}
    cut, kept = edges[NVIDIA_H800], edges[HUAWEI_ASCEND]
    assert cut["dashes"] and cut["color"]["color"] == CUT_COLOUR
    assert "Test chip rule 2023" in cut["title"]
    assert cut["chipkg"]["cuts"][0]["regulation"] == scenario.RULE
    assert kept["dashes"] is False and kept["color"]["color"] == edge_style("SUPPLIES").colour
    assert "modality: reported" in kept["title"] and "Viz test note B" in kept["title"]
    assert {e["name"] for e in data["legend"]["types"]} == {
        e["chipkg"]["type"] for e in edges.values()
    }


def test_the_page_is_self_contained(graph: Store) -> None:
    page = render(neighbourhood(graph, "company/deepseek", hops=2))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.IGNORECASE)
    assert "@import" not in page and "@@CHIPKG_" not in page
    script, css = vis_network_files()
    assert script.read_text(encoding="utf-8")[:2000] in page
    assert css.read_text(encoding="utf-8")[:500] in page
    data = re.search(r'<script type="application/json" id="chipkg-data">(.*?)</script>', page, re.S)
    assert data is not None
    ids = {n["id"] for n in json.loads(data.group(1))["nodes"]}
    assert "company/deepseek" in ids and scenario.RULE in ids


def test_text_from_the_graph_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    entities = scenario.entities()
    entities[0] = entities[0].model_copy(update={"name": "</script><b>x</b>"})
    store.write(entities, scenario.claims())
    page = render(neighbourhood(store, "company/deepseek", hops=1))
    assert "</script><b>" not in page


def test_cli_writes_the_page_and_reports_counts(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    args = ["viz", "DeepSeek", "--db", str(db), "--on", "2024-06-01", "--hops", "1", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 cut" in result.output
    assert "company/nvidia" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["Deepsek", "-o", "x.html"], "did you mean"),
        (["DeepSeek", "-o", "x.png"], "HTML page"),
        (["DeepSeek", "-o", "x.html", "--query", "nope"], "--query must be one of"),
        (["DeepSeek", "-o", "x.html", "--on", "yesterday"], "--on must be a date"),
    ],
)
def test_cli_errors_are_one_line_and_write_nothing(
    db: Path, tmp_path: Path, extra: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["viz", "--db", str(db), *extra])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and message in str(result.exception)
    assert not list(tmp_path.glob("x.*"))


def page_json(path: Path) -> dict[str, object]:
    """The data a rendered page embeds."""
    page = path.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="chipkg-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


@pytest.mark.neo4j
def test_cli_draws_the_same_page_from_neo4j(
    neo4j_store: Store, neo4j_env: dict[str, str], db: Path, tmp_path: Path
) -> None:
    scenario.build(neo4j_store)
    pages = {}
    for name, where in (("embedded", ["--db", str(db)]), ("neo4j", ["--neo4j"])):
        out = tmp_path / f"{name}.html"
        args = ["viz", "DeepSeek", "--on", "2024-06-01", *where, "-o", str(out)]
        result = CliRunner().invoke(app, args, env=neo4j_env)
        assert result.exit_code == 0, result.output
        pages[name] = page_json(out)
    assert pages["embedded"] == pages["neo4j"]
