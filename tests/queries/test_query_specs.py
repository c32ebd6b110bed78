"""One QuerySpec per canned query: the CLI, the Cypher files and the stores all read it."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from chipkg.cli.ask_cmd import ask, query_kwargs
from chipkg.errors import InputError
from chipkg.graph import EmbeddedStore, Store
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.queries import QUERIES, dossier, reachable_suppliers
from chipkg.queries.chokepoints import ChokepointsParams
from chipkg.queries.neo4j_runner import CYPHER_DIR
from chipkg.queries.reachable_suppliers import ReachableParams
from chipkg.queries.spec import QuerySpec, shown
from tests.support.graphs import embedded, story
from tests.support.paths import ROOT

MODULES = {
    "reachable-suppliers": "reachable_suppliers",
    "exposure": "exposure",
    "chokepoints": "chokepoints",
    "alternatives": "alternatives",
    "dossier": "dossier",
    "sanctions-timeline": "sanctions_timeline",
    "what-if": "what_if",
    "conflicts": "conflicts",
}


def test_every_query_has_its_spec_in_the_module_named_after_it() -> None:
    assert list(QUERIES) == list(MODULES)
    for name, spec in QUERIES.items():
        assert spec.name == name
        assert spec.prepare.__module__ == f"chipkg.queries.{MODULES[name]}"
        assert spec.cypher == MODULES[name]
        assert (CYPHER_DIR / f"{spec.cypher}.cypher").is_file()


@pytest.mark.parametrize("name", list(MODULES))
def test_the_cypher_file_takes_exactly_the_spec_parameters(name: str) -> None:
    spec = QUERIES[name]
    text = (CYPHER_DIR / f"{spec.cypher}.cypher").read_text(encoding="utf-8")
    browser = set(re.findall(r"^// :param (\w+) =>", text, re.M))
    used = set(re.findall(r"\$(\w+)", re.sub(r"^//.*$", "", text, flags=re.M)))
    fields = {f.name for f in dataclasses.fields(spec.params)}
    assert browser == fields
    assert used == fields


def test_the_cli_offers_exactly_the_options_of_the_specs() -> None:
    cli_only = {"list_queries", "as_json", "db", "neo4j", "store", "name", "args"}
    declared = set(ask.__annotations__) - {"return"} - cli_only
    assert declared == {o.name for spec in QUERIES.values() for o in spec.options}


def test_usage_is_derived_from_arguments_and_options() -> None:
    assert QUERIES["reachable-suppliers"].usage == (
        "BUYER [--on DATE] [--item ITEM] [--max-hops N] [--entity-only]"
    )
    assert QUERIES["what-if"].usage.startswith("BUYER --target ENTITY|COUNTRY [--restrict ITEM]")
    assert QUERIES["conflicts"].arity == (0, 1)
    assert QUERIES["alternatives"].arity == (2, 2)


def test_query_kwargs_checks_arity_options_and_required_options() -> None:
    none: dict[str, Any] = {"on": None, "fdpr": False, "target": None, "item": None}
    with pytest.raises(InputError, match=r"takes 2 argument\(s\): BUYER ITEM \[--on DATE\]"):
        query_kwargs("alternatives", ["a"], none)
    with pytest.raises(InputError, match="--item does not apply to exposure"):
        query_kwargs("exposure", ["a"], {**none, "item": "x"})
    with pytest.raises(InputError, match=r"what-if needs --target ENTITY\|COUNTRY$"):
        query_kwargs("what-if", ["a"], none)
    assert query_kwargs("what-if", ["a"], {**none, "target": "t", "fdpr": True}) == {
        "target": "t",
        "fdpr": True,
    }


def test_params_validate_themselves() -> None:
    with pytest.raises(InputError, match="--max-hops must be between 0 and 12, got 13"):
        ReachableParams(buyer="company/x", max_hops=13)
    with pytest.raises(InputError, match=r"--threshold must be in \(0, 1\], got 0"):
        ChokepointsParams(product="product/x", threshold=0)
    with pytest.raises(InputError, match="--on must be a date"):
        ReachableParams(buyer="company/x", on="2024-13")
    params = ReachableParams(buyer="company/x", on="2024")
    assert params.on == "2024-01-01"
    assert "entity_only" not in shown(params)
    assert shown(dataclasses.replace(params, entity_only=True))["entity_only"] is True


def test_the_generic_row_conversion_rebuilds_the_python_answers(tmp_path: Path) -> None:
    """A row in the answer's own shape (every query without ``via`` chains) gives the same JSON."""
    store = embedded(story(), tmp_path)
    asked: dict[str, tuple[Any, ...]] = {
        "chokepoints": ("product/npu", "2024-06-01", "country/cn"),
        "alternatives": ("company/buyer", "product/gpu-x-cn", "2024-06-01"),
        "sanctions-timeline": ("company/designer", "2024-06-01"),
        "what-if": ("company/buyer", "company/foundry-tw", None, "2024-06-01"),
        "conflicts": (),
    }
    for name, args in asked.items():
        spec: QuerySpec[Any, Any] = QUERIES[name]
        params = spec.prepare(store, *args)
        answer = spec.python(store, params)
        row = {k: v for k, v in answer.to_json().items() if k != "params"}
        assert spec.from_row(row, params).to_json() == answer.to_json(), name


class Recording(EmbeddedStore):
    """An embedded store that records which specs it was asked to answer."""

    asked: list[str]

    def answer(self, spec: QuerySpec[Any, Any], params: Any) -> Any:
        self.asked = [*getattr(self, "asked", []), spec.name]
        return super().answer(spec, params)


def test_the_python_helpers_ask_the_store(tmp_path: Path) -> None:
    store = Recording(tmp_path / "db")
    story().write(store)
    found = reachable_suppliers(store, "company/buyer", on="2024-06-01")
    dossier(store, "company/buyer")
    assert store.asked == ["reachable-suppliers", "dossier"]
    assert found.params["buyer"] == "company/buyer"
    assert store.view() is store.view()
    assert isinstance(store.revision, int)


def test_neo4j_answers_with_its_cypher_and_keeps_no_revision() -> None:
    assert Neo4jStore.answer is not Store.answer
    assert Neo4jStore.revision is Store.revision


def _backend_tests(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "backend" for s in sides):
                lines.append(node.lineno)
    return lines


def test_no_backend_name_test_outside_the_stores() -> None:
    """Dispatch on the backend happens by method override (Store.answer, Store.view) only."""
    package = ROOT / "chipkg"
    found = {
        str(p.relative_to(ROOT)): lines
        for p in sorted(package.rglob("*.py"))
        if package / "graph" not in p.parents and (lines := _backend_tests(p))
    }
    assert found == {}


def test_the_backend_check_finds_a_comparison(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f(store):\n    return store.backend == 'neo4j'\n", encoding="utf-8")
    assert _backend_tests(probe) == [2]
