"""chipkg JSON lines streamed in batches give the graph of one write, or nothing at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chipkg.cli.bulk_load import write_result
from chipkg.errors import OntologyError
from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.jsonl import load_jsonl
from chipkg.loaders.resolver import Resolver
from chipkg.synth import generate
from chipkg.synth.output import write_dir
from tests.support.load_helpers import run_load


def graph(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every entity and claim, as comparable dicts, in id and key order."""
    return (
        sorted((e.model_dump() for e in store.entities()), key=lambda e: e["id"]),
        sorted((c.model_dump() for c in store.claims()), key=json.dumps),
    )


def synth_dir(out: Path, links: int = 300) -> Path:
    """A ``chipkg synth`` directory, with one company's line repeated under a new alias."""
    write_dir(generate(links, seed=9), out, {"links": links, "seed": 9}, lambda n: None)
    entities = out / "entities.jsonl"
    lines = entities.read_text(encoding="utf-8").splitlines()
    company = next(json.loads(line) for line in lines if '"Company"' in line)
    company["aliases"] = [*company.get("aliases", []), "Repeated Alias Ltd"]
    entities.write_text("\n".join([*lines, json.dumps(company)]) + "\n", encoding="utf-8")
    return out


def test_streamed_records_wait_on_disk_and_equal_those_held(tmp_path: Path) -> None:
    data = synth_dir(tmp_path / "synth")
    held = load_jsonl(data, Resolver())
    parked = load_jsonl(data, Resolver(), streamed=True)
    try:
        assert parked.entities == [] and parked.claims == []
        assert parked.claim_count == len(held.claims) > 0
        assert [c.model_dump() for c in parked.all_claims()] == [
            c.model_dump() for c in held.claims
        ]
        last = {e.id: e for e in held.entities}  # the latest merge of each id
        assert {e.id: e for e in parked.all_entities()} == last
        assert any("Repeated Alias Ltd" in e.aliases for e in last.values())
    finally:
        parked.close()


def test_small_batches_give_the_graph_of_one_write(tmp_path: Path) -> None:
    data = synth_dir(tmp_path / "synth")
    held = load_jsonl(data, Resolver())
    parked = load_jsonl(data, Resolver(), streamed=True)
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "many") as many:
        one.write(held.entities, held.claims)
        parked.check()
        write_result(many, parked, batch_size=37)
        parked.close()
        assert len(many.segments()) > 0  # written in batches, not one
        assert graph(many) == graph(one)
    with EmbeddedStore(tmp_path / "many") as reopened:
        assert graph(reopened) == graph(EmbeddedStore(tmp_path / "one"))


def _line(**fields: Any) -> str:
    return json.dumps(fields)


COMPANY_A = _line(kind="entity", id="company/a", label="Company", name="A")
COMPANY_B = _line(kind="entity", id="company/b", label="Company", name="B")
COUNTRY_B = _line(kind="entity", id="company/b", label="Country", name="B")
SOURCE = _line(kind="entity", id="source/x", label="Source", name="X")
SUPPLIES = _line(
    kind="claim",
    subject="company/a",
    predicate="SUPPLIES",
    object="company/b",
    evidence=[{"source": "source/x"}],
)


def test_a_claim_before_its_entities_loads(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    path.write_text("\n".join([SUPPLIES, COMPANY_A, SOURCE, COMPANY_B]) + "\n")
    done = run_load(str(path), "--stream", "--db", str(tmp_path / "db"))
    assert done.returncode == 0, done.stderr
    with EmbeddedStore(tmp_path / "db") as store:
        assert [c.key for c in store.claims()] != []


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([COMPANY_A, SOURCE, SUPPLIES], "unknown entity 'company/b'"),
        ([COMPANY_A, COMPANY_B, SUPPLIES], "unknown Source 'source/x'"),
        (
            [COMPANY_A, SOURCE, COUNTRY_B, SUPPLIES],
            "SUPPLIES",
        ),
    ],
    ids=["unknown-entity", "unknown-source", "forbidden-pair"],
)
def test_the_check_raises_what_a_write_raises(
    tmp_path: Path, lines: list[str], message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with EmbeddedStore(tmp_path / "db") as store:
        held = load_jsonl(path, Resolver())
        with pytest.raises(OntologyError, match=message):
            store.write(held.entities, held.claims)
    parked = load_jsonl(path, Resolver(), streamed=True)
    try:
        with pytest.raises(OntologyError, match=message):
            parked.check()
    finally:
        parked.close()


def test_a_bad_claim_on_the_last_line_of_a_big_load_writes_nothing(tmp_path: Path) -> None:
    data = synth_dir(tmp_path / "synth", links=2000)
    claims = data / "claims.jsonl"
    lines = claims.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[0])
    bad["object"] = "company/not-in-the-file"
    claims.write_text("\n".join([*lines, json.dumps(bad)]) + "\n", encoding="utf-8")
    db = tmp_path / "db"
    done = run_load(str(data), "--stream", "--db", str(db))
    assert done.returncode == 2, done.stderr
    assert "unknown entity 'company/not-in-the-file'" in done.stderr
    with EmbeddedStore(db) as store:
        assert store.counts().to_json() == {"nodes": {}, "relationships": {}}


def test_json_lines_stream_from_the_size_threshold_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipkg.cli import core

    data = synth_dir(tmp_path / "synth", links=50)
    size = sum(p.stat().st_size for p in data.iterdir())
    monkeypatch.setattr(core, "STREAM_JSONL_BYTES", size + 1)
    assert core._stream_jsonl([data], None, None) is False
    monkeypatch.setattr(core, "STREAM_JSONL_BYTES", size)
    assert core._stream_jsonl([data], None, None) is True
    assert core._stream_jsonl([data], None, False) is False
    monkeypatch.setattr(core, "STREAM_JSONL_BYTES", size + 1)
    assert core._stream_jsonl([data], None, True) is True


def test_held_and_streamed_cli_loads_store_the_same_graph(tmp_path: Path) -> None:
    data = synth_dir(tmp_path / "synth", links=300)
    graphs = []
    for how in ("--stream", "--in-memory"):
        done = run_load(str(data), how, "--db", str(tmp_path / how))
        assert done.returncode == 0, done.stderr
        with EmbeddedStore(tmp_path / how) as store:
            graphs.append(graph(store))
    assert graphs[0] == graphs[1] and graphs[0][1]
