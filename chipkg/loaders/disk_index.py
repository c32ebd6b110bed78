"""On-disk maps for streamed loads: what grows with an input file lives in SQLite, not RAM.

A FollowTheMoney export runs to gigabytes, and a load of it must remember, until the
last line, every id it mapped, every name the resolver may meet again and every entity
waiting to be written. Kept in a temporary SQLite database (on disk, deleted on close)
behind a bounded page cache, these cost a fixed amount of memory whatever the file's size. The
values are chipkg's own records, pickled; nothing here ever reads user-supplied pickles.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any, Generic, TypeVar

V = TypeVar("V")

#: SQLite's page cache per index (negative: KiB), the bulk of an index's memory.
CACHE_KIB = 16 * 1024
#: Decoded values kept per map, so a hot record (a country, a programme) is not unpickled
#: on every row.
HOT = 2048
#: The same for maps of small values looked up several times per record (an entity id's
#: label: three lookups per claim); 262,144 short strings cost about 40 MB.
HOT_SMALL = 1 << 18
#: Rows fetched per step when a table is read back in order.
CHUNK = 1000
_NAME = re.compile(r"^[a-z_]+$")


class DiskIndex:
    """One temporary SQLite database holding the tables of a load; gone when closed.

    SQLite's own temporary database (an empty file name): its file under ``$TMPDIR``
    (or ``$SQLITE_TMPDIR``) is deleted as soon as it is opened, so nothing is left
    behind even when the process is killed, and pages beyond the cache go to disk.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("PRAGMA temp_store=FILE")
        self.db.execute("BEGIN")  # one open transaction: the file is scratch, never shared
        self.tables: set[str] = set()

    def table(self, name: str, columns: str) -> str:
        """Create table ``name`` once (names are chipkg's own identifiers, never input)."""
        if not _NAME.match(name):
            raise ValueError(f"bad table name {name!r}")
        if name not in self.tables:
            self.db.execute(f"CREATE TABLE {name} ({columns})")
            self.tables.add(name)
        return name

    def close(self) -> None:
        """Close, and so delete, the database (again is fine)."""
        self.db.close()

    def __enter__(self) -> DiskIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _load(blob: bytes) -> Any:
    return pickle.loads(blob)  # our own temporary file, never user input


class DiskMap(MutableMapping[str, V], Generic[V]):
    """A ``dict`` on disk: same lookups, same first-insertion order, bounded memory."""

    def __init__(self, index: DiskIndex, name: str, hot: int = HOT) -> None:
        self.db = index.db
        self.name = index.table(name, "key TEXT PRIMARY KEY, value BLOB NOT NULL")
        self.hot: OrderedDict[str, V] = OrderedDict()
        self.hot_size = hot

    def _remember(self, key: str, value: V) -> None:
        self.hot[key] = value
        self.hot.move_to_end(key)
        if len(self.hot) > self.hot_size:
            self.hot.popitem(last=False)

    def __getitem__(self, key: str) -> V:
        if key in self.hot:
            self.hot.move_to_end(key)
            return self.hot[key]
        row = self.db.execute(f"SELECT value FROM {self.name} WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        value: V = _load(row[0])
        self._remember(key, value)
        return value

    def __setitem__(self, key: str, value: V) -> None:
        # An upsert keeps the row (and so the key's place in the order), as a dict does.
        self.db.execute(
            f"INSERT INTO {self.name} (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, _dump(value)),
        )
        self._remember(key, value)

    def __delitem__(self, key: str) -> None:
        cursor = self.db.execute(f"DELETE FROM {self.name} WHERE key = ?", (key,))
        self.hot.pop(key, None)
        if cursor.rowcount == 0:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self.hot:
            return True
        found = self.db.execute(f"SELECT 1 FROM {self.name} WHERE key = ?", (key,)).fetchone()
        return found is not None

    def __len__(self) -> int:
        (count,) = self.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()
        return int(count)

    def _rows(self) -> Iterator[tuple[str, bytes]]:
        """Every row in insertion order, fetched a chunk at a time."""
        yield from _in_insertion_order(self.db, self.name, "key, value")

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._rows())

    def iter_values(self) -> Iterator[V]:
        """The values in insertion order, decoded one at a time (``values()`` does the same)."""
        for key, blob in self._rows():
            yield self.hot[key] if key in self.hot else _load(blob)


def _in_insertion_order(
    db: sqlite3.Connection, table: str, columns: str
) -> Iterator[tuple[Any, ...]]:
    """The rows' ``columns`` in rowid order, CHUNK rows per query, so a huge table never sits in memory."""
    last = 0
    while True:
        rows = db.execute(
            f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, CHUNK),
        ).fetchall()
        if not rows:
            return
        for rowid, *values in rows:
            last = rowid
            yield tuple(values)


class DiskList(Generic[V]):
    """An append-only list on disk, read back in order."""

    def __init__(self, index: DiskIndex, name: str) -> None:
        self.db = index.db
        self.name = index.table(name, "value BLOB NOT NULL")
        self.count = 0

    def append(self, value: V) -> None:
        self.db.execute(f"INSERT INTO {self.name} (value) VALUES (?)", (_dump(value),))
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[V]:
        for (blob,) in _in_insertion_order(self.db, self.name, "value"):
            yield _load(blob)


class DiskSet:
    """A set of strings on disk."""

    def __init__(self, index: DiskIndex, name: str) -> None:
        self.db = index.db
        self.name = index.table(name, "key TEXT PRIMARY KEY")

    def add(self, key: str) -> None:
        self.db.execute(f"INSERT OR IGNORE INTO {self.name} (key) VALUES (?)", (key,))

    def update(self, keys: Iterable[str]) -> None:
        self.db.executemany(
            f"INSERT OR IGNORE INTO {self.name} (key) VALUES (?)", ((k,) for k in keys)
        )

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        found = self.db.execute(f"SELECT 1 FROM {self.name} WHERE key = ?", (key,)).fetchone()
        return found is not None


class DiskNames:
    """The resolver's name index on disk: normalised name -> the ids it denotes."""

    def __init__(self, index: DiskIndex, name: str = "names") -> None:
        self.db = index.db
        self.name = index.table(name, "key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)")

    def ids(self, key: str) -> set[str]:
        rows = self.db.execute(f"SELECT id FROM {self.name} WHERE key = ?", (key,)).fetchall()
        return {row[0] for row in rows}

    def add(self, key: str, entity_id: str) -> None:
        self.db.execute(
            f"INSERT OR IGNORE INTO {self.name} (key, id) VALUES (?, ?)", (key, entity_id)
        )

    def keys(self) -> list[str]:
        return [row[0] for row in self.db.execute(f"SELECT DISTINCT key FROM {self.name}")]
