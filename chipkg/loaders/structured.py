"""Shared machinery of the structured-data loaders (CSL, FollowTheMoney, ETO).

Each loader reads rows with their file line, turns them into entities and claims,
and either stops at the first bad row (``file:line: what is wrong``) or, with
``--skip-invalid``, records why a row was skipped. Every dataset file becomes one
Source whose id hashes the file's bytes, so loading the same file twice (from any
path) adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import ClaimSpool, LoadResult, Tally, read_text
from chipkg.loaders.countries import resolve_country
from chipkg.loaders.resolver import Merge, Resolver
from chipkg.ontology import Claim, Entity
from chipkg.ontology.names import mint_id, normalize_name, slugify

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class RowError(ChipkgError):
    """One row is malformed; the message says what is wrong (the caller adds file:line)."""


def parse_date(value: str | None, column: str) -> str | None:
    """An ISO date (YYYY[-MM[-DD]]) from ISO or US ``M/D/YYYY`` text; empty gives None."""
    text = (value or "").strip()
    if not text:
        return None
    text = text.split("T", 1)[0]
    match = _US_DATE.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    if not _ISO_DATE.match(text):
        raise RowError(f"bad date {value!r} in {column} (expected YYYY-MM-DD)")
    parts = [int(p) for p in text.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise RowError(f"bad date {value!r} in {column} (month out of range)")
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        raise RowError(f"bad date {value!r} in {column} (day out of range)")
    return text


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """Non-empty, stripped parts of a delimited cell."""
    return [part.strip() for part in (value or "").split(sep) if part.strip()]


def read_csv(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV with the line each starts on; checks the header and row widths."""
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file", str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"unreadable CSV header: {exc}", str(path), 1) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", str(path), 1)
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"unreadable CSV row: {exc}", str(path), start) from exc
        if any(c.strip() for c in cells):
            rows.append((start, _row_dict(header, cells)))
        start = reader.line_num + 1
    return rows


def _row_dict(header: list[str], cells: list[str]) -> dict[str, str]:
    """A row as a dict; ``__width__`` records a width mismatch for the caller to report."""
    row = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
    if len(cells) != len(header):
        row["__width__"] = f"{len(cells)} fields, header has {len(header)}"
    return row


def check_width(row: dict[str, str]) -> None:
    """Raise when a CSV row has a different number of fields from the header."""
    if "__width__" in row:
        raise RowError(f"wrong number of fields ({row['__width__']})")


def require(row: dict[str, str], *columns: str) -> None:
    """Raise when a required cell is empty."""
    empty = [c for c in columns if not row.get(c, "").strip()]
    if empty:
        raise RowError(f"empty {', '.join(empty)}")


def dataset_source(path: Path, title: str, publisher: str, url: str | None = None) -> Entity:
    """The Source for one dataset file or directory, keyed by its content."""
    digest = hashlib.sha1()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode("utf-8"))
        with file.open("rb") as handle:  # in blocks: dataset files can be gigabytes
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    props: dict[str, Any] = {"title": title, "publisher": publisher, "kind": "dataset"}
    if url:
        props["url"] = url
    slug = slugify(path.name)[:40]
    return Entity(
        id=f"source/{slug}-{digest.hexdigest()[:10]}", label="Source", name=title, properties=props
    )


@dataclass
class Builder:
    """Collects a loader's records, resolving names through the shared resolver."""

    resolver: Resolver
    skip_invalid: bool
    result: LoadResult = field(default_factory=LoadResult)
    #: Latest record per entity emitted; a streaming loader keeps it on disk.
    records: MutableMapping[str, Entity] = field(default_factory=dict)
    tally: Tally | None = None
    #: Where claims go instead of memory (streaming loaders), if anywhere.
    spool: ClaimSpool | None = None

    def count_file(self, path: Path) -> Tally:
        """Start counting the rows of one file; the tally joins the result."""
        self.tally = Tally(file=str(path))
        self.result.tallies.append(self.tally)
        return self.tally

    def mapped(self) -> None:
        """Count the current row as read and mapped."""
        if self.tally is not None:
            self.tally.read += 1
            self.tally.mapped += 1

    def skipped(self, reason: str) -> None:
        """Count the current row as read and left out for ``reason``."""
        if self.tally is not None:
            self.tally.read += 1
            self.tally.skip(reason)

    def fail(self, path: Path, line: int | None, exc: Exception) -> None:
        """Stop the load, or record the skipped row when ``--skip-invalid`` is on."""
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not self.skip_invalid:
            raise InputError(message, str(path), line) from exc
        where = f"{path}:{line}" if line is not None else str(path)
        self.result.skipped.append(f"{where}: {message}")
        self.skipped("malformed (--skip-invalid)")

    def emit(self, entity: Entity) -> Entity:
        """Index an entity and keep its latest merged record for the result."""
        merged = self.resolver.add(entity)
        self.records[merged.id] = merged
        return merged

    def done(self) -> LoadResult:
        """The result, with one record per entity emitted."""
        self.result.entities = list(self.records.values())
        if self.spool is not None:
            self.result.spools.append(self.spool)
        return self.result

    def claim(self, claim: Claim) -> None:
        """Add a claim to the result (or park it in the spool)."""
        if self.spool is not None:
            self.spool.add(claim)
        else:
            self.result.claims.append(claim)

    def resolve_or_mint(
        self, label: str, name: str, aliases: list[str], properties: dict[str, Any]
    ) -> Entity:
        """The known entity a name (or else one alias) denotes, or a new one with a minted id."""
        found = self.resolver.resolve(name, label=label)
        if found is None:
            hits = {e.id: e for a in aliases if (e := self.resolver.resolve(a, label=label))}
            found = next(iter(hits.values())) if len(hits) == 1 else None
        if found is not None:
            if normalize_name(found.name) == normalize_name(name):
                self.resolver.merges.append(Merge(name=name, entity_id=found.id, via="name"))
            extra = Entity(id=found.id, label=label, name=found.name, aliases=[name, *aliases])
            return self.emit(extra)
        return self.emit(
            Entity(
                id=self._free_id(label, name),
                label=label,
                name=name,
                aliases=aliases,
                properties=properties,
            )
        )

    def _free_id(self, label: str, name: str) -> str:
        """A minted id; a slug clash with a differently named entity gets a numeric suffix."""
        base = mint_id(label, name)
        candidate, n = base, 1
        while (other := self.resolver.entities.get(candidate)) is not None:
            if normalize_name(other.name) == normalize_name(name):
                return candidate
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def country(self, code_or_name: str) -> Entity:
        """A Country by code or name (new ones are added to the result), or a row error."""
        entity, new = resolve_country(self.resolver, code_or_name)
        if entity is None:
            raise RowError(f"unknown country {code_or_name!r}")
        if new:
            self.emit(entity)
        return entity


def iter_json_array(text: str, start: int) -> Iterator[tuple[int, Any]]:
    """Items of the JSON array that opens at ``text[start]``, each with its line number."""
    import json

    decoder = json.JSONDecoder()
    pos = start + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise ValueError("unterminated array")
        if text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        item, pos = decoder.raw_decode(text, pos)
        yield line, item
