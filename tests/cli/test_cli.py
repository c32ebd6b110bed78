"""The CLI end to end, as a user runs it: exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CI": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "db"
    result = run("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


def test_demo_prints_counts_and_deepseek(tmp_path: Path) -> None:
    result = run("demo", "--db", str(tmp_path / "db"))
    assert result.returncode == 0, result.stderr
    assert "Graph contents" in result.stdout
    assert "DeepSeek" in result.stdout
    assert "Try next" in result.stdout


def test_stats_json_matches_store(demo_db: Path) -> None:
    from chipkg.graph import EmbeddedStore

    result = run("stats", "--db", str(demo_db), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == EmbeddedStore(demo_db).counts().to_json()
    assert set(data) == {"nodes", "relationships"}
    assert data["nodes"]["Company"] > 0


def test_demo_twice_changes_no_count(demo_db: Path) -> None:
    before = run("stats", "--db", str(demo_db), "--json").stdout
    assert run("demo", "--db", str(demo_db)).returncode == 0
    assert run("stats", "--db", str(demo_db), "--json").stdout == before


@pytest.mark.parametrize("command", ["demo", "stats", "load", "neo4j"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = run("load", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "nope.jsonl: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_record_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"kind": "entity", "id": "company/a", "label": "Company", "name": "A"}\n'
        '{"kind": "entity", "id": "gizmo/b", "label": "Gizmo", "name": "B"}\n',
        encoding="utf-8",
    )
    result = run("load", str(bad), "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert f"{bad}:2: unknown entity label 'Gizmo'" in result.stderr
    assert not (tmp_path / "db" / "graph.jsonl").exists()  # nothing written


def test_truncated_json_line(tmp_path: Path) -> None:
    bad = tmp_path / "cut.jsonl"
    bad.write_text('{"kind": "entity", "id": "company/a", "label": "Comp', encoding="utf-8")
    result = run("load", str(bad), "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert "cut.jsonl:1: truncated or invalid JSON" in result.stderr


def test_undecodable_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"kind": "entity", "name": "Società"}\n'.encode("latin-1"))
    result = run("load", str(bad), "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert "not valid UTF-8" in result.stderr


def test_db_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = run("stats", "--db", str(tmp_path / "f"))
    assert result.returncode != 0
    assert "is a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = run("--debug", "stats", "--db", str(tmp_path / "f"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_skip_invalid_loads_the_rest(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        '{"kind": "entity", "id": "company/a", "label": "Company", "name": "A"}\n'
        "{broken\n"
        '{"kind": "entity", "id": "company/b", "label": "Company", "name": "B"}\n',
        encoding="utf-8",
    )
    result = run("load", str(mixed), "--skip-invalid", "--db", str(tmp_path / "db"))
    assert result.returncode == 0, result.stderr
    assert "skipped 1 invalid rows" in result.stdout
    stats = json.loads(run("stats", "--db", str(tmp_path / "db"), "--json").stdout)
    assert stats["nodes"] == {"Company": 2}
