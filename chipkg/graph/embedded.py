"""The embedded default store: a networkx graph persisted to one JSON-lines file.

It needs no server. Every write validates the whole batch first, applies it to
the in-memory graph, then rewrites the file through a temporary file and an
atomic rename, so a crash mid-write leaves the previous file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from chipkg.errors import ChipkgError, StoreError
from chipkg.graph.store import (
    Counts,
    Store,
    WriteReport,
    check_endpoints,
    count_records,
    merge_batch,
)
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import from_obj, to_line

GRAPH_FILE = "graph.jsonl"


def default_db_path() -> Path:
    """``$CHIPKG_DB``, else ``$XDG_DATA_HOME/chipkg/db`` (``~/.local/share/chipkg/db``)."""
    env = os.environ.get("CHIPKG_DB")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "chipkg" / "db"


class EmbeddedStore(Store):
    """A MultiDiGraph keyed by entity id and claim key, saved under ``path``."""

    backend = "embedded"

    def __init__(self, path: Path | None = None) -> None:
        self.path = (path or default_db_path()).expanduser()
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"--db {self.path} is a file; it must be a directory")
        self.graph: Any = nx.MultiDiGraph()
        self._load()

    @property
    def file(self) -> Path:
        """The JSON-lines file that holds the graph."""
        return self.path / GRAPH_FILE

    def _load(self) -> None:
        if not self.file.exists():
            return
        try:
            with self.file.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        self._apply(self._parse(line, number))
        except OSError as exc:
            raise StoreError(f"cannot read {self.file}: {exc.strerror or exc}") from exc

    def _parse(self, line: str, number: int) -> Entity | Claim:
        try:
            return from_obj(json.loads(line))
        except (ValueError, ValidationError, ChipkgError) as exc:
            reason = str(exc).splitlines()[0]
            raise StoreError(f"{self.file}:{number}: corrupt store record: {reason}") from exc

    def _apply(self, record: Entity | Claim) -> bool:
        """Add or merge one record in memory; True when it was new."""
        graph = self.graph
        if isinstance(record, Entity):
            known = graph.nodes[record.id]["entity"] if record.id in graph else None
            merged = record if known is None else known.merged_with(record)
            graph.add_node(record.id, entity=merged)
            return known is None
        key = record.key
        data = graph.get_edge_data(record.subject, record.object, key)
        merged_claim = record if data is None else data["claim"].merged_with(record)
        graph.add_edge(record.subject, record.object, key=key, claim=merged_claim)
        return data is None

    def _stored_labels(self, ids: set[str]) -> dict[str, str]:
        return {i: self.graph.nodes[i]["entity"].label for i in ids if i in self.graph}

    def write(self, entities: Sequence[Entity], claims: Sequence[Claim]) -> WriteReport:
        """Validate the batch, apply it, then persist atomically; on error nothing changes."""
        ents, clms = merge_batch(entities, claims)
        batch_labels = {e.id: e.label for e in ents}
        for entity in ents:
            stored = self.get(entity.id)
            if stored is not None:
                stored.merged_with(entity)  # raises on a label clash before anything changes
        check_endpoints(clms, batch_labels, self._stored_labels)
        before = self.graph.copy()
        report = WriteReport(entities=len(entities), claims=len(claims))
        try:
            report.new_entities = sum(self._apply(e) for e in ents)
            report.new_claims = sum(self._apply(c) for c in clms)
            self.save()
        except BaseException:
            self.graph = before
            raise
        return report

    def save(self) -> None:
        """Write the whole graph to a temporary file, then rename it over the old one."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                for entity in self.entities():
                    handle.write(to_line(entity) + "\n")
                for claim in self.claims():
                    handle.write(to_line(claim) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        node = self.graph.nodes.get(entity_id)
        if node is None:
            return None
        entity: Entity = node["entity"]
        return entity

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Entities sorted by id, optionally of one label."""
        for node_id in sorted(self.graph.nodes):
            entity: Entity = self.graph.nodes[node_id]["entity"]
            if label is None or entity.label == label:
                yield entity

    def claims(
        self,
        predicate: str | None = None,
        subject: str | None = None,
        object: str | None = None,
    ) -> Iterator[Claim]:
        """Claims sorted by key, filtered by type and endpoints."""
        if subject is not None:
            edges = self.graph.out_edges(subject, data="claim") if subject in self.graph else []
        elif object is not None:
            edges = self.graph.in_edges(object, data="claim") if object in self.graph else []
        else:
            edges = self.graph.edges(data="claim")
        found = [
            claim
            for _, _, claim in edges
            if (predicate is None or claim.predicate == predicate)
            and (object is None or claim.object == object)
        ]
        yield from sorted(found, key=lambda c: c.key)

    def counts(self) -> Counts:
        """Node and relationship counts."""
        return count_records(self.entities(), self.claims())

    def clear(self) -> None:
        """Empty the graph and its file."""
        self.graph = nx.MultiDiGraph()
        self.save()
