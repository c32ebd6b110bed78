"""``chipkg viz --query reachable-suppliers``: the canned query's answer as a picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tests.support.viz_scenario as scenario
from chipkg.cli import app
from chipkg.graph import EmbeddedStore, Store
from chipkg.queries import reachable_suppliers
from chipkg.viz.answers import answer_view, reachable_suppliers_view
from chipkg.viz.html import page_data

NVIDIA_CUT = "cut|company/nvidia|company/deepseek|product/h800"
HUAWEI_PATH = "path|company/huawei|company/deepseek"
TSMC_CUT = "cut|company/tsmc|company/huawei|product/ascend-910b"


@pytest.fixture
def graph(store: Store) -> Store:
    """The viz scenario in an empty store of each backend."""
    return scenario.build(store)


def answer_ids(answer: dict[str, Any]) -> set[str]:
    """Every entity the answer names: buyer, suppliers, path and link ends."""
    ids = {answer["buyer"]["id"]}
    for found in answer["reachable"]:
        ids.add(found["supplier"]["id"])
        ids |= {s[end]["id"] for s in found["path"] for end in ("supplier", "customer")}
    for cut in answer["blocked"]:
        ids |= {cut["supplier"]["id"], cut["link"]["customer"]["id"]}
    return ids


def test_the_picture_holds_every_entity_of_the_answer(graph: Store) -> None:
    answer = reachable_suppliers(graph, "company/deepseek", on="2024-06-01").to_json()
    view = answer_view(graph, answer)
    assert set(view.nodes) == answer_ids(answer)
    assert view.nodes["company/deepseek"].focus
    assert view.nodes["company/huawei"].note == "reachable at tier 1"
    assert view.nodes["company/tsmc"].note == "cut off at tier 2"


def test_cut_links_carry_the_regulation_and_reason_of_the_answer(graph: Store) -> None:
    view = reachable_suppliers_view(graph, "company/deepseek", "2024-06-01")
    [nvidia] = view.edges[NVIDIA_CUT].cuts
    assert nvidia.regulation == scenario.RULE and "product/h800 restricted" in nvidia.reason
    [tsmc] = view.edges[TSMC_CUT].cuts
    assert tsmc.regulation == scenario.LISTING and "foreign direct product rule" in tsmc.reason
    path = view.edges[HUAWEI_PATH]
    assert path.cuts == [] and path.modality == "reported" and path.sources == ["source/viz-b"]
    assert path.properties == {"items": "Ascend 910B"}


def test_before_the_rule_nvidia_is_reachable(graph: Store) -> None:
    view = reachable_suppliers_view(graph, "company/deepseek", "2023-06-01")
    assert "path|company/nvidia|company/deepseek" in view.edges
    assert NVIDIA_CUT not in view.edges
    data = page_data(view)
    assert not [
        e for e in data["edges"] if e["chipkg"]["source"]["id"] == "company/nvidia" and e["dashes"]
    ]


def test_cli_draws_the_query(tmp_path: Path) -> None:
    db = tmp_path / "db"
    scenario.build(EmbeddedStore(db)).close()
    out = tmp_path / "reach.html"
    args = ["viz", "DeepSeek", "--query", "reachable-suppliers", "--on", "2024-06-01"]
    result = CliRunner().invoke(app, [*args, "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 cut" in result.output
    assert "reachable suppliers on 2024-06-01" in out.read_text(encoding="utf-8")
