"""The Browser forms of the canned queries run on the reference graph and say what the
canned query says: every query has a table and a graph form, each runs with its own
``:param`` header, the table rows name the same suppliers (dependents) with the same status
as the canned JSON answer, and the graph form draws the witness claims and one virtual
relationship per cut link.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from neo4j.graph import Path as GraphPath

from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.queries.cyphergen import BROWSER_DIR, CYPHER_DIR, browser_forms, stale
from chipkg.queries.neo4j_runner import cypher_text, run_file
from tests.queries.test_queries_differential import header_params
from tests.support.neo4j_reference import load_reference_graph

pytestmark = pytest.mark.neo4j

QUERIES = sorted(p.stem for p in CYPHER_DIR.glob("*.cypher"))
FORMS = [f"{q}.{form}" for q in QUERIES for form in ("table", "graph")]
VIRTUAL = {"CUT", "LICENCE_REQUIRED"}
# what_if.cypher's header asks about a rule that changes nothing on the reference graph: ask one
# that does (a US rule listing TSMC cuts Huawei off from its tier-3+ suppliers).
OVERRIDES = {"what_if": {"target": "company/tsmc", "fdpr": False}}

REACHABLE = [
    {"buyer": b, "on": d, "item": None, "max_hops": 4, "entity_only": False}
    for b in ("company/deepseek", "company/huawei", "company/hisilicon", "company/nvidia")
    for d in ("2020-09-01", "2024-06-01")
]
EXPOSURE = [
    {"entity": e, "on": d, "max_hops": 4, "entity_only": False}
    for e in ("company/smic", "company/asml", "company/tsmc")
    for d in ("2020-09-01", "2024-06-01")
]


@pytest.fixture(scope="module")
def graph(neo4j_session_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """The test Neo4j holding the reference graph, loaded once for the module."""
    yield load_reference_graph(neo4j_session_store)


def form(name: str) -> str:
    """The path name ``run_file`` takes for a Browser form."""
    return f"{BROWSER_DIR.name}/{name}"


def test_every_query_has_both_forms_and_none_is_stale() -> None:
    assert sorted(p.name for p in browser_forms()) == sorted(f"{f}.cypher" for f in FORMS)
    assert [p for p in stale() if p.parent == BROWSER_DIR] == []


@pytest.mark.parametrize("name", FORMS)
def test_form_runs_with_its_header_params(graph: Neo4jStore, name: str) -> None:
    query = name.split(".")[0]
    params = header_params(cypher_text(form(name)))
    assert params == header_params(cypher_text(query))
    params.update(OVERRIDES.get(query, {}))
    rows = run_file(graph, form(name), params)
    assert rows, f"{name} returned no rows with its header params"
    if name.endswith(".graph"):
        assert all(list(row) == ["path"] for row in rows)
        assert all(isinstance(row["path"], GraphPath) for row in rows)


def statuses(answer: dict[str, Any], reached: str, cut: str, who: str) -> dict[str, str]:
    """Status per company as the canned answer implies it: reached wins, then cut (denied)."""
    out = {e[who]["id"]: "reachable" for e in answer[reached]}
    for entry in answer[cut]:
        out.setdefault(entry[who]["id"], "cut")
    for entry in answer["licence_required"]:
        out.setdefault(entry[who]["id"], "licence-required")
    return out


def check_table(
    graph: Neo4jStore, query: str, params: dict[str, Any], keys: tuple[str, ...]
) -> None:
    """The table form has one row per company, with the canned answer's status and tier."""
    reached, cut, who = keys
    [answer] = run_file(graph, query, params)
    rows = run_file(graph, form(f"{query}.table"), params)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"one row per company: {query} {params}"
    assert {r["id"]: r["status"] for r in rows} == statuses(answer, reached, cut, who), params
    tiers = {e[who]["id"]: e["hops"] for e in answer[reached]}
    assert {r["id"]: r["tier"] for r in rows if r["status"] == "reachable"} == tiers, params
    assert all(r["path"] and r["name"] for r in rows), params


@pytest.mark.parametrize("params", REACHABLE, ids=lambda p: f"{p['buyer']}@{p['on']}")
def test_reachable_table_agrees_with_the_canned_answer(
    graph: Neo4jStore, params: dict[str, Any]
) -> None:
    check_table(graph, "reachable_suppliers", params, ("reachable", "blocked", "supplier"))


@pytest.mark.parametrize("params", EXPOSURE, ids=lambda p: f"{p['entity']}@{p['on']}")
def test_exposure_table_agrees_with_the_canned_answer(
    graph: Neo4jStore, params: dict[str, Any]
) -> None:
    check_table(graph, "exposure", params, ("dependents", "cut_off", "customer"))


def drawn(rows: list[dict[str, Any]]) -> tuple[set[str], list[Any]]:
    """The claim keys of the real relationships drawn, and the virtual relationships."""
    rels = [r for row in rows for r in row["path"].relationships]
    real = {r["key"] for r in rels if r.type not in VIRTUAL}
    return real, [r for r in rels if r.type in VIRTUAL]


@pytest.mark.parametrize(
    ("query", "params", "cut"),
    [
        *[("reachable_suppliers", p, "blocked") for p in REACHABLE],
        *[("exposure", p, "cut_off") for p in EXPOSURE],
    ],
)
def test_graph_form_draws_the_witness_and_the_cut_links(
    graph: Neo4jStore, query: str, params: dict[str, Any], cut: str
) -> None:
    [answer] = run_file(graph, query, params)
    real, virtual = drawn(run_file(graph, form(f"{query}.graph"), params))
    assert real == {k for step in answer["steps"].values() for k in step["claims"]}, params
    want = sorted(
        (
            kind,
            e["link"]["supplier"]["id"],
            e["link"]["customer"]["id"],
            e["item"] or "",
            ", ".join(r["id"] for r in e["regulations"]),
            e["reason"],
        )
        for kind, key in (("CUT", cut), ("LICENCE_REQUIRED", "licence_required"))
        for e in answer[key]
    )
    got = sorted(
        (v.type, v.start_node["id"], v.end_node["id"], v["item"], v["regulation"], v["reason"])
        for v in virtual
    )
    assert got == want, params
