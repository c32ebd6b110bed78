"""``chipkg ask`` end to end, as a user runs it: tables, JSON, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chipkg.graph import EmbeddedStore
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.queries.neo4j_runner import CYPHER_DIR


def ask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipkg", "ask", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1", "COLUMNS": "200", **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def ref_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("ask") / "db"
    loaded = load_reference(REFERENCE_DIR, Resolver())
    EmbeddedStore(db).write(loaded.entities, loaded.claims)
    return str(db)


def test_list_names_every_query_and_its_cypher_file() -> None:
    result = ask("--list")
    assert result.returncode == 0, result.stderr
    for name in ("reachable-suppliers", "exposure", "chokepoints", "alternatives", "dossier",
                 "sanctions-timeline", "what-if", "conflicts"):  # fmt: skip
        assert name in result.stdout
    assert "reachable_suppliers.cypher" in result.stdout


def test_json_shape_of_reachable_suppliers(ref_db: str) -> None:
    result = ask("reachable-suppliers", "Nvidia", "--on", "2024-06-01", "--json", "--db", ref_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "reachable-suppliers"
    assert data["params"] == {"buyer": "company/nvidia", "on": "2024-06-01", "item": None,
                              "max_hops": 4}  # fmt: skip
    assert data["buyer"] == {"id": "company/nvidia", "name": "NVIDIA", "label": "Company"}
    first = data["reachable"][0]
    assert set(first) == {"supplier", "hops", "path", "items", "cut_items", "sources"}
    assert set(first["supplier"]) == {"id", "name", "label"}
    assert set(first["path"][0]) == {
        "supplier",
        "customer",
        "items",
        "sources",
        "derived",
        "claims",
    }


def test_table_names_the_cut_and_its_reason(ref_db: str) -> None:
    result = ask("reachable-suppliers", "DeepSeek", "--on", "2024-06-01", "--db", ref_db)
    assert result.returncode == 0, result.stderr
    assert "Suppliers DeepSeek can reach on 2024-06-01" in result.stdout
    assert "regulation/us-advanced-computing-2023" in result.stdout
    assert "Huawei" in result.stdout


def test_unknown_name_is_one_line_with_suggestions(ref_db: str) -> None:
    result = ask("reachable-suppliers", "DeepSeak", "--db", ref_db)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DeepSeak" in lines[0] and "did you mean DeepSeek (company/deepseek)" in lines[0]


def test_option_that_does_not_apply_is_rejected(ref_db: str) -> None:
    result = ask("dossier", "SMIC", "--on", "2024-01-01", "--db", ref_db)
    assert result.returncode == 2
    assert "--on does not apply to dossier" in result.stderr


def test_wrong_number_of_arguments(ref_db: str) -> None:
    result = ask("alternatives", "DeepSeek", "--db", ref_db)
    assert result.returncode == 2
    assert "alternatives takes 2 argument(s)" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["exposure", "SMIC", "--on", "2024-06-01"],
        ["chokepoints", "product/euv-lithography-system", "--for-country", "China"],
        ["alternatives", "DeepSeek", "H800", "--on", "2024-06-01"],
        ["dossier", "DeepSeek"],
        ["sanctions-timeline", "SMIC"],
        ["what-if", "Huawei", "--target", "SMIC", "--fdpr", "--on", "2024-06-01"],
        ["conflicts"],
    ],
)
def test_every_query_prints_a_table(ref_db: str, args: list[str]) -> None:
    result = ask(*args, "--db", ref_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_every_query_has_a_browser_ready_cypher_file() -> None:
    from chipkg.queries import QUERIES

    for spec in QUERIES.values():
        text = (CYPHER_DIR / f"{spec.cypher}.cypher").read_text(encoding="utf-8")
        used = {word.split("$", 1)[1] for word in _params(text)}
        declared = {line.split()[2] for line in text.splitlines() if line.startswith("// :param ")}
        assert used == declared, f"{spec.cypher}.cypher: :param lines must cover {used}"


def _params(text: str) -> set[str]:
    import re

    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return {"$" + m for m in re.findall(r"\$([a-z_]+)", code)}


def test_shared_fragments_are_identical_in_every_file() -> None:
    fragments: dict[str, set[str]] = {}
    for path in sorted(Path(CYPHER_DIR).glob("*.cypher")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip().startswith("// -- shared: "):
                name = line.strip()[len("// -- shared: ") :].rstrip(" -")
                end = next(j for j in range(i, len(lines)) if f"end shared: {name}" in lines[j])
                block = "\n".join(x.strip() for x in lines[i:end])
                fragments.setdefault(name, set()).add(block)
    assert {"regulations in force", "cut rule", "supply links into c"} <= set(fragments)
    for name, variants in fragments.items():
        assert len(variants) == 1, f"the shared fragment {name!r} differs between files"


@pytest.mark.neo4j
def test_neo4j_answers_the_same_json(
    ref_db: str, neo4j_store: Any, neo4j_env: dict[str, str]
) -> None:
    loaded = load_reference(REFERENCE_DIR, Resolver())
    neo4j_store.write(loaded.entities, loaded.claims)
    args = ("reachable-suppliers", "DeepSeek", "--on", "2024-06-01", "--json")
    on_neo4j = ask(*args, "--neo4j", env=neo4j_env)
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    embedded = ask(*args, "--db", ref_db)
    assert json.loads(on_neo4j.stdout) == json.loads(embedded.stdout)


def test_cypher_files_are_generated_from_the_fragments() -> None:
    from chipkg.queries.cyphergen import stale

    assert stale() == [], "run: python -m chipkg.queries.cyphergen"
