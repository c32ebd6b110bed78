"""Embedded store specifics: persistence, atomic rename, corrupt files."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chipkg.errors import DiskFullError, StoreError
from chipkg.graph import EmbeddedStore
from chipkg.graph import embedded as embedded_module
from chipkg.ontology import Claim, Entity


def test_persists_and_reloads(
    tmp_path: Path, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    EmbeddedStore(tmp_path).write(sample_entities, sample_claims)
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.entities()) == sorted(sample_entities, key=lambda e: e.id)
    assert len(list(reopened.claims())) == len(sample_claims)


def test_crash_mid_write_keeps_previous_file(
    tmp_path: Path,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:3], [])
    before = store.file.read_bytes()
    calls = {"n": 0}

    def failing(real: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``real``, until the fifth record encoded (entity or claim) hits a full disk."""

        def encode(record: Any) -> Any:
            calls["n"] += 1
            if calls["n"] > 4:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(record)

        return encode

    for name in ("stored_entity_line", "claim_line_and_blob"):
        monkeypatch.setattr(embedded_module, name, failing(getattr(embedded_module, name)))
    with pytest.raises(DiskFullError, match=r"graph-000001\.jsonl: no space left"):
        store.write(sample_entities, sample_claims)
    assert store.file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "graph.jsonl"]  # no temp file
    assert len(list(store.entities())) == 3  # memory rolled back too
    monkeypatch.undo()
    assert len(list(EmbeddedStore(tmp_path).entities())) == 3


def test_rename_is_the_commit_point(
    tmp_path: Path, sample_entities: list[Entity], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])

    def no_rename(src: str, dst: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(StoreError, match="power cut"):
        store.write(sample_entities, [])
    monkeypatch.undo()
    assert len(list(EmbeddedStore(tmp_path).entities())) == 1


def test_corrupt_store_file_names_line(tmp_path: Path) -> None:
    (tmp_path / "graph.jsonl").write_text(
        '{"kind": "entity", "id": "company/a", "label": "Company", "name": "A"}\n{oops\n'
    )
    with pytest.raises(StoreError, match=r"graph.jsonl:2: corrupt store record"):
        EmbeddedStore(tmp_path)


def test_db_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        EmbeddedStore(target)


def test_default_path_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPKG_DB", str(tmp_path / "envdb"))
    assert EmbeddedStore().path == tmp_path / "envdb"


def test_a_write_removes_temporary_files_a_killed_writer_left(
    tmp_path: Path, sample_entities: list[Entity]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])
    stale = tmp_path / ".graph-abc123.tmp"
    stale.write_text('{"kind": "entity"', encoding="utf-8")  # half a line, as after SIGKILL
    reopened = EmbeddedStore(tmp_path)
    assert len(list(reopened.entities())) == 1  # never read
    reopened.write(sample_entities[1:2], [])
    assert not stale.exists()
    assert len(list(EmbeddedStore(tmp_path).entities())) == 2
