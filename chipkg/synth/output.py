"""Where generated records go: JSON-lines files in a directory, or straight into a store.

Files are written under temporary names and renamed when complete, so an
interrupted run never leaves a truncated ``entities.jsonl`` or ``claims.jsonl``
that looks finished. Loading into a store writes batches as they fill (entities
first, so every claim's endpoints already exist), keeping memory bounded.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from chipkg.errors import InputError
from chipkg.graph.store import Store, WriteReport
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import to_line

ENTITY_FILE = "entities.jsonl"
CLAIM_FILE = "claims.jsonl"
MANIFEST = "manifest.json"
Record = Entity | Claim
Tick = Callable[[int], None]


@dataclass
class Summary:
    """What a run produced: counts by label and relationship type, and the files or report."""

    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    report: WriteReport | None = None

    def count(self, record: Record) -> None:
        """Tally one record."""
        if isinstance(record, Entity):
            self.nodes[record.label] += 1
        else:
            self.relationships[record.predicate] += 1

    @property
    def entities(self) -> int:
        """Number of entity records."""
        return sum(self.nodes.values())

    @property
    def claims(self) -> int:
        """Number of claim records."""
        return sum(self.relationships.values())

    def to_json(self) -> dict[str, Any]:
        """The manifest / ``--json`` shape."""
        return {
            "entities": self.entities,
            "claims": self.claims,
            "nodes": dict(sorted(self.nodes.items())),
            "relationships": dict(sorted(self.relationships.items())),
        }


def write_dir(records: Iterable[Record], out: Path, params: dict[str, Any], tick: Tick) -> Summary:
    """Stream records into ``out/entities.jsonl`` and ``out/claims.jsonl`` plus a manifest."""
    if out.exists() and not out.is_dir():
        raise InputError("-o must be a directory, not a file", str(out))
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    temps = {name: out / f".{name}.partial" for name in (ENTITY_FILE, CLAIM_FILE)}
    handles: dict[str, IO[str]] = {}
    try:
        for name, path in temps.items():
            handles[name] = path.open("w", encoding="utf-8")
        for number, record in enumerate(records, 1):
            target = ENTITY_FILE if isinstance(record, Entity) else CLAIM_FILE
            handles[target].write(to_line(record) + "\n")
            summary.count(record)
            if number % 1000 == 0:
                tick(1000)
        for handle in handles.values():
            handle.close()
        for name, path in temps.items():
            os.replace(path, out / name)
            summary.files.append(out / name)
    finally:
        for handle in handles.values():
            handle.close()
        for path in temps.values():
            path.unlink(missing_ok=True)
    manifest = {"generator": "chipkg synth", **params, **summary.to_json()}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return summary


def load_into(store: Store, records: Iterable[Record], batch_size: int, tick: Tick) -> Summary:
    """Write records into a store in batches of ``batch_size`` (entities before claims)."""
    summary = Summary(report=WriteReport())
    entities: list[Entity] = []
    claims: list[Claim] = []

    def flush() -> None:
        assert summary.report is not None
        if entities or claims:
            summary.report.add(store.write(entities, claims))
            tick(len(entities) + len(claims))
            entities.clear()
            claims.clear()

    for record in records:
        summary.count(record)
        if isinstance(record, Entity):
            entities.append(record)
            full = len(entities) >= batch_size
        else:
            if entities:
                flush()
            claims.append(record)
            full = len(claims) >= batch_size
        if full:
            flush()
    flush()
    return summary
