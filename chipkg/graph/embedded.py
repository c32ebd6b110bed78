"""The embedded default store: compact in-memory indexes persisted as JSON-lines files.

It needs no server. Records live in memory as small JSON blobs (see
:mod:`chipkg.graph.compact`) indexed by id, by claim key and by endpoint, so a
million supply links with full provenance fit in about a gigabyte.

On disk the graph is ``graph.jsonl`` (chipkg's own line format, sorted) plus
journal segments ``graph-NNNNNN.jsonl`` holding the records each later write
changed. Every write validates the whole batch, writes its segment to a
temporary file and renames it into place: the rename is the commit point, so a
crash mid-write leaves the previous files intact, and memory is only updated
after the rename. Reading applies the base, then the segments in order, merging
records by id and key (merging is idempotent, so a segment that survived a
compaction changes nothing). Segments are merged size-tiered, as in an LSM tree:
when the newest :data:`FANOUT` segments are of one size tier, their bytes are
concatenated into one new segment (applying it equals applying them in order);
everything is rewritten into a new sorted base, the same atomic way, only once the
lines that later lines replaced (stale) reach :data:`GARBAGE_RATIO` of the live records,
or the segments reach :data:`MAX_SEGMENTS`. A rewrite encodes every record again, as
dear as writing it (a merge only copies bytes), so a load of new records never pays one:
each record is copied about log(FANOUT) of (store / segment) times and the bytes written
grow as n log n, not n squared.

Several processes may share one store (see :mod:`chipkg.graph.locking`). Every
change (write, compaction, clear) holds an exclusive ``flock`` on ``.lock`` and,
before merging, reads whatever other processes committed since this one
opened: segment numbers are chosen under the lock and a compaction merges, then
deletes, exactly the segments it read. Readers take no lock: they open the base
and every listed segment, then check that the base is still the same file; a
compaction in between (the base was replaced) makes them start again, so they
only ever see a committed state.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from chipkg.errors import DiskFullError, OntologyError, StoreError
from chipkg.graph import locking
from chipkg.graph.compact import (
    claim_line,
    claim_line_and_blob,
    decode_claim,
    decode_entity,
    encode_claim,
    encode_claim_obj,
    encode_entity,
    entity_line,
    parse,
    stored_claim_key,
    stored_entity,
    stored_entity_line,
)
from chipkg.graph.store import Counts, Store, WriteReport, check_endpoints, merge_batch_keyed
from chipkg.ontology import ONTOLOGY, Claim, Entity

if TYPE_CHECKING:
    from chipkg.graph.view import GraphView

GRAPH_FILE = "graph.jsonl"
SEGMENT_RE = re.compile(r"^graph-(\d{6})\.jsonl$")
#: Hard cap on segments: reaching it rewrites the base (the tiers keep far fewer).
MAX_SEGMENTS = 48
#: The newest FANOUT segments of one size tier are merged into one. Chosen by simulating
#: the bytes written by a 10M-link load in 10,000-record batches (about 44 GB, nearly all of
#: it merges, at most 24 segments; FANOUT 4: 68 GB; the old full rewrite every 48 segments:
#: 252 GB, all of it rewrites): see bench/RESULTS.md.
FANOUT = 8
#: Segments up to this size are tier 0; tier k holds up to TIER_BYTES * FANOUT**k bytes.
TIER_BYTES = 1 << 20
#: The base is rewritten once the stale lines (replaced by a later line of the same id or
#: key) reach this share of the live records: the rewrite then shrinks the files by a third
#: or more. Rewriting whenever the segments outweighed the base (at 3, 9, 27... batches)
#: cost as much CPU as the load itself (bench/RESULTS.md, session 7).
GARBAGE_RATIO = 0.5
#: Lines joined into one write when a file is written.
WRITE_CHUNK = 2_000
#: Bytes per read and write when segments are concatenated.
COPY_BYTES = 4 << 20
SNAPSHOT_TRIES = 50


@dataclass(frozen=True)
class ViewState:
    """Which files a view reflects: the base (device, inode, size, mtime) and segments."""

    base: tuple[int, int, int, int] | None
    segments: tuple[str, ...]


def default_db_path() -> Path:
    """``$CHIPKG_DB``, else ``$XDG_DATA_HOME/chipkg/db`` (``~/.local/share/chipkg/db``)."""
    env = os.environ.get("CHIPKG_DB")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "chipkg" / "db"


class EmbeddedStore(Store):
    """Entities by id and claims by key, with endpoint indexes, saved under ``path``."""

    backend = "embedded"
    revision: int = 0  # bumped on every change (overrides Store.revision)

    def __init__(
        self, path: Path | None = None, lock_timeout: float | None = None, lazy: bool = False
    ) -> None:
        """Open the store; ``lazy`` defers reading its files until a record is needed.

        A lazy store answers queries and ``get`` from the persisted traversal view
        (:mod:`chipkg.graph.persisted`) without reading the graph at all; a corrupt
        file is then reported when the records are first read, not here.
        """
        self.path = (path or default_db_path()).expanduser()
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"--db {self.path} is a file; it must be a directory")
        #: Seconds a change waits for another process's writer lock (None: forever).
        self.lock_timeout = lock_timeout
        self._base_handle: IO[str] | None = None
        self._pinned: ViewState | None = None
        self._reset()
        self._loaded = False
        if not lazy:
            self._ensure()

    def _ensure(self) -> None:
        """Read the files, once (a lazy store does it at its first use of records)."""
        if not self._loaded:
            self._load()
            self._loaded = True

    def _reset(self) -> None:
        self._labels: dict[str, str] = {}
        self._entities: dict[str, bytes] = {}
        self._claims: dict[str, bytes] = {}
        self._out: dict[str, list[str]] = {}
        self._in: dict[str, list[str]] = {}
        self._node_counts: Counter[str] = Counter()
        self._rel_counts: Counter[str] = Counter()
        #: Bumped on every change, so callers can cache views of the store.
        self.revision = 0
        #: The base file read (its identity) and the segments applied on top of it.
        self._base_id: tuple[int, int] | None = None
        self._applied: set[str] = set()
        #: Lines in those files that a later line of the same id or key replaced.
        self._stale = 0

    @property
    def file(self) -> Path:
        """The base JSON-lines file of the graph."""
        return self.path / GRAPH_FILE

    def segments(self) -> list[Path]:
        """Journal segments, oldest first."""
        if not self.path.is_dir():
            return []
        found = [p for p in self.path.iterdir() if SEGMENT_RE.match(p.name)]
        return sorted(found, key=lambda p: p.name)

    # -- reading the files ----------------------------------------------------------

    def _load(self) -> None:
        """Read a consistent snapshot: retry when a compaction replaced the base meanwhile."""
        for _ in range(SNAPSHOT_TRIES):
            snapshot = self._open_snapshot()
            if snapshot is None:
                continue
            base_id, files = snapshot
            try:
                for file, handle in files:
                    self._load_handle(file, handle)
            except BaseException:
                for _, handle in files:
                    handle.close()
                raise
            for file, handle in files:
                if file != self.file:
                    handle.close()
            self._hold_base(files[0][1] if base_id else None, base_id)
            self._applied = {f.name for f, _ in files if f != self.file}
            return
        raise StoreError(f"{self.path}: the store kept changing while being read; try again")

    def _open_snapshot(self) -> tuple[tuple[int, int] | None, list[tuple[Path, IO[str]]]] | None:
        """Open base and segments; None if the base changed before all were open."""
        files: list[tuple[Path, IO[str]]] = []
        try:
            base = _open_or_none(self.file)
            base_id = _identity_of_handle(base) if base else None
            if base is not None:
                files.append((self.file, base))
            for segment in self.segments():
                handle = _open_or_none(segment)
                if handle is None:  # deleted by a compaction since the listing
                    raise _Changed
                files.append((segment, handle))
            if _identity(self.file) != base_id:
                raise _Changed
        except _Changed:
            for _, handle in files:
                handle.close()
            return None
        return base_id, files

    def _load_file(self, file: Path) -> None:
        try:
            with file.open(encoding="utf-8") as handle:
                self._load_handle(file, handle)
        except OSError as exc:
            raise StoreError(f"cannot read {file}: {exc.strerror or exc}") from exc

    def _load_handle(self, file: Path, handle: IO[str]) -> None:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    self._load_line(file, number, line)
        except OSError as exc:
            raise StoreError(f"cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise StoreError(f"{file}: corrupt store file: {exc.reason}") from exc

    def _catch_up(self) -> None:
        """Under the writer lock: apply what other processes committed since we read."""
        if not self._loaded:
            self._ensure()
            return
        if _identity(self.file) != self._base_id:
            revision = self.revision
            self._reset()
            self._load()
            self.revision = revision + 1
            return
        for segment in self.segments():
            if segment.name not in self._applied:
                self._load_file(segment)
                self._applied.add(segment.name)
                self.revision += 1

    def _load_line(self, file: Path, number: int, line: str) -> None:
        """Index one stored record; the file was validated when written, so only shape is checked."""
        try:
            obj = parse(line)
            kind = obj["kind"]
            if kind == "entity":
                entity = stored_entity(obj)
                self._check_label(entity.label)
                self._stale += entity.id in self._labels
                self._put_entity(entity, self._merged_entity(entity))
            elif kind == "claim":
                predicate, key = stored_claim_key(obj)
                if not obj["evidence"]:
                    raise ValueError("claim without evidence")
                if key in self._claims:
                    self._stale += 1
                    stored = decode_claim(predicate, self._claims[key])
                    again = decode_claim(predicate, encode_claim_obj(obj))
                    self._put_claim(key, stored.merged_with(again))
                else:
                    self._index_claim(
                        key, predicate, obj["subject"], obj["object"], encode_claim_obj(obj)
                    )
            else:
                raise ValueError(f"'kind' must be 'entity' or 'claim', got {kind!r}")
        except (ValueError, KeyError, TypeError, AttributeError, OntologyError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"{file}:{number}: corrupt store record: {reason}") from exc

    @staticmethod
    def _check_label(label: str) -> None:
        if label not in ONTOLOGY.labels:
            raise ValueError(f"unknown label {label!r}")

    # -- the in-memory indexes ------------------------------------------------------

    def _merged_entity(self, entity: Entity) -> Entity:
        """``entity`` merged with its stored version (raises on a label clash)."""
        label = self._labels.get(entity.id)
        if label is None:
            return entity
        return decode_entity(entity.id, label, self._entities[entity.id]).merged_with(entity)

    def _put_entity(self, entity: Entity, merged: Entity) -> bool:
        new = entity.id not in self._labels
        if new:
            self._node_counts[entity.label] += 1
        self._labels[entity.id] = merged.label
        self._entities[entity.id] = encode_entity(merged)
        return new

    def _index_claim(self, key: str, predicate: str, subject: str, obj: str, blob: bytes) -> None:
        self._claims[key] = blob
        self._out.setdefault(subject, []).append(key)
        self._in.setdefault(obj, []).append(key)
        self._rel_counts[predicate] += 1

    def _put_claim(self, key: str, claim: Claim) -> bool:
        return self._put_blob(key, claim, encode_claim(claim))

    def _put_blob(self, key: str, claim: Claim, blob: bytes) -> bool:
        if key in self._claims:
            self._claims[key] = blob
            return False
        self._index_claim(key, claim.predicate, claim.subject, claim.object, blob)
        return True

    def _stored_labels(self, ids: set[str]) -> dict[str, str]:
        return {i: self._labels[i] for i in ids if i in self._labels}

    # -- writing --------------------------------------------------------------------

    def write(self, entities: Sequence[Entity], claims: Sequence[Claim]) -> WriteReport:
        """Validate the batch, persist what it changes, then apply it; on error nothing changes."""
        ents, keyed = merge_batch_keyed(entities, claims)
        with self._locked():
            check_endpoints(keyed.values(), {e.id: e.label for e in ents}, self._stored_labels)
            changed_entities = self._changed_entities(ents)
            changed_claims = self._changed_claims(keyed)
            report = WriteReport(entities=len(entities), claims=len(claims))
            if changed_entities or changed_claims:
                blobs = self._persist(changed_entities, changed_claims)
                report.new_entities = sum(self._put_entity(e, e) for e in changed_entities)
                report.new_claims = sum(
                    self._put_blob(key, claim, blobs[key]) for key, claim in changed_claims.items()
                )
                self.revision += 1
        return report

    def _locked(self) -> locking.WriterLock:
        """The writer lock; on entry, stale temporary files go and other writes are read."""
        return locking.WriterLock(self.path, self.lock_timeout, on_acquire=self._on_lock)

    def _on_lock(self) -> None:
        for pattern in (".graph-*.tmp", ".view-*.tmp"):
            for stale in self.path.glob(pattern):
                stale.unlink(missing_ok=True)
        self._catch_up()

    def _changed_entities(self, entities: list[Entity]) -> list[Entity]:
        """Merged versions of the batch's entities that differ from what is stored."""
        changed = []
        for entity in entities:
            label = self._labels.get(entity.id)
            if label is None:
                changed.append(entity)
                continue
            stored = decode_entity(entity.id, label, self._entities[entity.id])
            merged = stored.merged_with(entity)  # raises on a label clash
            if merged != stored:
                changed.append(merged)
        return changed

    def _changed_claims(self, claims: dict[str, Claim]) -> dict[str, Claim]:
        """Merged versions of the batch's claims that differ from what is stored, by key."""
        changed: dict[str, Claim] = {}
        stored_blobs = self._claims
        for key, claim in claims.items():
            blob = stored_blobs.get(key)
            if blob is None:
                changed[key] = claim
                continue
            stored = decode_claim(claim.predicate, blob)
            merged = stored.merged_with(claim)
            if merged != stored:
                changed[key] = merged
        return changed

    def _persist(self, entities: list[Entity], claims: dict[str, Claim]) -> dict[str, bytes]:
        """Commit records to disk: a new segment, or a new base when that is due.

        Returns the in-memory blob of every claim written, made from the same dict
        as its line, so each claim is turned into JSON once for the file and once
        for memory, without a second pass over its fields.
        """
        blobs: dict[str, bytes] = {}
        segments = self.segments()
        if not self.file.exists() and not segments and not self._labels and not self._claims:
            ordered = {key: claims[key] for key in sorted(claims)}
            ents = sorted(entities, key=lambda e: e.id)
            self._write_atomically(self.file, _lines(ents, ordered, blobs))
            self._new_base()
        elif len(segments) + 1 >= MAX_SEGMENTS:
            self._compact(entities, claims, blobs)
        else:
            segment = self.path / _segment_name(segments)
            self._write_atomically(segment, _lines(entities, claims, blobs))
            self._applied.add(segment.name)
            self._tidy([*segments, segment], entities, claims, blobs)
        return blobs

    def _tidy(
        self,
        segments: list[Path],
        entities: list[Entity],
        claims: dict[str, Claim],
        blobs: dict[str, bytes],
    ) -> None:
        """Merge the newest segments of one tier; rewrite the base once stale lines pile up.

        The batch just written is not in memory yet, so a new base takes it from the batch.
        """
        self._stale += sum(e.id in self._labels for e in entities)
        self._stale += sum(key in self._claims for key in claims)
        if self._stale and self._stale >= GARBAGE_RATIO * (len(self._labels) + len(self._claims)):
            self._compact(entities, claims, blobs)
            return
        sizes = [_size(segment) for segment in segments]
        while len(segments) >= FANOUT and len({_tier(n) for n in sizes[-FANOUT:]}) == 1:
            merged = self._merge_segments(segments[-FANOUT:], _segment_name(segments))
            segments[-FANOUT:], sizes[-FANOUT:] = [merged], [sum(sizes[-FANOUT:])]

    def _merge_segments(self, old: list[Path], name: str) -> Path:
        """Concatenate segments, in order, into a new one numbered after them; drop them.

        A crash before the old ones are gone leaves both: applying a record twice
        changes nothing. Readers that opened the old ones keep reading them.
        """
        target = self.path / name

        def copy(handle: IO[bytes]) -> None:
            for segment in old:
                with segment.open("rb") as source:
                    shutil.copyfileobj(source, handle, COPY_BYTES)

        self._write_file(target, copy)
        for segment in old:
            segment.unlink(missing_ok=True)
            self._applied.discard(segment.name)
        self._applied.add(target.name)
        return target

    def _compact(
        self, entities: list[Entity], claims: dict[str, Claim], blobs: dict[str, bytes]
    ) -> None:
        """Rewrite everything, the batch included, as one sorted base; then drop the segments."""
        new_entities = {e.id: e for e in entities}
        ids = sorted(self._labels.keys() | new_entities.keys())
        keys = sorted(self._claims.keys() | claims.keys())
        lines = _chain(
            (self._entity_line(i, new_entities) for i in ids),
            (
                _claim_line(k, claims, blobs)
                if k in claims
                else claim_line(k.split("|", 1)[0], self._claims[k])
                for k in keys
            ),
        )
        old = self.segments()
        self._write_atomically(self.file, lines)
        self._new_base()
        for segment in old:
            segment.unlink(missing_ok=True)

    def _entity_line(self, entity_id: str, batch: dict[str, Entity]) -> str:
        """An entity's stored line: from the batch being written, else from its blob."""
        entity = batch.get(entity_id)
        if entity is not None:
            return stored_entity_line(entity)
        return entity_line(entity_id, self._labels[entity_id], self._entities[entity_id])

    def _new_base(self) -> None:
        """Remember the base this process just wrote (it holds everything applied so far)."""
        handle = _open_or_none(self.file)
        self._hold_base(handle, _identity_of_handle(handle) if handle else None)
        self._applied = set()
        self._stale = 0

    def _hold_base(self, handle: IO[str] | None, base_id: tuple[int, int] | None) -> None:
        """Keep the base we read open: while it is, no new file can reuse its inode number."""
        if self._base_handle is not None:
            self._base_handle.close()
        self._base_handle = handle
        self._base_id = base_id

    def close(self) -> None:
        """Let go of the base file."""
        self._hold_base(None, None)

    def __del__(self) -> None:
        handle = getattr(self, "_base_handle", None)
        if handle is not None:  # a store dropped without close(): no ResourceWarning
            handle.close()

    def _write_atomically(self, target: Path, lines: Iterable[str]) -> None:
        """Write lines to a temporary file, fsync, and rename it over ``target``.

        Lines go out joined in chunks of :data:`WRITE_CHUNK` (one system call and one
        UTF-8 encoding per chunk instead of per line).
        """

        def write(handle: IO[bytes]) -> None:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) >= WRITE_CHUNK:
                    handle.write(("\n".join(chunk) + "\n").encode("utf-8"))
                    chunk.clear()
            if chunk:
                handle.write(("\n".join(chunk) + "\n").encode("utf-8"))

        self._write_file(target, write)

    def _write_file(self, target: Path, write: Callable[[IO[bytes]], None]) -> None:
        """Let ``write`` fill a temporary file; fsync it and rename it over ``target``."""
        tmp: str | None = None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self.path)
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise write_error(target, exc) from exc
            raise

    def save(self) -> None:
        """Rewrite the whole graph as one sorted base file (compaction)."""
        with self._locked():
            self._compact([], {}, {})

    # -- reading --------------------------------------------------------------------

    def _entity(self, entity_id: str) -> Entity:
        return decode_entity(entity_id, self._labels[entity_id], self._entities[entity_id])

    def _claim(self, key: str) -> Claim:
        return decode_claim(key.split("|", 1)[0], self._claims[key])

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None (a lazy store asks its persisted view)."""
        if not self._loaded:
            return self._view().entities.get(entity_id)
        return self._entity(entity_id) if entity_id in self._labels else None

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Entities sorted by id, optionally of one label."""
        if not self._loaded:
            view = self._view()
            for entity_id in sorted(view.entities):
                if label is None or view.label(entity_id) == label:
                    yield view.entities[entity_id]
            return
        labels = self._labels
        ids = sorted(i for i in labels if label is None or labels[i] == label)
        for entity_id in ids:
            yield self._entity(entity_id)

    def claims(
        self,
        predicate: str | None = None,
        subject: str | None = None,
        object: str | None = None,
    ) -> Iterator[Claim]:
        """Claims sorted by key, filtered by type and endpoints."""
        self._ensure()
        keys: Iterable[str]
        if subject is not None:
            keys = self._out.get(subject, ())
        elif object is not None:
            keys = self._in.get(object, ())
        else:
            keys = self._claims
        if predicate is not None:
            prefix = predicate + "|"
            keys = [k for k in keys if k.startswith(prefix)]
        for key in sorted(keys):
            claim = self._claim(key)
            if object is None or claim.object == object:
                yield claim

    def counts(self) -> Counts:
        """Node and relationship counts (kept up to date by every write)."""
        self._ensure()
        return Counts(nodes=dict(self._node_counts), relationships=dict(self._rel_counts))

    def clear(self) -> None:
        """Empty the graph and its files."""
        with self._locked():
            old = self.segments()
            self._write_atomically(self.file, [])
            for segment in old:
                segment.unlink(missing_ok=True)
            revision = self.revision
            self._reset()
            self._new_base()
            self.revision = revision + 1

    # -- the persisted traversal view (chipkg.graph.persisted) -------------------------

    def _view(self) -> GraphView:
        from chipkg.graph.view import view_of

        return view_of(self)

    def view_state(self) -> ViewState:
        """The files the records (or, before they are read, the view) reflect."""
        if self._loaded:
            return self.loaded_state()
        if self._pinned is None:
            self._pinned = self._disk_state()
        return self._pinned

    def loaded_state(self) -> ViewState:
        """Read the records if need be; the base and segments they were read from."""
        self._ensure()
        base = None
        if self._base_handle is not None:
            info = os.fstat(self._base_handle.fileno())
            base = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        return ViewState(base, tuple(sorted(self._applied)))

    def _disk_state(self) -> ViewState:
        """The committed files now: base stamp and segment names, seen unchanged twice."""
        for _ in range(SNAPSHOT_TRIES):
            before = _stamp(self.file)
            names = tuple(p.name for p in self.segments())
            if _stamp(self.file) == before:
                return ViewState(before, names)
        raise StoreError(f"{self.path}: the store kept changing while being read; try again")

    def entity_blobs(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, label, compact blob) of every entity (reads the records if need be)."""
        self._ensure()
        labels = self._labels
        return ((i, labels[i], blob) for i, blob in self._entities.items())

    def claim_blobs(self, ordered: bool = False) -> Iterator[tuple[str, bytes]]:
        """(key, compact blob) of every claim, by key if ``ordered`` (reads the records if need be)."""
        self._ensure()
        if not ordered:
            return iter(self._claims.items())
        claims = self._claims
        return ((key, claims[key]) for key in sorted(claims))

    def stats(self) -> dict[str, Any]:
        """Sizes of the in-memory indexes (for benchmarks)."""
        self._ensure()
        return {
            "entities": len(self._labels),
            "claims": len(self._claims),
            "entity_bytes": sum(len(b) for b in self._entities.values()),
            "claim_bytes": sum(len(b) for b in self._claims.values()),
            "segments": len(self.segments()),
        }


def _lines(
    entities: Iterable[Entity], claims: dict[str, Claim], blobs: dict[str, bytes]
) -> Iterator[str]:
    """Stored lines of the entities, then of the claims (their blobs land in ``blobs``)."""
    for entity in entities:
        yield stored_entity_line(entity)
    for key in claims:
        yield _claim_line(key, claims, blobs)


def _claim_line(key: str, claims: dict[str, Claim], blobs: dict[str, bytes]) -> str:
    line, blobs[key] = claim_line_and_blob(claims[key])
    return line


def _chain(*parts: Iterable[str]) -> Iterator[str]:
    for part in parts:
        yield from part


def _segment_name(segments: list[Path]) -> str:
    """The name of a new segment: numbered after the newest one."""
    match = SEGMENT_RE.match(segments[-1].name) if segments else None
    return f"graph-{int(match.group(1)) + 1 if match else 1:06d}.jsonl"


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except FileNotFoundError:
        return 0


def _tier(size: int, fanout: int | None = None) -> int:
    """0 up to TIER_BYTES, then one more for every ``fanout`` (FANOUT) times as many bytes."""
    tier, bound = 0, TIER_BYTES
    while size > bound:
        tier, bound = tier + 1, bound * (fanout or FANOUT)
    return tier


class _Changed(Exception):
    """The files changed while a snapshot was being opened."""


def _open_or_none(file: Path) -> IO[str] | None:
    try:
        return file.open(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {file}: {exc.strerror or exc}") from exc


def _identity_of_handle(handle: IO[str]) -> tuple[int, int]:
    info = os.fstat(handle.fileno())
    return (info.st_dev, info.st_ino)


def _stamp(file: Path) -> tuple[int, int, int, int] | None:
    """Device, inode, size and modification time: which base file a view was built from."""
    try:
        info = file.stat()
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _identity(file: Path) -> tuple[int, int] | None:
    """Device and inode of a file: a rename over it (a new base) changes them."""
    try:
        info = file.stat()
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


def write_error(target: Path, exc: OSError) -> StoreError:
    """One line naming the file; a full disk is its own error (exit 2)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"{target}: no space left on the device; nothing was written")
    return StoreError(f"cannot write {target}: {exc.strerror or exc}")
