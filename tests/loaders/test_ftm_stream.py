"""A FollowTheMoney load streamed in batches gives the graph of one write, or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chipkg.cli.bulk_load import write_result
from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.ftm import load_ftm
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from tests.support.load_helpers import run_load
from tests.support.paths import DATA

FTM = DATA / "ftm"
CURATED = load_reference()
REFERENCE = CURATED.entities


def graph(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every entity and claim, as comparable dicts."""
    return (
        [e.model_dump() for e in store.entities()],
        [c.model_dump() for c in store.claims()],
    )


def with_repeated_sanction(tmp_path: Path) -> Path:
    """The published sample plus, at the end, a second Sanction record of the same listing."""
    lines = (FTM / "published.ftm.json").read_text(encoding="utf-8").splitlines()
    again = json.loads(lines[2])  # line 3: Huawei's Entity List sanction
    assert again["schema"] == "Sanction"
    again["id"] = "sanc-example-again"
    path = tmp_path / "repeated.ftm.json"
    path.write_text("\n".join([*lines, json.dumps(again)]) + "\n", encoding="utf-8")
    return path


def test_parked_claims_are_the_claims_held_in_memory(tmp_path: Path) -> None:
    path = with_repeated_sanction(tmp_path)
    held = load_ftm(path, Resolver.of(REFERENCE))
    parked = load_ftm(path, Resolver.of(REFERENCE), spool=True)
    try:
        assert parked.claims == [] and parked.claim_count == len(held.claims) > 0
        assert [c.model_dump() for c in parked.all_claims()] == [
            c.model_dump() for c in held.claims
        ]
        assert parked.entities == held.entities
    finally:
        parked.close()


def test_small_batches_give_the_graph_of_one_write(tmp_path: Path) -> None:
    path = with_repeated_sanction(tmp_path)
    held = load_ftm(path, Resolver.of(REFERENCE))
    parked = load_ftm(path, Resolver.of(REFERENCE), spool=True)
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "many") as many:
        for store in (one, many):  # the curated entities the file's records resolve onto
            store.write(CURATED.entities, CURATED.claims)
        one.write(held.entities, held.claims)
        report = write_result(many, parked, batch_size=3)
        parked.close()
        assert graph(many) == graph(one)
        assert report.claims == len(held.claims)
        (key,) = {c.key for c in held.claims if c.predicate == "TARGETS" and "huawei" in c.object}
        (listing,) = [c for c in many.claims("TARGETS") if c.key == key]
        rows = {ev.row for ev in listing.evidence if ev.row is not None}
        last = len(path.read_text(encoding="utf-8").splitlines())
        assert {3, last} <= rows  # the two lines of the listing merged into one edge


def test_a_bad_line_after_good_ones_writes_nothing(tmp_path: Path) -> None:
    path = with_repeated_sanction(tmp_path)
    bad = {"id": "own-x", "schema": "Ownership", "properties": {"owner": ["nobody-here"]}}
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, json.dumps(bad)]) + "\n", encoding="utf-8")
    db = tmp_path / "db"
    done = run_load(str(path), "--db", str(db))
    assert done.returncode == 2, done.stderr
    assert f"repeated.ftm.json:{len(lines) + 1}:" in done.stderr
    with EmbeddedStore(db) as store:
        assert store.counts().to_json() == {"nodes": {}, "relationships": {}}
