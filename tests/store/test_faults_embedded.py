"""Fault tests of the embedded store: concurrent writer processes, SIGKILL, readers, the lock.

Each test compares the whole store (entities with aliases, claims with every
piece of evidence) against the same batches written one after the other in
this process, so a lost write shows even when the counts happen to agree.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chipkg.errors import StoreBusy
from chipkg.graph import EmbeddedStore
from chipkg.graph.locking import WriterLock
from chipkg.ontology import Claim, Entity
from tests.support.fault_workers import batch
from tests.support.paths import SUPPORT

WORKER = SUPPORT / "fault_workers.py"


def snapshot(store: EmbeddedStore) -> tuple[list[Entity], list[Claim]]:
    """Everything a store holds, in a comparable order."""
    return list(store.entities()), list(store.claims())


def sequential(tmp: Path, plan: list[tuple[int, int]], companies: int) -> EmbeddedStore:
    """The batches of ``plan`` (worker, steps) written one after the other."""
    store = EmbeddedStore(tmp)
    for worker, steps in plan:
        for step in range(steps):
            store.write(*batch(worker, step, companies))
    return store


def spawn(db: Path, worker: int, steps: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db), str(worker), str(steps), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


#: Worker options under which segments merge by tier at every second write and the
#: base is never rewritten (the merges, not the compactions, are under test).
MERGING = ("--fanout", "2", "--tier-bytes", "1000000", "--garbage-ratio", "1000")


@pytest.mark.parametrize(
    ("writers", "policy"),
    [(2, ("--max-segments", "3")), (4, ("--max-segments", "3")), (3, MERGING)],
)
def test_concurrent_writer_processes_end_with_the_sequential_result(
    tmp_path: Path, writers: int, policy: tuple[str, ...]
) -> None:
    db, go = tmp_path / "db", tmp_path / "go"
    steps = 4
    compact = policy != MERGING
    procs = [
        spawn(db, w, steps, *policy, "--go", str(go), *(["--compact"] * (compact and w == 0)))
        for w in range(writers)
    ]
    time.sleep(1.0)  # let every process import chipkg and wait on the start line
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split() == ["ready", *(x for s in range(steps) for x in ("done", str(s)))]
    expected = sequential(tmp_path / "seq", [(w, steps) for w in range(writers)], 20)
    got = EmbeddedStore(db)
    assert snapshot(got) == snapshot(expected)
    evidence = sum(len(c.evidence) for c in got.claims())
    assert evidence == writers * steps * 21  # every piece arrived, none twice
    assert not list(db.glob(".graph-*.tmp"))


def prefix_states(steps: int, companies: int, tmp: Path) -> list[tuple[int, int]]:
    """(entities, pieces of evidence) after 0..steps writes of worker 0."""
    store = EmbeddedStore(tmp)
    states = [(0, 0)]
    for step in range(steps):
        store.write(*batch(0, step, companies))
        states.append(_state(store))
    return states


def _state(store: EmbeddedStore) -> tuple[int, int]:
    return (
        sum(1 for _ in store.entities()),
        sum(len(c.evidence) for c in store.claims()),
    )


def test_sigkill_at_random_points_leaves_a_committed_state(tmp_path: Path) -> None:
    """Kill a writer that writes segments and compacts, at random moments, 6 times."""
    companies, steps = 400, 12
    states = prefix_states(steps, companies, tmp_path / "seq")
    db = tmp_path / "db"
    rng = random.Random(18)
    reached = 0
    for attempt in range(6):
        args = ["--companies", str(companies), "--max-segments", "3"]
        proc = spawn(db, 0, steps, *args, *(["--compact"] * (attempt % 2)))
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"  # imported and opened: timing starts
        time.sleep(rng.uniform(0.05, 2.0))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        done = out.count("done")
        state = _state(EmbeddedStore(db))
        # every completed write is there; at most one more (committed, not yet printed)
        assert state in states
        assert states.index(state) >= done
        reached = max(reached, states.index(state))
    store = EmbeddedStore(db)
    store.write(*batch(0, steps - 1, companies))  # the next writer cleans up after a kill
    assert not list(db.glob(".graph-*.tmp"))
    assert reached > 0, "no write committed before a kill: the test proved nothing"


@pytest.mark.parametrize(
    "policy", [("--max-segments", "3", "--compact"), MERGING], ids=["compact", "merge"]
)
def test_readers_during_writes_and_compactions_see_committed_states(
    tmp_path: Path, policy: tuple[str, ...]
) -> None:
    companies, steps = 300, 10
    states = prefix_states(steps, companies, tmp_path / "seq")
    db = tmp_path / "db"
    args = ["--companies", str(companies), *policy]
    proc = spawn(db, 0, steps, *args)
    observed = []
    while proc.poll() is None:
        observed.append(_state(EmbeddedStore(db)))
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert all(state in states for state in observed), set(observed) - set(states)
    assert _state(EmbeddedStore(db)) == states[-1]


def test_second_writer_waits_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "db"
    with WriterLock(db):
        proc = spawn(db, 0, 1)
        assert proc.stderr is not None
        # it cannot finish without the lock, so the first thing it says is that it waits
        waiting = proc.stderr.readline()
        assert proc.poll() is None  # still waiting
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"waiting for another chipkg writer (pid {os.getpid()}) on {db}" in waiting
    assert _state(EmbeddedStore(db)) == (22, 21)


def test_lock_timeout_gives_up_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "db"
    EmbeddedStore(db).write(*batch(0, 0))
    with WriterLock(db):
        store = EmbeddedStore(db, lock_timeout=0.2)
        with pytest.raises(StoreBusy, match=r"locked by another chipkg writer .*0\.2s"):
            store.write(*batch(1, 0))
    assert _state(EmbeddedStore(db)) == (22, 21)


def test_cli_lock_timeout_exits_75(tmp_path: Path) -> None:
    db = tmp_path / "db"
    data = tmp_path / "in.jsonl"
    data.write_text(
        '{"kind": "entity", "id": "company/a", "label": "Company", "name": "A"}\n',
        encoding="utf-8",
    )
    chipkg = Path(sys.executable).with_name("chipkg")
    with WriterLock(db):
        run = subprocess.run(
            [str(chipkg), "load", str(data), "--db", str(db), "--lock-timeout", "0.3", "-q"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 75
    assert run.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "gave up after 0.3s" in run.stderr
    assert list(EmbeddedStore(db).entities()) == []
