"""The Neo4j store: the same ``Store`` contract, written with batched, parameterised Cypher.

A load of up to ``tx_records`` records (``CHIPKG_NEO4J_TX_RECORDS``, default
50,000) is one transaction: it lands whole or not at all. A larger load is
written in transactions of ``batch_size`` rows; each records its progress on the
lock node, and a load interrupted half-way fails with ``N of M records written``.
Loads are idempotent (records merge by id and key, evidence by its own key), so
running the same load again completes it.

Every write transaction first takes the write lock of one ``ChipkgWriteLock``
node, so concurrent writers are serialised: each reads the stored versions of
its entities and claims only once the previous writer has committed, merges
them in Python with the very functions the embedded store uses (so both backends
hold identical records), then writes rows with ``UNWIND $rows``: ``CREATE`` for
the ids and keys the read found absent (under the lock nobody else can add them),
``SET`` on the stored ones. Without the lock two writers read the same stored claim
and the second one's ``SET`` drops the first one's new evidence. Labels and relationship
types are checked against the ontology before they are put into any Cypher text
(the lock node's label is a constant of this module); everything else is a
parameter.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import Driver, ManagedTransaction, Query
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from chipkg.errors import Neo4jUnavailable, OntologyError, StoreError
from chipkg.graph.store import Counts, Store, WriteReport, check_endpoints, merge_batch
from chipkg.ontology import ONTOLOGY, Claim, Entity
from chipkg.ontology.generate import neo4j_schema

T = TypeVar("T")

if TYPE_CHECKING:
    from chipkg.queries.results import Answer
    from chipkg.queries.spec import Params, QuerySpec  # a dataclass instance

    A = TypeVar("A", bound=Answer)
    P = TypeVar("P", bound=Params)
NODE_FIELDS = ("id", "name", "aliases")
CLAIM_FIELDS = (
    "key", "modality", "confidence", "attributed_to", "valid_from", "valid_to",
    "derived", "sources", "evidence",
)  # fmt: skip
DEFAULT_BATCH = 2_000  # rows per transaction; 2k beat 5k-20k by ~25% (bench/RESULTS.md)
Chunk = tuple[str, list[Any]]  # ("entities" | "claims", records)
DEFAULT_TX_RECORDS = 50_000  # loads up to this many records are one transaction
LOCK_LABEL = "ChipkgWriteLock"
LOCK_SCHEMA = (
    f"CREATE CONSTRAINT chipkg_write_lock IF NOT EXISTS FOR (l:{LOCK_LABEL}) REQUIRE l.id IS UNIQUE"
)
TAKE_LOCK = f"MERGE (l:{LOCK_LABEL} {{id: 'writer'}}) SET l.pid = $pid"
RECORD_PROGRESS = (
    f"MATCH (l:{LOCK_LABEL} {{id: 'writer'}}) "
    "SET l.load_written = $written, l.load_total = $total, l.load_at = datetime()"
)


def tx_records_from_env() -> int:
    """``CHIPKG_NEO4J_TX_RECORDS``: the largest load written as one transaction."""
    return _positive_from_env("CHIPKG_NEO4J_TX_RECORDS", DEFAULT_TX_RECORDS)


def batch_size_from_env(default: int = DEFAULT_BATCH) -> int:
    """``CHIPKG_NEO4J_BATCH``: rows per transaction of a batched load (small ones in tests)."""
    return _positive_from_env("CHIPKG_NEO4J_BATCH", default)


def _positive_from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise StoreError(f"{name} must be a positive integer, got {raw!r}")
    return int(raw)


def safe_label(label: str) -> str:
    """A node label that may go into Cypher text: only the ontology's."""
    if label not in ONTOLOGY.labels and label != "Entity":
        raise OntologyError(f"label {label!r} is not in the ontology")
    return label


def safe_type(rel_type: str) -> str:
    """A relationship type that may go into Cypher text: only the ontology's."""
    if rel_type not in ONTOLOGY.relationship_types:
        raise OntologyError(f"relationship type {rel_type!r} is not in the ontology")
    return rel_type


def entity_row(entity: Entity) -> dict[str, Any]:
    """Node properties: id, name, aliases and the entity's own properties, flattened."""
    return {"id": entity.id, "name": entity.name, "aliases": entity.aliases, **entity.properties}


def entity_from_node(labels: Sequence[str], props: dict[str, Any]) -> Entity:
    """Rebuild the Entity from a node's labels and properties."""
    label = next(lbl for lbl in sorted(labels) if lbl != "Entity")
    extra = {k: v for k, v in props.items() if k not in NODE_FIELDS}
    return Entity.model_construct(
        id=props["id"],
        label=label,
        name=props["name"],
        aliases=list(props.get("aliases") or []),
        properties=extra,
    )


def claim_row(claim: Claim, key: str | None = None) -> dict[str, Any]:
    """Relationship properties: provenance aggregates, evidence as JSON, own properties.

    ``key`` saves recomputing ``claim.key``; evidence is serialised by pydantic's JSON
    encoder (2.6x faster than ``json.dumps`` of a dump; readers parse it either way).
    """
    key = key or claim.key
    evidence = [ev.model_dump_json(exclude_none=True) for ev in claim.evidence]
    props: dict[str, Any] = {
        "key": key,
        "modality": claim.modality,
        "confidence": claim.confidence,
        "attributed_to": claim.attributed_to,
        "valid_from": claim.valid_from,
        "valid_to": claim.valid_to,
        "derived": claim.derived,
        "sources": claim.sources,
        "evidence": evidence,
        **claim.properties,
    }
    return {
        "s": claim.subject,
        "o": claim.object,
        "key": key,
        "props": {k: v for k, v in props.items() if v is not None},
    }


def claim_from_rel(subject: str, rel_type: str, obj: str, props: dict[str, Any]) -> Claim:
    """Rebuild the Claim: evidence is the truth, aggregates are recomputed from it."""
    evidence = [json.loads(text) for text in props.get("evidence") or []]
    return Claim.model_validate(
        {
            "subject": subject,
            "predicate": rel_type,
            "object": obj,
            "derived": bool(props.get("derived", False)),
            "evidence": evidence,
        }
    )


def _translate(uri: str, exc: Exception) -> Neo4jUnavailable:
    if isinstance(exc, AuthError):
        return Neo4jUnavailable(
            f"Neo4j at {uri} refused the credentials (check NEO4J_USER/NEO4J_PASSWORD)"
        )
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Neo4jUnavailable(f"cannot reach Neo4j at {uri}: {reason}")


class Neo4jStore(Store):
    """A ``Store`` over a Neo4j database; ``database_`` is passed on every call."""

    backend = "neo4j"

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        uri: str = "",
        batch_size: int = DEFAULT_BATCH,
        tx_records: int = DEFAULT_TX_RECORDS,
    ) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self.batch_size = batch_size
        #: Loads up to this many records are one transaction; larger ones go in batches.
        self.tx_records = tx_records
        self._schema_ready = False

    @classmethod
    def from_env(cls, batch_size: int = DEFAULT_BATCH) -> Neo4jStore:
        """Connect with ``NEO4J_*`` settings, or to the managed local server."""
        from chipkg.graph.neo4j_settings import Neo4jSettings, connect

        settings = Neo4jSettings.from_env()
        tx_records, batch_size = tx_records_from_env(), batch_size_from_env(batch_size)
        return cls(connect(settings), settings.database, settings.uri, batch_size, tx_records)

    # -- plumbing -----------------------------------------------------------------

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _translate(self.uri, exc) from exc

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _translate(self.uri, exc) from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j rejected a write: {exc.message or exc}") from exc

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """An auto-commit query (schema changes, ``CALL {…} IN TRANSACTIONS``)."""
        try:
            with self.driver.session(database=self.database) as session:
                records = list(session.run(Query(query), params))
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _translate(self.uri, exc) from exc
        except DriverError as exc:
            raise _translate(self.uri, exc) from exc
        return [record.data() for record in records]

    def init_schema(self) -> list[str]:
        """Create the ontology's constraints and indexes; idempotent (``IF NOT EXISTS``)."""
        statements = [*neo4j_schema(), LOCK_SCHEMA]
        for statement in statements:
            self._run(statement)
        self._schema_ready = True
        return statements

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()

    def answer(self, spec: QuerySpec[P, A], params: P) -> A:
        """A canned query's answer from its ``.cypher`` file, run read-only on the server."""
        from chipkg.queries.neo4j_runner import run_spec

        return run_spec(self, spec, params)

    # -- writing ------------------------------------------------------------------

    def write(self, entities: Sequence[Entity], claims: Sequence[Claim]) -> WriteReport:
        """Validate everything first, then write: one transaction, or batches that resume."""
        if not self._schema_ready:
            self.init_schema()
        ents, clms = merge_batch(entities, claims)
        check_endpoints(clms, {e.id: e.label for e in ents}, self._stored_labels)
        self._check_label_clashes(ents)
        report = WriteReport(entities=len(entities), claims=len(claims))
        size = self.batch_size
        chunks: list[Chunk] = [("entities", ents[i : i + size]) for i in range(0, len(ents), size)]
        chunks += [("claims", clms[i : i + size]) for i in range(0, len(clms), size)]
        if len(ents) + len(clms) <= self.tx_records:
            new_e, new_c = self._write(lambda tx: _write_chunks(tx, chunks, None))
        else:
            new_e, new_c = self._write_in_batches(chunks, len(ents) + len(clms))
        report.new_entities, report.new_claims = new_e, new_c
        return report

    def _write_in_batches(self, chunks: list[Chunk], total: int) -> tuple[int, int]:
        """One transaction per chunk; an interruption says how far it got."""
        new_e = new_c = written = 0
        for chunk in chunks:
            progress = (written + len(chunk[1]), total)
            try:
                e, c = self._write(lambda tx, one=chunk, p=progress: _write_chunks(tx, [one], p))  # type: ignore[misc]
            except StoreError as exc:
                exc.args = (
                    f"{exc}; {written:,} of {total:,} records written (this load is larger "
                    "than CHIPKG_NEO4J_TX_RECORDS, so it commits in batches); run the same "
                    "load again to complete it",
                )
                raise
            except KeyboardInterrupt:
                print(f"{written:,} of {total:,} records written", file=sys.stderr, flush=True)
                raise
            new_e, new_c, written = new_e + e, new_c + c, progress[0]
        return new_e, new_c

    def _stored_labels(self, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}

        def work(tx: ManagedTransaction) -> dict[str, str]:
            result = tx.run(
                "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, labels(n) AS labels",
                ids=sorted(ids),
            )
            return {
                r["id"]: next(lb for lb in sorted(r["labels"]) if lb != "Entity") for r in result
            }

        return self._read(work)

    def _check_label_clashes(self, entities: list[Entity]) -> None:
        stored = self._stored_labels({e.id for e in entities})
        for entity in entities:
            label = stored.get(entity.id)
            if label is not None and label != entity.label:
                raise OntologyError(
                    f"entity {entity.id} is a {label}, cannot also be a {entity.label}"
                )

    # -- reading ------------------------------------------------------------------

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""

        def work(tx: ManagedTransaction) -> Entity | None:
            record = tx.run(
                "MATCH (n:Entity {id: $id}) RETURN labels(n) AS labels, properties(n) AS props",
                id=entity_id,
            ).single()
            return None if record is None else entity_from_node(record["labels"], record["props"])

        return self._read(work)

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Entities sorted by id, optionally of one label."""
        target = safe_label(label or "Entity")
        query = f"MATCH (n:{target}) RETURN labels(n) AS labels, properties(n) AS props"

        def work(tx: ManagedTransaction) -> list[Entity]:
            return [entity_from_node(r["labels"], r["props"]) for r in tx.run(query)]

        yield from sorted(self._read(work), key=lambda e: e.id)

    def claims(
        self,
        predicate: str | None = None,
        subject: str | None = None,
        object: str | None = None,
    ) -> Iterator[Claim]:
        """Claims sorted by key, filtered by type and endpoint ids."""
        rel = f":{safe_type(predicate)}" if predicate else ""
        conditions = []
        if subject is not None:
            conditions.append("a.id = $subject")
        if object is not None:
            conditions.append("b.id = $object")
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        query = (
            f"MATCH (a:Entity)-[r{rel}]->(b:Entity) {where} "
            "RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r) AS props"
        )

        def work(tx: ManagedTransaction) -> list[Claim]:
            rows = tx.run(query, subject=subject, object=object)
            return [claim_from_rel(r["s"], r["t"], r["o"], r["props"]) for r in rows]

        yield from sorted(self._read(work), key=lambda c: c.key)

    def counts(self) -> Counts:
        """Per-label and per-type counts (served from Neo4j's count store)."""

        def work(tx: ManagedTransaction) -> Counts:
            nodes = {
                label: tx.run(f"MATCH (n:{safe_label(label)}) RETURN count(n) AS n").single(
                    strict=True
                )["n"]
                for label in ONTOLOGY.labels
            }
            rels = {
                rel: tx.run(f"MATCH ()-[r:{safe_type(rel)}]->() RETURN count(r) AS n").single(
                    strict=True
                )["n"]
                for rel in ONTOLOGY.relationship_types
            }
            return Counts(nodes=nodes, relationships=rels)

        return self._read(work)

    def clear(self) -> None:
        """Delete every node and relationship, in chunks so big graphs do not blow the heap.

        Relationships go first: DETACH DELETE of 10,000 well-connected nodes at once ran out
        of transaction memory on a 1 GiB heap after a 100k-link load.
        """
        self._run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")
        self._run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def _write_chunks(
    tx: ManagedTransaction, chunks: list[Chunk], progress: tuple[int, int] | None
) -> tuple[int, int]:
    """Under the writer lock, write chunks of entities or claims; returns the new counts.

    All stored versions are read before anything is written: a relationship-key read
    after CREATEs in the same transaction gets slow (bench/RESULTS.md).
    """
    tx.run(TAKE_LOCK, pid=os.getpid())
    ids = [e.id for kind, records in chunks if kind == "entities" for e in records]
    keyed = [[(c.key, c) for c in records] for kind, records in chunks if kind == "claims"]
    size = max((len(records) for _, records in chunks), default=1)
    stored_entities = _read_entities(tx, ids, size)
    stored_claims = _read_claims(tx, [pair for part in keyed for pair in part], size)
    new_e = new_c = 0
    for kind, records in chunks:
        if kind == "entities":
            new_e += _write_entities(tx, records, stored_entities, size)
    for part in keyed:  # claim keys computed once, above
        new_c += _write_claims(tx, part, stored_claims, size)
    if progress is not None:
        tx.run(RECORD_PROGRESS, written=progress[0], total=progress[1])
    return new_e, new_c


def _slices(rows: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _read_entities(tx: ManagedTransaction, ids: list[str], size: int) -> dict[str, Entity]:
    """Stored versions of these entities, by id."""
    stored: dict[str, Entity] = {}
    for part in _slices(ids, size):
        for r in tx.run(
            "UNWIND $ids AS id MATCH (n:Entity {id: id}) "
            "RETURN labels(n) AS labels, properties(n) AS props",
            ids=part,
        ):
            stored[r["props"]["id"]] = entity_from_node(r["labels"], r["props"])
    return stored


def _write_entities(
    tx: ManagedTransaction, entities: list[Entity], stored: dict[str, Entity], size: int
) -> int:
    """CREATE the entities not stored, SET the merged others; one query per label and slice."""
    created: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updated: list[dict[str, Any]] = []
    for entity in entities:
        known = stored.get(entity.id)
        if known is None:
            created[entity.label].append(entity_row(entity))
        else:
            updated.append(entity_row(known.merged_with(entity)))
    for part in _slices(updated, size):
        tx.run("UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n = row", rows=part)
    for label, rows in sorted(created.items()):
        for part in _slices(rows, size):
            tx.run(
                f"UNWIND $rows AS row CREATE (n:Entity:{safe_label(label)}) SET n = row",
                rows=part,
            )
    return sum(len(rows) for rows in created.values())


def _read_claims(
    tx: ManagedTransaction, keyed: list[tuple[str, Claim]], size: int
) -> dict[str, Claim]:
    """Stored versions of these claims, by key (one read per type and slice)."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for key, claim in keyed:
        by_type[claim.predicate].append(key)
    stored: dict[str, Claim] = {}
    for rel_type, keys in sorted(by_type.items()):
        rel = safe_type(rel_type)
        for part in _slices(keys, size):
            for r in tx.run(
                # The hint keeps a plan made on an empty database from scanning the whole
                # index once per key as the graph grows (bench/RESULTS.md, "plan trap").
                f"UNWIND $keys AS k MATCH (a)-[r:{rel} {{key: k}}]->(b) "
                f"USING INDEX SEEK r:{rel}(key) "
                "RETURN a.id AS s, b.id AS o, properties(r) AS props",
                keys=part,
            ):
                stored[r["props"]["key"]] = claim_from_rel(r["s"], rel, r["o"], r["props"])
    return stored


def _write_claims(
    tx: ManagedTransaction, keyed: list[tuple[str, Claim]], stored: dict[str, Claim], size: int
) -> int:
    """SET the merged stored claims, then CREATE the new ones; returns how many were new."""
    created: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updated: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, claim in keyed:
        known = stored.get(key)
        if known is None:
            created[claim.predicate].append(claim_row(claim, key))
        else:
            updated[claim.predicate].append(claim_row(known.merged_with(claim), key))
    for rel_type, rows in sorted(updated.items()):
        rel = safe_type(rel_type)
        for part in _slices(rows, size):
            tx.run(
                f"UNWIND $rows AS row MATCH ()-[r:{rel} {{key: row.key}}]->() "
                f"USING INDEX SEEK r:{rel}(key) SET r = row.props",
                rows=part,
            )
    for rel_type, rows in sorted(created.items()):
        rel = safe_type(rel_type)
        for part in _slices(rows, size):
            tx.run(
                "UNWIND $rows AS row "
                "MATCH (a:Entity {id: row.s}) MATCH (b:Entity {id: row.o}) "
                f"CREATE (a)-[r:{rel}]->(b) SET r = row.props",
                rows=part,
            )
    return sum(len(rows) for rows in created.values())
