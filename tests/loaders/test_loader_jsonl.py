"""chipkg's own JSON lines: a ``chipkg synth -o DIR`` directory loads without --format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipkg.errors import InputError
from chipkg.graph import EmbeddedStore
from chipkg.loaders.base import detect_format, load_path
from chipkg.loaders.resolver import Resolver
from chipkg.synth import generate
from chipkg.synth.output import write_dir
from tests.support.load_helpers import run_load


def _synth(out: Path, links: int = 400) -> dict[str, object]:
    write_dir(generate(links, seed=5), out, {"links": links, "seed": 5}, lambda n: None)
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text())
    return manifest


def test_synth_directory_is_detected_as_jsonl(tmp_path: Path) -> None:
    _synth(tmp_path / "synth")
    assert detect_format(tmp_path / "synth") == "jsonl"
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "entities.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the format"):
        detect_format(tmp_path / "half")


def test_synth_directory_loads_entities_before_claims(tmp_path: Path) -> None:
    manifest = _synth(tmp_path / "synth")
    result = load_path(tmp_path / "synth", Resolver())
    assert len(result.entities) == manifest["entities"]
    assert len(result.claims) == manifest["claims"]


def test_cli_loads_a_synth_directory_without_format(tmp_path: Path) -> None:
    manifest = _synth(tmp_path / "synth")
    db = tmp_path / "db"
    out = run_load("--db", str(db), str(tmp_path / "synth"))
    assert out.returncode == 0, out.stderr
    store = EmbeddedStore(db)
    try:
        counts = store.counts().to_json()
    finally:
        store.close()
    assert counts["nodes"] == manifest["nodes"]
    assert counts["relationships"] == manifest["relationships"]


def test_bad_line_in_a_synth_directory_names_file_and_line(tmp_path: Path) -> None:
    _synth(tmp_path / "synth")
    claims = tmp_path / "synth" / "claims.jsonl"
    lines = claims.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:20]
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run_load("--db", str(tmp_path / "db"), str(tmp_path / "synth"))
    assert out.returncode == 2
    assert "claims.jsonl:3: truncated or invalid JSON" in out.stderr + out.stdout
