"""``chipkg extract`` and ``chipkg load`` on text files, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chipkg.graph import EmbeddedStore

CLAIM_KEYS = {
    "kind",
    "subject",
    "predicate",
    "object",
    "modality",
    "attributed_to",
    "confidence",
    "properties",
    "valid_from",
    "valid_to",
    "evidence",
}
EVIDENCE_KEYS = {"source", "start", "end", "quote", "language", "extractor", "extractor_version"}
ARTICLE = (
    "DeepSeek and its chips\n\n"
    "Si ritiene che la start-up cinese DeepSeek possieda circa 10.000 GPU NVIDIA H800. "
    "Secondo DigiTimes, l'azienda sta valutando lo sviluppo di propri chip.\n"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "1"}
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "deepseek-it.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_jsonl_follows_the_contract(article: Path) -> None:
    result = run("extract", str(article))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    entities = {obj["id"]: obj for obj in lines if obj["kind"] == "entity"}
    claims = [obj for obj in lines if obj["kind"] == "claim"]
    assert entities["source/deepseek-it-txt"]["label"] == "Source"
    assert entities["source/deepseek-it-txt"]["properties"]["language"] == "it"
    assert claims
    for claim in claims:
        assert set(claim) == CLAIM_KEYS
        assert set(claim["evidence"]) == EVIDENCE_KEYS
        assert claim["subject"] in entities and claim["object"] in entities
        assert claim["evidence"]["source"] in entities
        ev = claim["evidence"]
        assert ARTICLE[ev["start"] : ev["end"]] == ev["quote"]
    owns = next(c for c in claims if c["predicate"] == "OWNS")
    assert (owns["subject"], owns["object"], owns["modality"]) == (
        "company/deepseek",
        "product/h800",
        "rumored",
    )
    assert owns["properties"] == {"quantity": 10000, "approximate": True}
    develops = next(c for c in claims if c["predicate"] == "DEVELOPS")
    assert (develops["modality"], develops["attributed_to"]) == ("reported", "DigiTimes")


def test_extract_output_loads_back_as_jsonl(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(run("extract", str(article)).stdout, encoding="utf-8")
    db = tmp_path / "db"
    result = run("load", str(out), "--format", "jsonl", "--db", str(db))
    assert result.returncode == 0, result.stderr
    store = EmbeddedStore(db)
    try:
        (owns,) = store.claims(predicate="OWNS", subject="company/deepseek")
        assert owns.sources == ["source/deepseek-it-txt"]
    finally:
        store.close()


def test_extract_table(article: Path) -> None:
    result = run("extract", str(article), "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "OWNS" in result.stdout and "deepseek-it.txt" in result.stdout


def test_load_text_adds_a_source_node_per_document(article: Path, tmp_path: Path) -> None:
    db = tmp_path / "db"
    result = run("load", str(article), "--db", str(db))
    assert result.returncode == 0, result.stderr
    store = EmbeddedStore(db)
    try:
        source = store.get("source/deepseek-it-txt")
        assert source is not None and source.label == "Source"
        assert source.properties["kind"] == "news"
        assert store.claims(predicate="OWNS", subject="company/deepseek")
    finally:
        store.close()


def test_bad_language_and_bad_bytes_are_one_line_errors(article: Path, tmp_path: Path) -> None:
    result = run("extract", str(article), "--lang", "xx")
    assert result.returncode == 2 and "--lang" in result.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 chips")
    result = run("extract", str(bad))
    assert result.returncode == 2
    assert "bad.txt" in result.stderr and "not valid UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_extract_table_fits_the_terminal_and_wide_shows_whole_quotes(article: Path) -> None:
    env_run = {**os.environ, "CI": "1", "COLUMNS": "80"}
    args = [sys.executable, "-m", "chipkg", "extract", str(article), "--format", "table"]
    narrow = subprocess.run(args, capture_output=True, text=True, env=env_run, timeout=300)
    assert narrow.returncode == 0, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    assert "…" in narrow.stdout  # quotes are cut, not wrapped
    wide = subprocess.run([*args, "--wide"], capture_output=True, text=True, env=env_run)
    assert wide.returncode == 0, wide.stderr
    words = " ".join(wide.stdout.split())
    assert "possieda" in words and "valutando" in words  # whole quotes, folded
