"""Neo4j fault tests: concurrent writer processes, atomic loads, interrupted batched loads.

The reference is always the same records written into an embedded store (both
backends hold identical records), compared record by record, evidence included.

The interrupted load is tested twice: for real, by stopping a throwaway managed
server (its own home and ports, never the shared test server) under a ``chipkg
load`` subprocess; and as a fast client-side simulation, where the driver call of
one batch raises ``ServiceUnavailable`` as it would if the server stopped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from chipkg.errors import Neo4jUnavailable
from chipkg.graph import EmbeddedStore, Store
from chipkg.graph import neo4j_store as neo4j_module
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.ontology import Claim, Entity
from tests.support.fault_workers import batch
from tests.support.neo4j_instance import chipkg_env, managed, reconnect, run, throwaway_neo4j
from tests.support.paths import SUPPORT

pytestmark = pytest.mark.neo4j
WORKER = SUPPORT / "fault_workers.py"


def contents(store: Store) -> tuple[list[Entity], list[Claim]]:
    return list(store.entities()), list(store.claims())


def reference(tmp: Path, plan: list[tuple[int, int]], companies: int = 20) -> EmbeddedStore:
    store = EmbeddedStore(tmp)
    for worker, steps in plan:
        for step in range(steps):
            store.write(*batch(worker, step, companies))
    return store


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_loads_into_neo4j_keep_every_piece_of_evidence(
    neo4j_store: Neo4jStore, neo4j_env: dict[str, str], tmp_path: Path, writers: int
) -> None:
    go, steps = tmp_path / "go", 3
    env = {**os.environ, **neo4j_env}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "-", str(w), str(steps), "--neo4j", "--go", str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in range(writers)
    ]
    time.sleep(2.0)  # every process connected and waiting on the start line
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    expected = reference(tmp_path / "ref", [(w, steps) for w in range(writers)])
    assert contents(neo4j_store) == contents(expected)
    evidence = sum(len(c.evidence) for c in neo4j_store.claims())
    assert evidence == writers * steps * 21


class ServerStopped(ServiceUnavailable):
    """A lost server, without the driver's 30 s of retries (which would only slow the test)."""

    def is_retryable(self) -> bool:
        return False


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    """Make the ``failing_call``-th claim chunk raise as a stopped server would."""
    real = neo4j_module._write_claims
    calls = {"n": 0}

    def flaky(tx: object, *args: Any) -> int:
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise ServerStopped("connection lost (simulated server stop)")
        return real(tx, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(neo4j_module, "_write_claims", flaky)


def test_a_load_within_the_limit_is_one_transaction(
    neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entities, claims = batch(0, 0, companies=40)
    neo4j_store.batch_size, neo4j_store.tx_records = 10, 1_000
    _fail_on_call(monkeypatch, 3)  # after two claim chunks ran inside the transaction
    with pytest.raises(Neo4jUnavailable):
        neo4j_store.write(entities, claims)
    assert contents(neo4j_store) == ([], [])  # rolled back whole, entities too


def test_simulated_server_loss_mid_load_reports_progress_and_a_rerun_completes_it(
    neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Client-side simulation (the driver raises); the real server stop is tested below."""
    entities, claims = batch(0, 0, companies=40)  # 42 entities, 41 claims
    neo4j_store.batch_size, neo4j_store.tx_records = 10, 50
    _fail_on_call(monkeypatch, 3)
    with pytest.raises(Neo4jUnavailable, match=r"62 of 83 records written.*run the same load"):
        neo4j_store.write(entities, claims)
    partial_entities, partial_claims = contents(neo4j_store)
    assert (len(partial_entities), len(partial_claims)) == (42, 20)
    progress, _, _ = neo4j_store.driver.execute_query(
        "MATCH (l:ChipkgWriteLock) RETURN l.load_written AS w, l.load_total AS t",
        database_=neo4j_store.database,
    )
    assert (progress[0]["w"], progress[0]["t"]) == (62, 83)
    monkeypatch.undo()
    report = neo4j_store.write(entities, claims)
    assert report.new_claims == 21
    expected = reference(tmp_path / "ref", [(0, 1)], companies=40)
    assert contents(neo4j_store) == contents(expected)


LOAD_SIZE = {"CHIPKG_NEO4J_TX_RECORDS": "100", "CHIPKG_NEO4J_BATCH": "25"}
WRITTEN = re.compile(r"([\d,]+) of ([\d,]+) records written")


def _lock_progress(store: Neo4jStore) -> tuple[int, int]:
    """``(load_written, load_total)`` as the batched load records them on the lock node."""
    records, _, _ = store.driver.execute_query(
        "OPTIONAL MATCH (l:ChipkgWriteLock {id: 'writer'}) "
        "RETURN coalesce(l.load_written, 0) AS w, coalesce(l.load_total, 0) AS t",
        database_=store.database,
    )
    return int(records[0]["w"]), int(records[0]["t"])


def _wait_for_a_committed_batch(env: dict[str, str], load: subprocess.Popen[str]) -> int:
    """Poll the progress the load records until one batch is in (bounded: 300 s)."""
    watcher = reconnect(env)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert load.poll() is None, "the load ended before any batch was seen committed"
            written, total = _lock_progress(watcher)
            if written > 0:
                assert written < total, "the load had already written everything"
                return written
            time.sleep(0.05)
    finally:
        watcher.close()
    raise AssertionError("no batch committed within 300 s")


@pytest.mark.neo4j
def test_server_stopped_mid_load_reports_progress_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    """A real server stop under ``chipkg load --neo4j``: exit 3, ``N of M``, whole batches only."""
    synth = tmp_path / "synth"
    made = run("synth", "--links", "2500", "--seed", "11", "-o", str(synth), "-q", env={})
    assert made.returncode == 0, made.stderr
    files = [str(synth / "entities.jsonl"), str(synth / "claims.jsonl")]
    clean = run("load", *files, "--db", str(tmp_path / "ref"), "-q", env={})
    assert clean.returncode == 0, clean.stderr
    expected = EmbeddedStore(tmp_path / "ref")
    with throwaway_neo4j(tmp_path / "neo4j") as env:
        command = [sys.executable, "-m", "chipkg", "load", *files, "--neo4j", "-q"]
        load_env = chipkg_env({**env, **LOAD_SIZE})
        load = subprocess.Popen(command, env=load_env, stdout=PIPE, stderr=PIPE, text=True)
        seen = _wait_for_a_committed_batch(env, load)
        with managed(env) as server:
            server.stop()
        _, err = load.communicate(timeout=300)
        assert load.returncode == 3, err
        assert len(err.strip().splitlines()) == 1, err
        found = WRITTEN.search(err)
        assert found, err
        written, total = (int(g.replace(",", "")) for g in found.groups())
        assert seen <= written < total
        print(f"server stopped after {seen:,} records seen; load reported {err.strip()!r}")

        with managed(env) as server:
            server.start()
        store = reconnect(env)
        try:
            assert _lock_progress(store) == (written, total)
            _assert_whole_records(store, expected, written)
            rerun = subprocess.run(command, env=load_env, capture_output=True, text=True)
            assert rerun.returncode == 0, rerun.stderr
            assert store.counts().to_json() == expected.counts().to_json()
            assert contents(store) == contents(expected)
        finally:
            store.close()


def _assert_whole_records(store: Neo4jStore, expected: EmbeddedStore, written: int) -> None:
    """Exactly ``written`` records stored, each equal to its clean-load self: no half batch."""
    entities, claims = contents(store)
    assert len(entities) + len(claims) == written
    want_entities = {e.id: e for e in expected.entities()}
    want_claims = {c.key: c for c in expected.claims()}
    assert all(e == want_entities[e.id] for e in entities)
    assert all(c == want_claims[c.key] for c in claims)
