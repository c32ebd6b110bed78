"""Loading into Neo4j three ways, on a benchmark-only managed instance.

1. chipkg's batched writer (``Neo4jStore.write``: UNWIND batches, MERGE on id/key);
2. a naive loop, one auto-commit statement per claim, on a sample, extrapolated;
3. ``neo4j-admin database import full`` of the neo4j-csv export of the same graph.

The instance lives in ``bench/out/neo4j`` on its own ports (Bolt 7711, HTTP 7511; BENCH_NEO4J_BOLT_PORT/HTTP_PORT)
and shares the project's downloaded distribution, so it never touches the data of
``chipkg neo4j`` or of the test server.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import OUT, Dataset, batches, log
from chipkg.graph.neo4j_settings import Neo4jSettings, connect
from chipkg.graph.neo4j_store import Neo4jStore, claim_row, safe_type
from chipkg.graph.server import NEO4J_VERSION, ManagedNeo4j
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import from_obj

BOLT_PORT = int(os.environ.get("BENCH_NEO4J_BOLT_PORT", "7711"))
HTTP_PORT = int(os.environ.get("BENCH_NEO4J_HTTP_PORT", "7511"))
HEAP = os.environ.get("BENCH_NEO4J_HEAP", "2g")
PAGECACHE = os.environ.get("BENCH_NEO4J_PAGECACHE", "1g")
NAIVE_QUERY = (
    "MATCH (a:Entity {{id: $s}}) MATCH (b:Entity {{id: $o}}) "
    "MERGE (a)-[r:{rel} {{key: $key}}]->(b) SET r = $props"
)


class BenchNeo4j:
    """The benchmark's own Neo4j instance."""

    def __init__(self) -> None:
        shared = Path.cwd() / ".neo4j" / "dist" / NEO4J_VERSION
        dist = Path(os.environ.get("CHIPKG_NEO4J_DIST") or shared)
        self.server = ManagedNeo4j(
            home=OUT / "neo4j",
            bolt_port=BOLT_PORT,
            http_port=HTTP_PORT,
            dist_dir=dist if (dist / "VERSION").is_file() else None,
        )
        os.environ["CHIPKG_NEO4J_HEAP"] = HEAP
        os.environ["CHIPKG_NEO4J_PAGECACHE"] = PAGECACHE
        self._store: Neo4jStore | None = None

    def start(self) -> None:
        """Start (installing on first use) and wait for Bolt."""
        log(
            f"starting benchmark Neo4j on {self.server.bolt_uri} (heap {HEAP}, page cache {PAGECACHE})"
        )
        self.server.start(timeout=300)

    def stop(self) -> None:
        """Stop the instance (closing our driver first)."""
        if self._store is not None:
            self._store.close()
            self._store = None
        self.server.stop(timeout=120)

    def store(self, batch_size: int) -> Neo4jStore:
        """A store on this instance with the given transaction batch size."""
        if self._store is None:
            settings = Neo4jSettings(self.server.bolt_uri, password=self.server.password())
            self._store = Neo4jStore(connect(settings), "neo4j", settings.uri)
        self._store.batch_size = batch_size
        return self._store


def _reset(store: Neo4jStore) -> None:
    store.clear()
    store.init_schema()


def batched_load(bench: BenchNeo4j, data: Dataset, batch_size: int, feed: int) -> float:
    """Seconds for ``Neo4jStore.write`` to load the data set into an empty database."""
    store = bench.store(batch_size)
    _reset(store)
    seconds = 0.0
    for entities, claims in batches(data, feed):
        started = time.perf_counter()
        store.write(entities, claims)
        seconds += time.perf_counter() - started
    counts = store.counts().to_json()
    if sum(counts["relationships"].values()) != data.claims:
        raise RuntimeError(f"Neo4j holds {counts} after loading {data.claims} claims")
    return seconds


def naive_load(bench: BenchNeo4j, data: Dataset, sample: int) -> dict[str, Any]:
    """One auto-commit MERGE per claim for ``sample`` claims; rate extrapolated to all."""
    store = bench.store(5_000)
    _reset(store)
    entities = [r for r in _file_records(data.files[0]) if isinstance(r, Entity)]
    store.write(entities, [])
    claims = list(itertools.islice(_file_records(data.files[1]), sample))
    started = time.perf_counter()
    for claim in claims:
        assert isinstance(claim, Claim)
        row = claim_row(claim)
        store.driver.execute_query(
            NAIVE_QUERY.format(rel=safe_type(claim.predicate)),
            s=row["s"],
            o=row["o"],
            key=row["key"],
            props=row["props"],
            database_=store.database,
        )
    seconds = time.perf_counter() - started
    rate = len(claims) / seconds
    return {"sample": len(claims), "sample_seconds": seconds, "claims_per_s": rate,
            "extrapolated_seconds": data.claims / rate}  # fmt: skip


def _file_records(path: Path) -> Iterator[Entity | Claim]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield from_obj(json.loads(line))


def admin_import(bench: BenchNeo4j, data: Dataset) -> dict[str, Any]:
    """Export neo4j-csv, stop, ``neo4j-admin database import full``, start, finish schema."""
    from chipkg.export.neo4j_csv import ADMIN_OPTIONS, after_import_statements, write_neo4j_csv

    csv_dir = OUT / "csv" / data.directory.name
    shutil.rmtree(csv_dir, ignore_errors=True)
    started = time.perf_counter()
    ents = (r for r in _file_records(data.files[0]) if isinstance(r, Entity))
    clms = (r for r in _file_records(data.files[1]) if isinstance(r, Claim))
    export = write_neo4j_csv(ents, clms, csv_dir)
    export_seconds = time.perf_counter() - started
    bench.stop()
    nodes = [csv_dir / name for name in export.node_files]
    rels = [csv_dir / name for name in export.relationship_files]
    started = time.perf_counter()
    bench.server.import_full(nodes, rels, extra_args=ADMIN_OPTIONS)
    import_seconds = time.perf_counter() - started
    bench.start()
    store = bench.store(5_000)
    started = time.perf_counter()
    for statement in after_import_statements():
        store._run(statement)
    schema_seconds = time.perf_counter() - started
    counts = store.counts().to_json()
    if sum(counts["relationships"].values()) != data.claims:
        raise RuntimeError(f"neo4j-admin import gave {counts}, expected {data.claims} claims")
    shutil.rmtree(csv_dir, ignore_errors=True)
    return {"export_seconds": export_seconds, "import_seconds": import_seconds,
            "after_import_seconds": schema_seconds}  # fmt: skip
