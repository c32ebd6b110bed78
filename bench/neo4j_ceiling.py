"""The server's share of a transactional load: ``python -m bench.neo4j_ceiling``.

Same data and database state as :mod:`bench.bench_incremental` (``--base`` links stored,
then ``--links`` more), but every row the writer would send is built before the clock
starts. What is timed is only what the server does for ``Neo4jStore.write``: the same
transactions (one per chunk of ``CHIPKG_NEO4J_BATCH`` records), each taking the writer
lock, reading the stored versions of its ids and keys, then SET/CREATE with prepared
rows. No change to chipkg's Python side can load faster than this on the same server
and schema, so it is the ceiling of issue 17's "transactional into a non-empty Neo4j" row.
Runs on the server the environment names and CLEARS its database.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from bench.bench_incremental import cli, split, with_base
from bench.common import dataset, log
from chipkg.graph.neo4j_store import (
    TAKE_LOCK,
    Neo4jStore,
    claim_row,
    entity_row,
    safe_label,
    safe_type,
)
from chipkg.graph.store import merge_batch
from chipkg.ontology import Claim, Entity


@dataclass
class Prepared:
    """One transaction's queries with their parameters, built before timing."""

    reads: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    writes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    records: int = 0


def _entity_chunk(entities: list[Entity], stored: set[str]) -> Prepared:
    prepared = Prepared(records=len(entities))
    prepared.reads.append(
        (
            "UNWIND $ids AS id MATCH (n:Entity {id: id}) "
            "RETURN labels(n) AS labels, properties(n) AS props",
            {"ids": [e.id for e in entities]},
        )
    )
    created: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updated = [entity_row(e) for e in entities if e.id in stored]
    for entity in entities:
        if entity.id not in stored:
            created[entity.label].append(entity_row(entity))
    if updated:
        prepared.writes.append(
            ("UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n = row", {"rows": updated})
        )
    for label, rows in sorted(created.items()):
        query = f"UNWIND $rows AS row CREATE (n:Entity:{safe_label(label)}) SET n = row"
        prepared.writes.append((query, {"rows": rows}))
    return prepared


def _claim_chunk(claims: list[Claim], stored: set[str]) -> Prepared:
    prepared = Prepared(records=len(claims))
    keyed = [(c.key, c) for c in claims]
    by_type: dict[str, list[str]] = defaultdict(list)
    created: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updated: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, claim in keyed:
        by_type[claim.predicate].append(key)
        (updated if key in stored else created)[claim.predicate].append(claim_row(claim, key))
    for rel_type, keys in sorted(by_type.items()):
        rel = safe_type(rel_type)
        query = (
            f"UNWIND $keys AS k MATCH (a)-[r:{rel} {{key: k}}]->(b) "
            f"USING INDEX SEEK r:{rel}(key) RETURN a.id AS s, b.id AS o, properties(r) AS props"
        )
        prepared.reads.append((query, {"keys": keys}))
    for rel_type, rows in sorted(updated.items()):
        rel = safe_type(rel_type)
        query = (
            f"UNWIND $rows AS row MATCH ()-[r:{rel} {{key: row.key}}]->() "
            f"USING INDEX SEEK r:{rel}(key) SET r = row.props"
        )
        prepared.writes.append((query, {"rows": rows}))
    for rel_type, rows in sorted(created.items()):
        query = (
            "UNWIND $rows AS row MATCH (a:Entity {id: row.s}) MATCH (b:Entity {id: row.o}) "
            f"CREATE (a)-[r:{safe_type(rel_type)}]->(b) SET r = row.props"
        )
        prepared.writes.append((query, {"rows": rows}))
    return prepared


def _stored(store: Neo4jStore) -> tuple[set[str], set[str]]:
    """Ids and claim keys already in the database (read before timing)."""
    ids = {r["id"] for r in store._run("MATCH (n:Entity) RETURN n.id AS id")}
    keys = {
        r["key"] for r in store._run("MATCH ()-[r]->() WHERE r.key IS NOT NULL RETURN r.key AS key")
    }
    return ids, keys


def _run_one(tx: ManagedTransaction, prepared: Prepared) -> None:
    tx.run(TAKE_LOCK, pid=os.getpid()).consume()
    for query, params in prepared.reads:
        list(tx.run(query, params))
    for query, params in prepared.writes:
        tx.run(query, params).consume()


def run(base: int, links: int) -> dict[str, object]:
    """Load the base, prepare the second load's transactions, time them on the server."""
    store = Neo4jStore.from_env()
    try:
        with_base(store, base)
        entities, claims = merge_batch(*split(dataset(links)))
        ids, keys = _stored(store)
        size = store.batch_size
        plan = [_entity_chunk(entities[i : i + size], ids) for i in range(0, len(entities), size)]
        plan += [_claim_chunk(claims[i : i + size], keys) for i in range(0, len(claims), size)]
        load_before = os.getloadavg()[0]
        log(f"timing {len(plan)} prepared transactions ({len(claims):,} claims)")
        started = time.perf_counter()
        for prepared in plan:
            store._write(lambda tx, p=prepared: _run_one(tx, p))  # type: ignore[misc]
        seconds = time.perf_counter() - started
    finally:
        store.close()
    return {
        "base_links": base,
        "links": links,
        "claims": len(claims),
        "transactions": len(plan),
        "server_seconds": round(seconds, 1),
        "rels_per_s_ceiling": round(len(claims) / seconds),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg()[0],
    }


def main() -> None:
    cli(run, __doc__ or "")


if __name__ == "__main__":
    main()
