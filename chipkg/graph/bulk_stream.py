"""The bulk path's merge, check and CSV for a streamed load, in bounded memory.

``merge_batch`` needs every record at once: 8.6 GiB at a million links. Here the
records are split by a hash of their identity (entity id, claim key) into bucket
files, each small enough to merge in memory on its own. Every record of one id or
key lands in the same bucket, in input order, so each bucket's ``merge_batch``
merges exactly the groups the whole batch would, into the same records: the CSV
holds the same rows as the in-memory path's, bucket by bucket instead of in input
order. Entity labels wait in a temporary SQLite table for the endpoint checks,
which are the store's own (``check_endpoints``, same errors).
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Generic, TypeVar

from chipkg.export.neo4j_csv import CsvExport, CsvWriter
from chipkg.graph.store import WriteReport, check_endpoints, merge_batch_keyed
from chipkg.ontology import Claim, Entity

R = TypeVar("R", Entity, Claim)

#: Records per bucket (about 3 KiB each in memory while a bucket is merged).
BUCKET_RECORDS = 50_000
#: Records held in the buckets' write buffers together (pickled a list at a time,
#: which is 2.5x smaller and 1.6x faster than record by record).
BUFFERED = 20_000
#: Bucket files open at once, whatever the size (well under the usual 1024 descriptors).
MAX_BUCKETS = 512
#: Ids looked up in the label table per query.
LOOKUP = 50_000


class Buckets(Generic[R]):
    """Records spread over ``count`` files by the CRC-32 of their key; read back a file at a time."""

    def __init__(self, directory: Path, name: str, count: int) -> None:
        self.paths = [directory / f"{name}-{i}.pickle" for i in range(count)]
        self.files: list[IO[bytes]] = [path.open("wb") for path in self.paths]
        self.buffers: list[list[R]] = [[] for _ in range(count)]
        self.flush_at = max(64, BUFFERED // count)

    def add(self, key: str, record: R) -> None:
        """File one record under its key."""
        i = zlib.crc32(key.encode("utf-8")) % len(self.buffers)
        buffer = self.buffers[i]
        buffer.append(record)
        if len(buffer) >= self.flush_at:
            pickle.dump(buffer, self.files[i], protocol=pickle.HIGHEST_PROTOCOL)
            buffer.clear()

    def __iter__(self) -> Iterator[list[R]]:
        """Each bucket's records in the order they were added; its file is deleted once read."""
        self.close()
        for path, buffer in zip(self.paths, self.buffers, strict=True):
            records: list[R] = []
            with path.open("rb") as handle:
                while True:
                    try:
                        records += pickle.load(handle)  # our own scratch file, never input
                    except EOFError:
                        break
            path.unlink()
            records += buffer
            buffer.clear()
            yield records

    def close(self) -> None:
        """Close the files (written buffers stay in memory until read)."""
        for handle in self.files:
            handle.close()


def bucket_count(records: int) -> int:
    """Buckets for ``records`` records: about BUCKET_RECORDS each, at most MAX_BUCKETS files."""
    return min(MAX_BUCKETS, max(1, -(-records // BUCKET_RECORDS)))


class LabelTable:
    """Entity id -> label in a temporary SQLite file (deleted when closed)."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16384"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("BEGIN")
        self.db.execute("CREATE TABLE labels (id TEXT PRIMARY KEY, label TEXT NOT NULL)")

    def add(self, entities: Iterable[Entity]) -> None:
        """Remember the labels of merged entities (each id once)."""
        self.db.executemany("INSERT INTO labels VALUES (?, ?)", ((e.id, e.label) for e in entities))

    def get(self, ids: Iterable[str]) -> dict[str, str]:
        """The labels of those ``ids`` that are entities of the batch."""
        wanted = list(ids)
        found: dict[str, str] = {}
        query = "SELECT id, label FROM labels WHERE id IN (SELECT value FROM json_each(?))"
        for i in range(0, len(wanted), LOOKUP):
            found.update(self.db.execute(query, (json.dumps(wanted[i : i + LOOKUP]),)))
        return found

    def close(self) -> None:
        self.db.close()


def stream_neo4j_csv(
    entities: Iterable[Entity],
    claims: Iterable[Claim],
    counts: tuple[int, int],
    directory: Path,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[CsvExport, WriteReport]:
    """Merge, check and write the ``neo4j-csv`` files of a batch too big to hold at once.

    ``counts`` are the numbers of entities and claims (to size the buckets). Raises as
    ``merge_batch`` and ``check_endpoints`` would, leaving partial files in ``directory``.
    """
    scratch = directory / ".buckets"
    scratch.mkdir(parents=True, exist_ok=True)
    writer = CsvWriter(directory)
    labels = LabelTable()
    report = WriteReport()
    ents = Buckets[Entity](scratch, "entities", bucket_count(counts[0]))
    clms = Buckets[Claim](scratch, "claims", bucket_count(counts[1]))
    try:
        for entity in entities:
            ents.add(entity.id, entity)
            report.entities += 1
        for group in ents:
            merged, _ = merge_batch_keyed(group, ())
            labels.add(merged)
            for entity in merged:
                writer.entity(entity)
            report.new_entities += len(merged)
            group.clear()
        log(f"merged and wrote {report.new_entities:,} entities")
        _claims(claims, clms, labels, writer, report)
        log(f"merged, checked and wrote {report.new_claims:,} claims")
    except BaseException:
        writer.close()
        raise
    finally:
        labels.close()
        ents.close()
        clms.close()
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()
    return writer.finish(), report


def _claims(
    claims: Iterable[Claim],
    buckets: Buckets[Claim],
    labels: LabelTable,
    writer: CsvWriter,
    report: WriteReport,
) -> None:
    """Claims bucketed by key, then each bucket merged, checked and written."""
    for claim in claims:
        buckets.add(claim.key, claim)
        report.claims += 1
    for group in buckets:
        _, keyed = merge_batch_keyed((), group)
        merged = list(keyed.values())
        ids = {c.subject for c in merged} | {c.object for c in merged}
        ids.update(s for c in merged for s in c.sources)
        check_endpoints(merged, labels.get(ids), labels.get)
        for key, claim in keyed.items():
            writer.claim(claim, key)
        report.new_claims += len(keyed)
        group.clear()  # before the next bucket is read: one bucket in memory, not two
        keyed.clear()
        merged.clear()
