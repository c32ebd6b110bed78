"""Neo4j fault tests: concurrent writer processes, atomic loads, interrupted batched loads.

The reference is always the same batches written one after the other into an
embedded store (both backends hold identical records), compared record by record,
evidence included.

"Interrupted" here is simulated in the client: the driver call of one batch raises
``ServiceUnavailable`` as it would if the server stopped. Stopping the shared test
server itself would break every other Neo4j test of the session, and a throwaway
managed instance takes about a minute to start on the test machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j.exceptions import ServiceUnavailable

from chipkg.errors import Neo4jUnavailable
from chipkg.graph import EmbeddedStore, Store
from chipkg.graph import neo4j_store as neo4j_module
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.ontology import Claim, Entity
from tests.fault_workers import batch

pytestmark = pytest.mark.neo4j
WORKER = Path(__file__).with_name("fault_workers.py")


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

    def flaky(tx: object, claims: list[Claim]) -> int:
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise ServerStopped("connection lost (simulated server stop)")
        return real(tx, claims)  # type: ignore[arg-type]

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


def test_an_interrupted_batched_load_reports_progress_and_a_rerun_completes_it(
    neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
