"""The Python API for data people: ``store.to_networkx()``, ``answer.to_dataframe()``, HTML.

Run on both backends through the ``store`` fixture; expectations come from the
viz scenario's records and from the answers themselves, not from hard-coded counts.
"""

from __future__ import annotations

import sys

import networkx as nx
import pytest

import tests.support.viz_scenario as scenario
from chipkg import queries
from chipkg.graph import Store
from chipkg.queries import tables
from chipkg.queries.results import ReachableAnswer


@pytest.fixture
def graph(store: Store) -> Store:
    """The viz scenario in an empty store of each backend."""
    return scenario.build(store)


def test_whole_graph_has_every_entity_and_one_edge_per_claim_with_provenance(graph: Store) -> None:
    g = graph.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    entities = {e.id: e for e in graph.entities()}
    claims = list(graph.claims())
    assert set(g.nodes) == set(entities)
    assert g.number_of_edges() == len(claims)
    for entity in entities.values():
        attrs = g.nodes[entity.id]
        assert (attrs["label"], attrs["name"]) == (entity.label, entity.name)
        assert all(attrs[k] == v for k, v in entity.properties.items())
    for claim in claims:
        edge = g.edges[claim.subject, claim.object, claim.key]
        assert edge["predicate"] == claim.predicate
        assert edge["sources"] == claim.sources
        assert edge["modality"] == claim.modality
        assert edge["confidence"] == claim.confidence
        assert (edge["valid_from"], edge["valid_to"]) == (claim.valid_from, claim.valid_to)
        assert edge["evidence_count"] == len(claim.evidence)
        assert "evidence" not in edge
        assert all(edge[k] == v for k, v in claim.properties.items())


def test_evidence_on_request_keeps_the_quotes(graph: Store) -> None:
    g = graph.to_networkx(evidence=True)
    [(_, _, owns)] = [
        (u, v, d)
        for u, v, d in g.edges(data=True)
        if d["predicate"] == "OWNS" and u == "company/deepseek"
    ]
    assert owns["modality"] == "rumored"
    assert [e["quote"] for e in owns["evidence"]] == [
        "DeepSeek is said to hold about ten thousand H800 boards."
    ]


def named_claims(answer: ReachableAnswer) -> set[str]:
    """The claim keys an answer's witness paths and cut links name (read from the model)."""
    keys = {k for r in answer.reachable for step in r.path for k in step.claims}
    return keys | {k for b in answer.blocked for k in b.link.claims}


def test_an_answer_subgraph_is_exactly_its_paths_and_cut_links(graph: Store) -> None:
    answer = queries.reachable_suppliers(graph, "DeepSeek", on="2024-06-01")
    assert answer.blocked, "the scenario cuts NVIDIA's H800 link on this date"
    g = answer.to_networkx(graph)
    assert {k for _, _, k in g.edges(keys=True)} == named_claims(answer)
    suppliers = {r.supplier.id for r in answer.reachable} | {b.supplier.id for b in answer.blocked}
    assert suppliers | {"company/deepseek"} <= set(g.nodes)
    for cut in answer.blocked:
        for key in cut.link.claims:
            _, subject, obj = key.split("|")[:3]
            edge = g.edges[subject, obj, key]
            assert edge["cut_by"] == [r.id for r in cut.regulations]
            assert edge["cut_reason"] == cut.reason
    uncut = [d for _, _, d in g.edges(data=True) if "cut_by" not in d]
    assert uncut, "reachable paths are in the subgraph too"
    assert g.graph["query"] == "reachable-suppliers" and g.graph["missing_claims"] == []
    from_json = graph.to_networkx(answer=answer.to_json())
    assert nx.utils.edges_equal(from_json.edges(keys=True), g.edges(keys=True))


def test_an_answer_without_claim_keys_gets_the_claims_among_its_entities(graph: Store) -> None:
    answer = queries.chokepoints(graph, "product/h100", on="2025-01-01", for_country="country/cn")
    g = graph.to_networkx(answer)
    named = {i.id for i in answer.inputs} | {
        p.provider.id for c in answer.chokepoints for p in c.providers
    }
    assert named <= set(g.nodes)
    makers = {(u, v) for u, v, d in g.edges(data=True) if d["predicate"] == "MANUFACTURES"}
    assert ("company/asml", "product/euv-tool") in makers
    assert all(u in g.nodes and v in g.nodes for u, v in g.edges())
    inside = set(g.nodes)
    expected = {c.key for c in graph.claims() if c.subject in inside and c.object in inside}
    assert {k for _, _, k in g.edges(keys=True)} == expected


def test_reachable_answer_as_rows_one_per_supplier_with_status_and_path(graph: Store) -> None:
    answer = queries.reachable_suppliers(graph, "DeepSeek", on="2024-06-01")
    frame = answer.to_dataframe()
    assert len(frame) == len(answer.reachable) + len(answer.blocked)
    assert list(frame.columns[:3]) == ["status", "supplier_id", "supplier"]
    reachable = frame[frame.status == "reachable"]
    cut = frame[frame.status == "cut"]
    assert set(reachable.supplier_id) == {r.supplier.id for r in answer.reachable}
    assert set(cut.supplier_id) == {b.supplier.id for b in answer.blocked}
    for row in reachable.itertuples():
        assert row.path.startswith(row.supplier) and row.path.endswith("DeepSeek")
        assert row.regulations == []
    for row in cut.itertuples():
        assert row.regulations and row.reason
    assert frame.tier.min() >= 1


def test_every_canned_answer_has_a_table_with_its_columns_even_when_empty(graph: Store) -> None:
    answers = [
        queries.chokepoints(graph, "product/h100", on="2025-01-01"),
        queries.sanctions_timeline(graph, "Huawei"),
        queries.dossier(graph, "DeepSeek"),
        queries.exposure(graph, "TSMC", on="2024-06-01"),
        queries.conflicts(graph),
    ]
    sizes = {
        "chokepoints": len(answers[0].inputs),
        "sanctions-timeline": len(answers[1].events),
        "dossier": sum(len(g.claims) for g in answers[2].relationships),
        "exposure": len(answers[3].dependents) + len(answers[3].cut_off),
        "conflicts": len(answers[4].conflicts),
    }
    for answer in answers:
        frame = answer.to_dataframe()
        assert len(frame) == sizes[answer.query], answer.query
        assert list(frame.columns[: len(tables.COLUMNS[answer.query])]) == list(
            tables.COLUMNS[answer.query]
        )


def test_to_dataframe_without_pandas_says_how_to_install_it(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = queries.sanctions_timeline(graph, "Huawei")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'chipkg\[pandas\]'"):
        answer.to_dataframe()
    assert answer.rows(), "rows need no pandas"


def test_notebook_html_is_an_escaped_table_of_the_rows(graph: Store) -> None:
    answer = queries.reachable_suppliers(graph, "DeepSeek", on="2024-06-01")
    page = answer._repr_html_()
    assert page.startswith("<table>") and "reachable-suppliers" in page
    assert page.count("<tr>") == 1 + len(answer.rows())
    data = answer.to_json()
    data["reachable"][0]["supplier"]["name"] = "<script>x</script>"
    escaped = tables.to_html(data)
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped


def test_new_fields_and_lists_of_an_answer_still_become_columns_and_rows(graph: Store) -> None:
    data = queries.reachable_suppliers(graph, "DeepSeek", on="2024-06-01").to_json()
    first = data["reachable"][0]
    data["blocked"][0]["still_reachable_via"] = "another item"
    data["licence_required"] = [{**first, "licence": "case_by_case"}]
    data["not_assessed"] = [{"id": "company/x", "name": "X", "label": "Company"}]
    found = tables.rows(data)
    by_status = {r["status"]: r for r in found}
    assert by_status["licence-required"]["supplier_id"] == first["supplier"]["id"]
    assert by_status["licence-required"]["licence"] == "case_by_case"
    assert by_status["not-assessed"]["supplier"] == "X"
    assert [r["still_reachable_via"] for r in found if r["still_reachable_via"]] == ["another item"]
    assert len(found) == len(data["reachable"]) + len(data["blocked"]) + 2
    assert all(list(r) == list(found[0]) for r in found)
