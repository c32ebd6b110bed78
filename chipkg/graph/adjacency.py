"""The traversal view kept on disk as integer-indexed arrays, opened by a memory map.

Building :class:`~chipkg.graph.view.GraphView` from a million claims costs tens of
seconds of object creation, and every process paid it before its first answer.
Here the view is written once per store base as one file: entity ids (sorted) and
their labels, one small ``marshal`` record per claim (no evidence: that stays in the
store), and for both directions a CSR index (claim numbers grouped by endpoint, in
claim-key order), and the same by the item a claim carries (SUPPLIES ``item``). Opening maps the file and builds nothing but an id -> number dict;
:class:`CompactView` decodes an entity or a claim the first time a query touches it.

Claims are numbered in key order and a key starts with its predicate, so the claims
of one type are one contiguous range: ``out(e, p)`` is two bisections inside ``e``'s
slice of the outgoing index. Journal segments written after the file are read and
laid over it (:meth:`CompactView.overlay`), so a write does not force a rebuild.
"""

from __future__ import annotations

import marshal
import mmap
import os
import shutil
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from sys import intern
from typing import IO, Any

from chipkg.graph.compact import decode_entity
from chipkg.graph.view import EMPTY, GraphView, Rel
from chipkg.ontology import Entity

#: 2: the item index (``item_order``/``item_start``); files of another version are rebuilt.
VERSION = 2
MAGIC = b"CHIPKGV1"
NO_LABEL = 255
#: Bytes per read when a temporary section is copied into the view file.
COPY_CHUNK = 1 << 20
#: Array sections of the file, in order, with their ``array`` type codes.
SECTIONS = (
    ("labels", "B"),
    ("ent_off", "q"),
    ("ent_buf", "B"),
    ("subj", "i"),
    ("obj", "i"),
    ("pred", "B"),
    ("rel_off", "q"),
    ("rel_buf", "B"),
    ("out_order", "i"),
    ("out_start", "i"),
    ("in_order", "i"),
    ("in_start", "i"),
    ("item_order", "i"),
    ("item_start", "i"),
)


class Tables:
    """The arrays of a view, mapped from a file written by :func:`write`."""

    def __init__(self, meta: dict[str, Any], parts: dict[str, Any]) -> None:
        self.meta = meta
        self.ids: list[str] = meta["ids"]
        self.label_names: list[str] = meta["label_names"]
        self.pred_names: list[str] = meta["pred_names"]
        self.pred_ranges: dict[str, tuple[int, int]] = meta["pred_ranges"]
        self.parts = parts

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["parts"][name]
        except KeyError:
            raise AttributeError(name) from None


def rel_record(rel: Rel) -> bytes:
    """What a claim keeps in the file besides its type and endpoints."""
    return marshal.dumps(
        (
            rel.key,
            rel.item,
            rel.negated,
            rel.valid_from,
            rel.valid_to,
            rel.sources,
            rel.properties,
        )
    )


class _Columns:
    """The integer columns of the claims, filled one claim at a time in key order."""

    def __init__(self) -> None:
        self.subj: array[int] = array("i")
        self.obj: array[int] = array("i")
        self.pred: array[int] = array("B")
        self.carried: array[int] = array("i")
        self.rel_off: array[int] = array("q", [0])
        self.pred_names: list[str] = []
        self.ranges: dict[str, tuple[int, int]] = {}


def write(
    entities: Iterable[tuple[str, str, bytes]],
    rels: Iterable[Rel],
    target: Path,
    extra: dict[str, Any],
) -> None:
    """Write the tables of (id, label, entity blob) triples and key-ordered ``rels``.

    Memory stays at a few integers per claim: each claim's record goes to a temporary
    file beside ``target`` as soon as it is read, so the caller's iterator can decode
    one claim at a time. Holding every relationship as an object (the earlier build,
    about 1 KB a claim) did not fit a 10M-link store into 24 GiB beside its records.
    """
    ents = {eid: (label, blob) for eid, label, blob in entities}
    number = {eid: n for n, eid in enumerate(sorted(ents))}
    columns = _Columns()
    with tempfile.TemporaryFile(dir=target.parent) as rel_file:
        _write_rels(rels, number, columns, rel_file)
        ids = _renumber(number, columns)
        label_names = sorted({label for label, _ in ents.values()})
        with tempfile.TemporaryFile(dir=target.parent) as ent_file:
            labels, ent_off = _write_entities(ids, ents, label_names, ent_file)
            sections: dict[str, Any] = {
                "labels": labels,
                "ent_off": ent_off,
                "ent_buf": ent_file,
                "subj": columns.subj,
                "obj": columns.obj,
                "pred": columns.pred,
                "rel_off": columns.rel_off,
                "rel_buf": rel_file,
            }
            ends = (columns.subj, "out"), (columns.obj, "in"), (columns.carried, "item")
            for column, prefix in ends:
                sections[f"{prefix}_order"], sections[f"{prefix}_start"] = _csr(column, len(ids))
            meta = {
                "version": VERSION,
                "ids": ids,
                "label_names": label_names,
                "pred_names": columns.pred_names,
                "pred_ranges": columns.ranges,
                **extra,
            }
            _save(meta, sections, target)


def _write_rels(
    rels: Iterable[Rel], number: dict[str, int], columns: _Columns, out: IO[bytes]
) -> None:
    """Append each claim's columns and record; ids not yet numbered get the next numbers."""
    pred_no: dict[str, int] = {}
    previous = ""
    size = 0
    for n, rel in enumerate(rels):
        if rel.key <= previous:
            raise ValueError(f"relationships out of key order at {rel.key!r}")
        previous = rel.key
        p = pred_no.get(rel.predicate)
        if p is None:
            p = pred_no[rel.predicate] = len(columns.pred_names)
            columns.pred_names.append(rel.predicate)
        start, _ = columns.ranges.get(rel.predicate, (n, n))
        columns.ranges[rel.predicate] = (start, n + 1)
        columns.subj.append(number.setdefault(rel.subject, len(number)))
        columns.obj.append(number.setdefault(rel.object, len(number)))
        columns.pred.append(p)
        item = rel.item
        columns.carried.append(-1 if item is None else number.setdefault(item, len(number)))
        record = rel_record(rel)
        out.write(record)
        size += len(record)
        columns.rel_off.append(size)


def _renumber(number: dict[str, int], columns: _Columns) -> list[str]:
    """Ids in sorted order; endpoints that are not entities are moved into their place."""
    ids = sorted(number)
    if all(number[eid] == n for n, eid in enumerate(ids)):
        return ids
    final = array("i", bytes(4 * len(ids)))
    for n, eid in enumerate(ids):
        final[number[eid]] = n
    for column in (columns.subj, columns.obj, columns.carried):
        for i, old in enumerate(column):
            if old >= 0:
                column[i] = final[old]
    return ids


def _write_entities(
    ids: list[str], ents: dict[str, tuple[str, bytes]], label_names: list[str], out: IO[bytes]
) -> tuple[array[int], array[int]]:
    """Entity blobs in id order into ``out``; their label numbers and offsets."""
    label_no = {name: n for n, name in enumerate(label_names)}
    labels = array("B")
    offsets = array("q", [0])
    size = 0
    for eid in ids:
        label, blob = ents.get(eid, (None, b""))
        labels.append(NO_LABEL if label is None else label_no[label])
        out.write(blob)
        size += len(blob)
        offsets.append(size)
    return labels, offsets


def _csr(ends: array[int], nodes: int) -> tuple[array[int], array[int]]:
    """Claim numbers grouped by endpoint (key order kept inside a group), and group starts.

    A negative endpoint (a claim without an item) is left out.
    """
    counts = [0] * (nodes + 1)
    for node in ends:
        if node >= 0:
            counts[node + 1] += 1
    for n in range(nodes):
        counts[n + 1] += counts[n]
    start = array("i", counts)
    fill = counts[:-1]
    order = array("i", bytes(4 * counts[nodes]))
    for claim, node in enumerate(ends):
        if node >= 0:
            order[fill[node]] = claim
            fill[node] += 1
    return order, start


def _save(meta: dict[str, Any], sections: dict[str, Any], target: Path) -> None:
    """Write header and sections atomically (temporary file, fsync, rename).

    A section is an array or an open temporary file (copied from its start).
    """
    offsets = []
    position = 0
    for name, _ in SECTIONS:
        length = _length(sections[name])
        offsets.append((name, position, length))
        position += length
    head = marshal.dumps({**meta, "sections": offsets})
    fd, tmp = tempfile.mkstemp(prefix=".view-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + len(head).to_bytes(8, "little") + head)
            for name, _ in SECTIONS:
                section = sections[name]
                if isinstance(section, array):
                    section.tofile(handle)
                else:
                    section.seek(0)
                    shutil.copyfileobj(section, handle, COPY_CHUNK)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _length(section: Any) -> int:
    if isinstance(section, array):
        return len(section) * section.itemsize
    section.flush()
    return os.fstat(section.fileno()).st_size


def load(path: Path) -> Tables | None:
    """Map a tables file; None when it is absent or not of this version."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (FileNotFoundError, ValueError):
        return None
    if mapped[:8] != MAGIC:
        return None
    size = int.from_bytes(mapped[8:16], "little")
    meta = marshal.loads(mapped[16 : 16 + size])
    if not isinstance(meta, dict) or meta.get("version") != VERSION:
        return None
    view = memoryview(mapped)
    base = 16 + size
    codes: dict[str, Any] = dict(SECTIONS)
    parts: dict[str, Any] = {}
    for name, offset, length in meta["sections"]:
        chunk = view[base + offset : base + offset + length]
        parts[name] = chunk if codes[name] == "B" else chunk.cast(codes[name])
    parts["_mmap"] = mapped
    return Tables(meta, parts)


class _Entities(Mapping[str, Entity]):
    """Entities by id, decoded on first use (plus entities laid over from segments)."""

    def __init__(self, tables: Tables, number: dict[str, int]) -> None:
        self._t = tables
        self._number = number
        self._decoded: dict[str, Entity] = {}
        self.extra: dict[str, Entity] = {}

    def __getitem__(self, entity_id: str) -> Entity:
        found = self.extra.get(entity_id) or self._decoded.get(entity_id)
        if found is not None:
            return found
        n = self._number.get(entity_id)
        if n is None or self._t.labels[n] == NO_LABEL:
            raise KeyError(entity_id)
        start, end = self._t.ent_off[n], self._t.ent_off[n + 1]
        label = self._t.label_names[self._t.labels[n]]
        entity = decode_entity(entity_id, label, bytes(self._t.ent_buf[start:end]))
        self._decoded[entity_id] = entity
        return entity

    def get(self, entity_id: str, default: Any = None) -> Any:
        """The entity, or ``default`` (without raising and catching KeyError per miss)."""
        found = self.extra.get(entity_id) or self._decoded.get(entity_id)
        if found is not None:
            return found
        if self.label_of(entity_id) is None:
            return default
        return self[entity_id]

    def label_of(self, entity_id: str) -> str | None:
        """The label without decoding the entity."""
        extra = self.extra.get(entity_id)
        if extra is not None:
            return extra.label
        n = self._number.get(entity_id)
        if n is None or self._t.labels[n] == NO_LABEL:
            return None
        name: str = self._t.label_names[self._t.labels[n]]
        return name

    def ids(self) -> list[str]:
        """Every entity id, sorted."""
        labels = self._t.labels
        base = [i for n, i in enumerate(self._t.ids) if labels[n] != NO_LABEL]
        return sorted(set(base) | self.extra.keys()) if self.extra else base

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids())

    def __len__(self) -> int:
        return len(self.ids())

    def __contains__(self, entity_id: object) -> bool:
        return isinstance(entity_id, str) and self.label_of(entity_id) is not None


class _ByType(Mapping[str, list[Rel]]):
    """Claims of each type, in key order, materialised per type when asked."""

    def __init__(self, view: CompactView) -> None:
        self._view = view
        self._lists: dict[str, list[Rel]] = {}

    def __getitem__(self, predicate: str) -> list[Rel]:
        found = self._lists.get(predicate)
        if found is None:
            found = self._view.of_type(predicate)
            if not found:
                raise KeyError(predicate)
            self._lists[predicate] = found
        return found

    def __iter__(self) -> Iterator[str]:
        names = set(self._view.tables.pred_names) | self._view.by_type_extra.keys()
        return iter(sorted(n for n in names if self._view.of_type(n)))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CompactView(GraphView):
    """A :class:`GraphView` over mapped tables; same methods, nothing built up front."""

    def __init__(self, tables: Tables) -> None:
        super().__init__()
        self.tables = tables
        self._number = {eid: n for n, eid in enumerate(tables.ids)}
        self._rels: list[Rel | None] = [None] * len(tables.subj)
        self._replaced: set[str] = set()
        self.by_type_extra: dict[str, list[Rel]] = {}
        self.entities = _Entities(tables, self._number)  # type: ignore[assignment]
        self.by_type = _ByType(self)  # type: ignore[assignment]
        self._label_ids: dict[str, list[str]] = {}
        self._csr = {
            "out": (tables.out_order, tables.out_start),
            "in": (tables.in_order, tables.in_start),
            "item": (tables.item_order, tables.item_start),
        }

    def _rel(self, n: int) -> Rel:
        rel = self._rels[n]
        if rel is None:
            t = self.tables
            key, item, negated, start, end, sources, props = marshal.loads(
                t.rel_buf[t.rel_off[n] : t.rel_off[n + 1]]
            )
            rel = self._rels[n] = Rel(
                key=key,
                predicate=t.pred_names[t.pred[n]],
                subject=t.ids[t.subj[n]],
                object=t.ids[t.obj[n]],
                item=intern(item) if item is not None else None,
                negated=negated,
                valid_from=start,
                valid_to=end,
                sources=sources,
                properties=props,
            )
        return rel

    def _base(self, entity_id: str, predicate: str, direction: str) -> list[Rel]:
        n = self._number.get(entity_id)
        span = self.tables.pred_ranges.get(predicate)
        if n is None or span is None:
            return []
        order, starts = self._csr[direction]
        lo, hi = starts[n], starts[n + 1]
        first = bisect_left(order, span[0], lo, hi)
        last = bisect_left(order, span[1], first, hi)
        rels = [self._rel(order[i]) for i in range(first, last)]
        if self._replaced:
            rels = [r for r in rels if r.key not in self._replaced]
        return rels

    def out(self, entity_id: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose subject is ``entity_id`` (key order, base then overlay)."""
        extra = self.outgoing.get(entity_id, {}).get(predicate, EMPTY)
        base = self._base(entity_id, predicate, "out")
        return _sorted(base, extra) if extra else (base or EMPTY)

    def into(self, entity_id: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose object is ``entity_id``."""
        extra = self.incoming.get(entity_id, {}).get(predicate, EMPTY)
        base = self._base(entity_id, predicate, "in")
        return _sorted(base, extra) if extra else (base or EMPTY)

    def carrying(self, item: str, predicate: str) -> list[Rel] | tuple[Rel, ...]:
        """Claims of one type whose ``item`` is ``item`` (key order, base then overlay)."""
        extra = self.by_item.get(item, {}).get(predicate, EMPTY)
        base = self._base(item, predicate, "item")
        return _sorted(base, extra) if extra else (base or EMPTY)

    def of_type(self, predicate: str) -> list[Rel]:
        """Every claim of one type, in key order."""
        start, end = self.tables.pred_ranges.get(predicate, (0, 0))
        rels = [self._rel(n) for n in range(start, end)]
        if self._replaced:
            rels = [r for r in rels if r.key not in self._replaced]
        extra = self.by_type_extra.get(predicate, [])
        return _sorted(rels, extra) if extra else rels

    def label(self, entity_id: str) -> str | None:
        """The entity's label, or None when the id is not an entity."""
        entities: _Entities = self.entities  # type: ignore[assignment]
        return entities.label_of(entity_id)

    def of_label(self, label: str) -> list[Entity]:
        """Entities of one label, sorted by id (only those are decoded; ids cached per label)."""
        entities: _Entities = self.entities  # type: ignore[assignment]
        ids = self._label_ids.get(label)
        if ids is None:
            ids = self._label_ids[label] = [
                i for i in entities.ids() if entities.label_of(i) == label
            ]
        return [entities[i] for i in ids]

    def add(self, rel: Rel) -> None:
        """Lay one relationship over the tables (a newer version replaces the stored one)."""
        if self._key_number(rel.key) is not None:
            self._replaced.add(rel.key)
        older = [
            r for r in self.outgoing.get(rel.subject, {}).get(rel.predicate, []) if r.key == rel.key
        ]
        for index in (self.outgoing.get(rel.subject, {}), self.incoming.get(rel.object, {})):
            for rels in index.values():
                rels[:] = [r for r in rels if r.key != rel.key]
        for old in older:
            if old.item is not None:
                rels = self.by_item[old.item][rel.predicate]
                rels[:] = [r for r in rels if r.key != rel.key]
        kept = [r for r in self.by_type_extra.get(rel.predicate, []) if r.key != rel.key]
        self.by_type_extra[rel.predicate] = [*kept, rel]
        self.outgoing.setdefault(rel.subject, {}).setdefault(rel.predicate, []).append(rel)
        self.incoming.setdefault(rel.object, {}).setdefault(rel.predicate, []).append(rel)
        if rel.item is not None:
            self.by_item.setdefault(rel.item, {}).setdefault(rel.predicate, []).append(rel)
        self.by_type._lists.pop(rel.predicate, None)  # type: ignore[attr-defined]

    def add_entity(self, entity: Entity) -> None:
        """Lay one entity over the tables (replacing the stored version)."""
        self.entities.extra[entity.id] = entity  # type: ignore[attr-defined]
        self.refs.pop(entity.id, None)
        self._label_ids.clear()

    def _key_number(self, key: str) -> int | None:
        """The claim number of a key in the tables (bisection over key order), or None."""
        start, end = self.tables.pred_ranges.get(key.split("|", 1)[0], (0, 0))
        n = bisect_left(range(start, end), key, key=lambda i: self._rel(i).key)
        return start + n if start + n < end and self._rel(start + n).key == key else None


def _sorted(base: list[Rel], extra: Iterable[Rel]) -> list[Rel]:
    return sorted([*base, *extra], key=lambda r: r.key)
