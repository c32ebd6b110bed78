"""The embedded store's engine question (issue 18 item 1): SQLite in WAL mode vs the journal.

A minimal SQLite store with the same records (the journal's compact blobs in
``entities(id, label, blob)`` and ``claims(key, predicate, subject, object,
blob)``, indexes on both endpoints) and the same merge-on-write semantics: each
write reads the stored versions of the batch's keys, merges, and upserts, in one
``BEGIN IMMEDIATE`` transaction (SQLite's writer lock). Each mode runs in a fresh
process and prints one JSON line:

``python -m bench.probe_sqlite load DATA DB BATCH``: stream a data set into a new
SQLite file; ``python -m bench.probe_sqlite open DB``: time the first lookup (the
database needs no open-time read) and a full read into the journal's in-memory
indexes (what today's query layer needs), with the memory each holds.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.common import Dataset, batches
from bench.probe_embedded import peak_mb, rss_mb
from chipkg.graph.compact import decode_claim, decode_entity, encode_claim, encode_entity
from chipkg.graph.store import merge_batch
from chipkg.ontology import Claim, Entity

SCHEMA = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, label TEXT NOT NULL, blob BLOB)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, predicate TEXT NOT NULL,
    subject TEXT NOT NULL, object TEXT NOT NULL, blob BLOB) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_subject ON claims(subject);
CREATE INDEX IF NOT EXISTS claims_object ON claims(object);
"""
CHUNK = 900  # stay under SQLite's default limit of bound parameters


def _stored(db: sqlite3.Connection, table: str, column: str, keys: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        marks = ",".join("?" * len(part))
        query = f"SELECT {column}, * FROM {table} WHERE {column} IN ({marks})"
        for row in db.execute(query, part):
            found[row[0]] = row
    return found


def write(db: sqlite3.Connection, entities: Iterable[Entity], claims: Iterable[Claim]) -> None:
    """Merge with stored versions and upsert, in one immediate transaction."""
    ents, clms = merge_batch(entities, claims)
    db.execute("BEGIN IMMEDIATE")
    known_e = _stored(db, "entities", "id", [e.id for e in ents])
    rows_e = []
    for entity in ents:
        old = known_e.get(entity.id)
        merged = (
            entity if old is None else decode_entity(old[1], old[2], old[3]).merged_with(entity)
        )
        rows_e.append((merged.id, merged.label, encode_entity(merged)))
    db.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?, ?)", rows_e)
    known_c = _stored(db, "claims", "key", [c.key for c in clms])
    rows_c = []
    for claim in clms:
        old = known_c.get(claim.key)
        merged_c = claim if old is None else decode_claim(old[2], old[5]).merged_with(claim)
        rows_c.append(
            (claim.key, claim.predicate, claim.subject, claim.object, encode_claim(merged_c))
        )
    db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)", rows_c)
    db.execute("COMMIT")


def load(data_dir: Path, path: Path, batch: int) -> dict[str, Any]:
    """Stream the data set into a fresh SQLite file; time only the writes."""
    manifest = json.loads((data_dir / "manifest.json").read_text())
    data = Dataset(int(manifest["links"]), data_dir, manifest)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(SCHEMA)
    spent = 0.0
    for entities, claims in batches(data, batch):
        before = time.perf_counter()
        write(db, entities, claims)
        spent += time.perf_counter() - before
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    return {
        "write_seconds": spent,
        "claims": count,
        "peak_rss_mb": peak_mb(),
        "file_mb": path.stat().st_size / 2**20,
    }


def open_db(path: Path) -> dict[str, Any]:
    """First lookup straight from disk, then a full read into in-memory indexes."""
    gc.collect()
    base = rss_mb()
    started = time.perf_counter()
    db = sqlite3.connect(path, isolation_level=None)
    subject = db.execute("SELECT subject FROM claims LIMIT 1").fetchone()[0]
    rows = db.execute("SELECT blob FROM claims WHERE subject = ?", (subject,)).fetchall()
    first = time.perf_counter() - started
    lookup_rss = rss_mb() - base
    started = time.perf_counter()
    labels = dict(db.execute("SELECT id, label FROM entities"))
    blobs = dict(db.execute("SELECT id, blob FROM entities"))
    claims: dict[str, bytes] = {}
    out: dict[str, list[str]] = {}
    into: dict[str, list[str]] = {}
    for key, s, o, blob in db.execute("SELECT key, subject, object, blob FROM claims"):
        claims[key] = blob
        out.setdefault(s, []).append(key)
        into.setdefault(o, []).append(key)
    full = time.perf_counter() - started
    gc.collect()
    return {
        "first_lookup_seconds": first,
        "first_lookup_rows": len(rows),
        "lookup_rss_mb": lookup_rss,
        "full_read_seconds": full,
        "full_read_rss_mb": rss_mb() - base,
        "entities": len(labels) + 0 * len(blobs),
        "claims": len(claims),
    }


def main() -> None:
    mode, *args = sys.argv[1:]
    if mode == "load":
        result = load(Path(args[0]), Path(args[1]), int(args[2]))
    elif mode == "open":
        result = open_db(Path(args[0]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
