"""A streamed FollowTheMoney load keeps its indexes on disk and loads exactly the same."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chipkg.cli.bulk_load import write_result
from chipkg.errors import InputError
from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.base import LoadResult
from chipkg.loaders.disk_index import DiskIndex, DiskList, DiskMap, DiskSet
from chipkg.loaders.ftm import load_ftm
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity
from tests.support.load_helpers import run_load
from tests.support.paths import DATA

FTM = DATA / "ftm"
REFERENCE = load_reference().entities
GOOD = ["published.ftm.json", "entities.ftm.json", "targets.nested.json"]


def dumped(result: LoadResult) -> dict[str, Any]:
    """Everything a load hands to the write and to the summary, as comparable values."""
    return {
        "entities": [e.model_dump() for e in result.all_entities()],
        "claims": [c.model_dump() for c in result.all_claims()],
        # as --explain-merges lists them: each decision once
        "merges": list(dict.fromkeys((m.name, m.entity_id, m.via) for m in result.merges)),
        "tallies": [t.line() for t in result.tallies],
        "skipped": result.skipped,
        "notes": result.notes,
    }


def in_memory(path: Path, skip: bool = False) -> dict[str, Any]:
    resolver = Resolver.of(REFERENCE)
    result = load_ftm(path, resolver, skip_invalid=skip)
    result.merges = list(resolver.merges)
    return dumped(result)


def on_disk(path: Path, skip: bool = False) -> dict[str, Any]:
    with DiskIndex() as disk:
        resolver = Resolver.of(REFERENCE, disk=disk)
        result = load_ftm(path, resolver, skip_invalid=skip, spool=True, park_entities=True)
        try:
            assert result.entities == [] and result.claims == []  # all of it waits on disk
            result.merges = list(resolver.merges)
            return dumped(result)
        finally:
            result.close()


@pytest.mark.parametrize("name", GOOD)
def test_a_load_on_disk_gives_the_records_of_a_load_in_memory(name: str) -> None:
    held = in_memory(FTM / name)
    assert held["entities"] and held["claims"]
    assert on_disk(FTM / name) == held


def test_skip_invalid_on_disk_skips_the_same_lines(tmp_path: Path) -> None:
    lines = (FTM / "published.ftm.json").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:30]
    path = tmp_path / "bad.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    held = in_memory(path, skip=True)
    assert len(held["skipped"]) == 3
    assert on_disk(path, skip=True) == held


@pytest.mark.parametrize("name", ["unknown_ref.ftm.json", "truncated.ftm.json"])
def test_a_bad_file_fails_on_disk_as_in_memory(name: str) -> None:
    with pytest.raises(InputError) as held:
        load_ftm(FTM / name, Resolver.of(REFERENCE))
    with DiskIndex() as disk, pytest.raises(InputError) as parked:
        load_ftm(FTM / name, Resolver.of(REFERENCE, disk=disk), spool=True, park_entities=True)
    assert str(parked.value) == str(held.value)


def test_closing_the_result_closes_the_parked_entities() -> None:
    result = load_ftm(FTM / "published.ftm.json", Resolver.of(REFERENCE), park_entities=True)
    assert result.entity_count > 0
    result.close()
    with pytest.raises(sqlite3.ProgrammingError):
        result.entity_count  # noqa: B018 - reading it is the test


def test_cli_streamed_load_writes_the_graph_of_one_write(tmp_path: Path) -> None:
    path = FTM / "published.ftm.json"
    resolver = Resolver()
    held = load_ftm(path, resolver)
    db = tmp_path / "db"
    done = run_load(str(path), "--db", str(db))
    assert done.returncode == 0, done.stderr
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(db) as streamed:
        one.write(held.entities, held.claims)
        for read in (lambda s: s.entities(), lambda s: s.claims()):
            assert [r.model_dump() for r in read(streamed)] == [r.model_dump() for r in read(one)]


def everything(store: Store) -> tuple[list[str], list[str]]:
    """Every stored entity and claim as sorted JSON, whatever order the backend reads in."""
    return (
        sorted(json.dumps(e.model_dump(mode="json"), sort_keys=True) for e in store.entities()),
        sorted(json.dumps(c.model_dump(mode="json"), sort_keys=True) for c in store.claims()),
    )


def test_parked_records_written_in_batches_give_the_graph_of_one_write(
    store: Store, tmp_path: Path
) -> None:
    path = FTM / "published.ftm.json"
    held = load_ftm(path, Resolver())
    with EmbeddedStore(tmp_path / "one") as one:
        one.write(held.entities, held.claims)
        expected = everything(one)
    with DiskIndex() as disk:
        parked = load_ftm(path, Resolver.of([], disk=disk), spool=True, park_entities=True)
        try:
            report = write_result(store, parked, batch_size=3)
        finally:
            parked.close()
    assert report.entities == len(held.entities) and report.claims == len(held.claims)
    assert everything(store) == expected


# The on-disk structures themselves, against the in-memory ones they replace.


def test_disk_map_behaves_as_a_dict_under_random_edits() -> None:
    rng = random.Random(7)
    with DiskIndex() as disk:
        mapped: DiskMap[list[int]] = DiskMap(disk, "things")
        plain: dict[str, list[int]] = {}
        for step in range(3000):
            key = f"k{rng.randrange(300)}"
            if rng.random() < 0.15 and key in plain:
                del plain[key], mapped[key]
            else:
                plain[key] = mapped[key] = [step]
        assert list(mapped) == list(plain) and list(mapped.iter_values()) == list(plain.values())
        assert len(mapped) == len(plain) and all(mapped[k] == v for k, v in plain.items())
        assert mapped.get("absent") is None and "absent" not in mapped
        with pytest.raises(KeyError):
            del mapped["absent"]


def test_disk_list_and_set_keep_what_they_were_given() -> None:
    with DiskIndex() as disk:
        items: DiskList[tuple[int, str]] = DiskList(disk, "items")
        seen = DiskSet(disk, "seen")
        for n in range(2500):  # more than one chunk when read back
            items.append((n, f"x{n}"))
            seen.add(f"x{n % 40}")
        seen.update(["y", "y"])
        assert list(items) == [(n, f"x{n}") for n in range(2500)] and len(items) == 2500
        assert "x39" in seen and "y" in seen and "x40" not in seen


def test_resolver_on_disk_resolves_and_suggests_as_in_memory() -> None:
    extra = Entity(id="company/example-foundry", label="Company", name="Example Foundry")
    alias = Entity(id="company/example-foundry", label="Company", name="EF", aliases=["XF Co"])
    names = ["TSMC", "Taiwan Semiconductor Manufacturing", "asml", "Example Foundry", "XF Co"]
    names += ["Huawei", "Nvidia Corp", "nobody at all", "EF", "China", "CN"]
    with DiskIndex() as disk:
        memory, parked = Resolver.of(REFERENCE), Resolver.of(REFERENCE, disk=disk)
        for resolver in (memory, parked):
            resolver.add(extra)
            resolver.add(alias)
        for name in names:
            assert parked.lookup(name) == memory.lookup(name), name
            assert parked.resolve(name) == memory.resolve(name), name
            assert parked.suggest(name) == memory.suggest(name), name
        taken = [(m.name, m.entity_id, m.via) for m in memory.merges]
        assert taken and [(m.name, m.entity_id, m.via) for m in parked.merges] == list(
            dict.fromkeys(taken)
        )
        assert dict(parked.entities) == dict(memory.entities)


SCRATCH = """
import os, sys
from chipkg.loaders.disk_index import DiskIndex, DiskMap
disk = DiskIndex()
rows = DiskMap(disk, "rows")
for n in range(40_000):  # about 20 MB: beyond the page cache, so on disk
    rows[str(n)] = os.urandom(500)
links = []
for fd in os.listdir("/proc/self/fd"):
    try:
        links.append(os.readlink(f"/proc/self/fd/{fd}"))
    except FileNotFoundError:  # the descriptor listdir itself used
        pass
print(sum(1 for link in links if link.startswith(sys.argv[1]) and link.endswith("(deleted)")))
print(len(os.listdir(sys.argv[1])), len(rows))
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_the_scratch_file_is_on_disk_and_never_left_behind(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "SQLITE_TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRATCH, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    open_deleted, listed_rows = done.stdout.split("\n", 1)
    assert int(open_deleted) >= 1  # written under TMPDIR, already unlinked while in use
    assert listed_rows.split() == ["0", "40000"]
    assert not list(tmp_path.iterdir())


def test_a_disk_map_keeps_at_most_its_hot_size_decoded_and_still_finds_the_rest() -> None:
    with DiskIndex() as index:
        labels = DiskMap[str](index, "labels", hot=3)
        for n in range(10):
            labels[f"company/{n}"] = "Company"
        assert len(labels.hot) == 3
        assert [labels[f"company/{n}"] for n in range(10)] == ["Company"] * 10
        assert len(labels.hot) == 3 and list(labels.hot) == [f"company/{n}" for n in (7, 8, 9)]


def test_a_streamed_resolver_keeps_many_labels_in_memory() -> None:
    """Labels are looked up three times per claim: their map keeps far more than the default."""
    from chipkg.loaders.disk_index import HOT, HOT_SMALL

    with DiskIndex() as index:
        resolver = Resolver.of([], disk=index)
        assert isinstance(resolver.labels, DiskMap)
        assert resolver.labels.hot_size == HOT_SMALL > HOT
