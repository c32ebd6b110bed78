"""Golden answers: the Python engine and the Cypher files against ``tests/golden/``.

Each case of ``tests/golden/cases.yaml`` is answered on the reference graph and compared
with its stored JSON (what ``chipkg ask ... --json`` prints). A mismatch names the keys
and list entries that differ and the command that regenerates the files; see
:mod:`tests.support.golden`. The embedded test runs in ``make unit``, without a server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipkg import queries
from chipkg.cli import app
from chipkg.errors import InputError
from chipkg.graph import EmbeddedStore, Store
from chipkg.graph.neo4j_store import Neo4jStore
from tests.support.answer_key_runner import load_questions
from tests.support.golden import (
    REGENERATE,
    Case,
    answer_text,
    cli_args,
    duplicate_ids,
    json_diff,
    load_cases,
    load_into,
    mismatch_report,
    orphans,
    stored_text,
)

CASES = [pytest.param(case, id=case.id) for case in load_cases()]

#: Queries that take no options: an answer-key question's options (a date for its own
#: checks) do not enter the case.
NO_OPTIONS = {"dossier", "conflicts"}


@pytest.fixture(scope="module")
def ref_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("golden") / "db"
    load_into(EmbeddedStore(db)).close()
    return db


@pytest.fixture(scope="module")
def embedded_ref(ref_db: Path) -> Iterator[Store]:
    store = EmbeddedStore(ref_db)
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j_ref(neo4j_session_store: Neo4jStore) -> Iterator[Store]:
    neo4j_session_store.clear()
    yield load_into(neo4j_session_store)
    neo4j_session_store.clear()


@pytest.mark.parametrize("case", CASES)
def test_python_answer_matches_golden(case: Case, embedded_ref: Store) -> None:
    """The embedded store's answer is the file, to the letter (the files are written from it)."""
    expected, actual = stored_text(case), answer_text(embedded_ref, case)
    if expected != actual:
        pytest.fail(mismatch_report(case, expected, actual), pytrace=False)


@pytest.mark.neo4j
@pytest.mark.parametrize("case", CASES)
def test_cypher_answer_matches_golden(case: Case, neo4j_ref: Store) -> None:
    """The Cypher answer is the same JSON value; the order of keys inside an entity's
    ``properties`` is Neo4j's own, so the text is not compared."""
    expected, actual = stored_text(case), answer_text(neo4j_ref, case)
    if expected is None or json.loads(expected) != json.loads(actual):
        pytest.fail(mismatch_report(case, expected, actual), pytrace=False)


def test_case_ids_are_unique_and_every_file_has_its_case() -> None:
    cases = load_cases()
    assert duplicate_ids(cases) == []
    assert orphans(cases) == [], f"golden files without a case; run {REGENERATE}"


def test_every_canned_query_has_cases() -> None:
    assert {c.query for c in load_cases()} == set(queries.QUERIES)


def test_every_answer_key_question_is_a_case(embedded_ref: Store) -> None:
    """So a change to any answer the key checks shows up as a golden diff."""
    cases = load_cases()
    missing = []
    for q in load_questions():
        if any(embedded_ref.get(n) is None for n in q.needs):
            continue  # skipped by the answer key too, until the reference data has it
        options = {} if q.query in NO_OPTIONS else q.options
        if not any(
            c.query == q.query
            and c.args == q.args
            and {k: v for k, v in c.options.items() if k in options or k != "on"} == options
            for c in cases
        ):
            missing.append(f"{q.file}:{q.id}")
    assert missing == [], "answer-key questions with no golden case in cases.yaml"


@pytest.mark.parametrize("query", sorted({c.query for c in load_cases()}))
def test_cli_json_prints_the_golden_text(query: str, ref_db: Path) -> None:
    """The files hold exactly what ``chipkg ask ... --json`` prints (one case per query)."""
    case = next(c for c in load_cases() if c.query == query)
    result = CliRunner().invoke(app, ["ask", *cli_args(case), "--json", "--db", str(ref_db)])
    assert result.exit_code == 0, result.output
    assert result.stdout == stored_text(case), mismatch_report(
        case, stored_text(case), result.stdout
    )


def test_diff_names_changed_keys_and_list_entries() -> None:
    want = {"a": 1, "rows": [{"id": "x", "n": 1}, {"id": "y", "n": 2}], "gone": True}
    got = {"a": 2, "rows": [{"id": "x", "n": 1}, {"id": "y", "n": 3}], "new": None}
    assert json_diff(want, got) == [
        "$.gone: missing (expected true)",
        "$.new: unexpected null",
        "$.a: expected 1, found 2",
        "$.rows[1].n: expected 2, found 3",
    ]
    assert json_diff([1, 2, 3], [3, 2, 1]) == ["$: same entries in another order"]
    assert json_diff([1, 2], [1, 2, 4, 5]) == ["$: 2 entries expected, 4 found", "  + 4", "  + 5"]


def test_mismatch_report_says_how_to_regenerate() -> None:
    case = Case(id="x", query="conflicts", args=[])
    report = mismatch_report(case, json.dumps({"conflicts": []}), json.dumps({"conflicts": [1]}))
    assert "$.conflicts: 0 entries expected, 1 found" in report
    assert "python -m tests.support.golden --write" in report
    assert "no golden file" in mismatch_report(case, None, "{}")


def test_a_bad_case_is_a_one_line_input_error(embedded_ref: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="case nobody: no entity named 'company/nobody'"):
        answer_text(embedded_ref, Case(id="nobody", query="dossier", args=["company/nobody"]))
    with pytest.raises(InputError, match="unknown query"):
        answer_text(embedded_ref, Case(id="q", query="no-such-query", args=[]))
    broken = tmp_path / "cases.yaml"
    broken.write_text("- id: no-query\n", encoding="utf-8")
    with pytest.raises(InputError, match="case 1 needs at least an id and a query"):
        load_cases(broken)
