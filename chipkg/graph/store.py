"""The one store interface every backend implements (as nomenklatura's ``Store``).

Writers buffer records and write them when the ``with`` block ends; a block that
raises writes nothing. Readers see entities and claims as ontology records, so
queries and exports do not care which backend holds the graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

from chipkg.errors import OntologyError, StoreError
from chipkg.ontology import ONTOLOGY, Claim, Entity
from chipkg.ontology.records import merge_claims, merge_entities

if TYPE_CHECKING:
    import networkx as nx

    from chipkg.graph.view import GraphView
    from chipkg.queries.results import Answer
    from chipkg.queries.spec import Params, QuerySpec  # a dataclass instance

    A = TypeVar("A", bound=Answer)
    P = TypeVar("P", bound=Params)

Direction = Literal["out", "in", "both"]


@dataclass
class Counts:
    """Node counts by label and relationship counts by type (the ``stats --json`` shape)."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, dict[str, int]]:
        """Sorted, zero-free dicts so two backends compare equal as JSON."""
        return {
            "nodes": {k: v for k, v in sorted(self.nodes.items()) if v},
            "relationships": {k: v for k, v in sorted(self.relationships.items()) if v},
        }


@dataclass
class WriteReport:
    """What one write did: records received and how many were new."""

    entities: int = 0
    claims: int = 0
    new_entities: int = 0
    new_claims: int = 0

    def add(self, other: WriteReport) -> None:
        """Accumulate another batch's report."""
        self.entities += other.entities
        self.claims += other.claims
        self.new_entities += other.new_entities
        self.new_claims += other.new_claims


def merge_batch(
    entities: Iterable[Entity], claims: Iterable[Claim]
) -> tuple[list[Entity], list[Claim]]:
    """Collapse duplicates inside one batch: one record per entity id and per claim key.

    Records are grouped first and each group merged once, so a fact seen in 100k
    rows costs one merge of 100k pieces of evidence, not 100k growing merges.
    """
    ents, keyed = merge_batch_keyed(entities, claims)
    return ents, list(keyed.values())


def merge_batch_keyed(
    entities: Iterable[Entity], claims: Iterable[Claim]
) -> tuple[list[Entity], dict[str, Claim]]:
    """:func:`merge_batch` with the merged claims by key (``Claim.key`` computed once each)."""
    by_id: dict[str, list[Entity]] = {}
    for entity in entities:
        by_id.setdefault(entity.id, []).append(entity)
    by_key: dict[str, list[Claim]] = {}
    for claim in claims:
        by_key.setdefault(claim.key, []).append(claim)
    return (
        [merge_entities(group) for group in by_id.values()],
        {key: merge_claims(group) for key, group in by_key.items()},
    )


def check_endpoints(
    claims: Iterable[Claim],
    batch_labels: dict[str, str],
    stored_labels: Callable[[set[str]], dict[str, str]],
) -> None:
    """Reject the whole batch when a claim names a missing entity or a forbidden pair."""
    pending = list(claims)
    wanted = {c.subject for c in pending} | {c.object for c in pending}
    missing = wanted - batch_labels.keys()
    labels = {**stored_labels(missing), **batch_labels} if missing else batch_labels
    for claim in pending:
        for end in (claim.subject, claim.object):
            if end not in labels:
                raise OntologyError(f"{claim.predicate} claim names unknown entity {end!r}")
        ONTOLOGY.check_endpoints(claim.predicate, labels[claim.subject], labels[claim.object])
    for source in {s for c in pending for s in c.sources} - labels.keys():
        found = stored_labels({source})
        if found.get(source) != "Source":
            raise OntologyError(f"claim evidence names unknown Source {source!r}")


class Store(ABC):
    """A graph of entities and claims; see the module docstring for the contract."""

    #: Short backend name shown to users ("embedded", "neo4j").
    backend: str = "abstract"

    @abstractmethod
    def write(self, entities: Sequence[Entity], claims: Sequence[Claim]) -> WriteReport:
        """Validate and write one batch; all of it lands or none of it does."""

    @abstractmethod
    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""

    @abstractmethod
    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """All entities, or those of one label."""

    @abstractmethod
    def claims(
        self,
        predicate: str | None = None,
        subject: str | None = None,
        object: str | None = None,
    ) -> Iterator[Claim]:
        """Claims filtered by type and/or endpoint ids."""

    @abstractmethod
    def counts(self) -> Counts:
        """Node counts by label and relationship counts by type."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything (tests and ``--reset`` only)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or files."""

    def neighbours(
        self, entity_id: str, direction: Direction = "both", predicates: Sequence[str] = ()
    ) -> Iterator[Claim]:
        """Claims touching an entity, optionally only of some types."""
        wanted: list[str | None] = [*predicates] or [None]
        for predicate in wanted:
            if direction in ("out", "both"):
                yield from self.claims(predicate=predicate, subject=entity_id)
            if direction in ("in", "both"):
                for claim in self.claims(predicate=predicate, object=entity_id):
                    if direction == "in" or claim.subject != entity_id:
                        yield claim

    def to_networkx(self, answer: Any = None, *, evidence: bool = False) -> nx.MultiDiGraph:
        """The graph, or a query answer's subgraph, as networkx (:mod:`chipkg.graph.to_networkx`)."""
        from chipkg.graph.to_networkx import to_networkx

        return to_networkx(self, answer, evidence)

    @property
    def revision(self) -> int | None:
        """A counter that changes with every write; None when the backend keeps none."""
        return None

    def view(self) -> GraphView:
        """The traversal view the Python query engine walks, rebuilt when ``revision`` moves."""
        from chipkg.graph.view import view_of

        return view_of(self)

    def answer(self, spec: QuerySpec[P, A], params: P) -> A:
        """A canned query's answer; the base store runs the query's Python engine."""
        return spec.python(self, params)

    def writer(self, batch_size: int = 10_000) -> Writer:
        """A buffered writer; see :class:`Writer`."""
        return Writer(self, batch_size)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def count_records(entities: Iterable[Entity], claims: Iterable[Claim]) -> Counts:
    """Counts computed from records, for backends that keep them in memory."""
    return Counts(
        nodes=dict(Counter(e.label for e in entities)),
        relationships=dict(Counter(c.predicate for c in claims)),
    )


class Writer:
    """Buffers records and writes them in batches of ``batch_size`` records.

    A block of up to ``batch_size`` records is written once, when it ends, and a
    block that raises writes nothing. A bigger block writes a batch each time the
    buffer fills, so a load of any size holds one batch at a time; a block that
    raises then keeps the batches already written (loads are idempotent: running
    the same load again completes it). Callers check their input before writing.
    Queue each claim's entities before the claim, in the same or an earlier batch.
    """

    def __init__(self, store: Store, batch_size: int) -> None:
        if batch_size < 1:
            raise StoreError("batch size must be at least 1")
        self.store = store
        self.batch_size = batch_size
        self.entities: list[Entity] = []
        self.claims: list[Claim] = []
        self.report = WriteReport()
        #: Records written by the batches flushed so far.
        self.written = 0

    def add_entity(self, entity: Entity) -> None:
        """Queue an entity; write the batch when it is full."""
        self.entities.append(entity)
        self._flush_if_full()

    def add_claim(self, claim: Claim) -> None:
        """Queue a claim; write the batch when it is full."""
        self.claims.append(claim)
        self._flush_if_full()

    def _flush_if_full(self) -> None:
        if len(self.entities) + len(self.claims) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write what is queued as one batch."""
        if not self.entities and not self.claims:
            return
        size = len(self.entities) + len(self.claims)
        self.report.add(self.store.write(self.entities, self.claims))
        self.entities, self.claims = [], []
        self.written += size

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()
        self.entities, self.claims = [], []
