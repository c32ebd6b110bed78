"""What every loader returns, and the registry the CLI picks formats from.

A loader reads a whole input into records before anything is written, so a bad
row stops the load with ``file:line: what is wrong`` and leaves the store as it
was (unless the user asks to skip invalid rows).
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chipkg.errors import InputError
from chipkg.graph.compact import decode_claim, encode_claim
from chipkg.loaders.disk_index import DiskIndex, DiskMap
from chipkg.loaders.resolver import Merge, Resolver
from chipkg.ontology import Claim, Entity

if TYPE_CHECKING:
    from chipkg.loaders.endpoints import EndpointCheck


@dataclass
class Tally:
    """Rows of one input file: how many were read, mapped, and skipped for which reason."""

    file: str
    read: int = 0
    mapped: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        """Count one row left out, under its reason."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def line(self) -> str:
        """One summary line: ``file: N rows read, M mapped, K skipped (reason: n; ...)``."""
        total = sum(self.skipped.values())
        text = f"{self.file}: {self.read} rows read, {self.mapped} mapped, {total} skipped"
        if total:
            reasons = "; ".join(f"{why}: {n}" for why, n in sorted(self.skipped.items()))
            text += f" ({reasons})"
        return text


class ClaimSpool:
    """Claims parked in an anonymous temporary file, read back in order: O(1) memory.

    A streaming loader checks a whole file before anything is written, so its claims
    must wait somewhere; a big file's claims do not fit in memory (about 1.6 KiB each
    as records). Each is parked as the embedded store's compact blob (its predicate, then
    the blob, each after its length): writing and reading one back costs about 0.6 of a
    pickle of the record. The file is deleted when closed.
    """

    _HEAD = struct.Struct("<HI")

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="chipkg-claims-")  # noqa: SIM115 - closed by close()
        self.count = 0

    def add(self, claim: Claim) -> None:
        """Park one claim."""
        predicate, blob = claim.predicate.encode(), encode_claim(claim)
        self._file.write(self._HEAD.pack(len(predicate), len(blob)) + predicate + blob)
        self.count += 1

    def __iter__(self) -> Iterator[Claim]:
        """The parked claims, in the order they came."""
        self._file.flush()
        self._file.seek(0)
        read, head = self._file.read, self._HEAD
        for _ in range(self.count):
            size, length = head.unpack(read(head.size))
            predicate = read(size).decode()
            yield decode_claim(predicate, read(length))
        self._file.seek(0, 2)

    def close(self) -> None:
        """Delete the file."""
        self._file.close()


@dataclass
class LoadResult:
    """Records read from one input, plus what was skipped and merged on the way."""

    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    #: Claims of streaming loaders, parked on disk until the write.
    spools: list[ClaimSpool] = field(default_factory=list)
    #: Entities of streaming loaders (id -> latest record), parked on disk until the write.
    parked: list[DiskMap[Entity]] = field(default_factory=list)
    #: The files those entities live in, deleted by :meth:`close`.
    indexes: list[DiskIndex] = field(default_factory=list)
    #: Endpoint checks of streamed claims, to finish before the write (see ``endpoints``).
    checks: list[EndpointCheck] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        """Append another result (loading several files as one batch)."""
        self.entities += other.entities
        self.claims += other.claims
        self.spools += other.spools
        self.parked += other.parked
        self.indexes += other.indexes
        self.checks += other.checks
        self.skipped += other.skipped
        self.merges += other.merges
        self.notes += other.notes
        self.tallies += other.tallies

    @property
    def claim_count(self) -> int:
        """Claims in memory and parked."""
        return len(self.claims) + sum(spool.count for spool in self.spools)

    @property
    def entity_count(self) -> int:
        """Entities in memory and parked."""
        return len(self.entities) + sum(len(park) for park in self.parked)

    @property
    def streamed(self) -> bool:
        """Whether some records wait on disk (the write then goes in batches)."""
        return bool(self.spools or self.parked)

    def all_entities(self) -> Iterator[Entity]:
        """Entities in memory, then the parked ones, one at a time."""
        yield from self.entities
        for park in self.parked:
            yield from park.iter_values()

    def all_claims(self) -> Iterator[Claim]:
        """Claims in memory, then the parked ones, one at a time."""
        yield from self.claims
        for spool in self.spools:
            yield from spool

    def check(self) -> None:
        """Finish the endpoint checks of streamed claims (before anything is written)."""
        for check in self.checks:
            check.finish()

    def close(self) -> None:
        """Delete the parked records."""
        for spool in self.spools:
            spool.close()
        for index in self.indexes:
            index.close()
        for check in self.checks:
            check.close()


Loader = Callable[..., LoadResult]
"""``loader(path, resolver, *, skip_invalid=False) -> LoadResult``."""

LOADERS: dict[str, Loader] = {}
DETECTORS: list[tuple[str, Callable[[Path], bool]]] = []


def register(name: str, detect: Callable[[Path], bool] | None = None) -> Callable[[Loader], Loader]:
    """Make a loader available as ``chipkg load --format NAME``."""

    def decorate(func: Loader) -> Loader:
        LOADERS[name] = func
        if detect is not None:
            DETECTORS.append((name, detect))
        return func

    return decorate


def detect_format(path: Path) -> str:
    """The one format that claims ``path``, or an error asking for ``--format``."""
    found = [name for name, test in DETECTORS if test(path)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError("cannot tell the format; pass --format", str(path))
    raise InputError(f"ambiguous format ({', '.join(found)}); pass --format", str(path))


def load_path(
    path: Path, resolver: Resolver, fmt: str | None = None, *, skip_invalid: bool = False
) -> LoadResult:
    """Load one file or dataset directory with the named (or detected) format."""
    if not path.exists():
        raise InputError("no such file or directory", str(path))
    name = fmt or detect_format(path)
    loader = LOADERS.get(name)
    if loader is None:
        raise InputError(f"unknown format {name!r} (known: {', '.join(sorted(LOADERS))})")
    result = loader(path, resolver, skip_invalid=skip_invalid)
    result.merges = list(resolver.merges)
    return result


def read_text(path: Path) -> str:
    """Read UTF-8 text (a BOM is fine) or fail with the byte offset of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8",
            str(path),
            line,
        ) from exc
