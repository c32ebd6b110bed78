"""The endpoint check of a streamed load, done before anything is written.

A store checks each batch it writes: a claim must name stored entities of labels its
predicate allows, and evidence must cite a stored Source. A load written in batches
would find a bad claim only after the batches before it were written, so a streamed
load checks every claim first: as it is read, against the entities known by then
(the store's and the input's so far); the few it cannot settle yet (their entity comes
later in the input, or they are wrong) wait on disk and are checked, in input order,
once everything has been read, by the store's own rule (the same error as a write).
"""

from __future__ import annotations

from collections.abc import MutableMapping

from chipkg.errors import OntologyError
from chipkg.graph.store import check_endpoints
from chipkg.loaders.base import ClaimSpool
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import ONTOLOGY, Claim

#: Waiting claims checked together at the end (a store write checks a batch this size).
CHUNK = 10_000


class EndpointCheck:
    """Claims checked as they are read; those not settled yet wait for :meth:`finish`."""

    def __init__(self, resolver: Resolver) -> None:
        self.labels: MutableMapping[str, str] = resolver.labels
        self.waiting = ClaimSpool()

    def claim(self, claim: Claim) -> None:
        """Check one claim now, or park it for the end."""
        labels = self.labels
        subject, obj = labels.get(claim.subject), labels.get(claim.object)
        settled = subject is not None and obj is not None
        if settled:
            try:
                ONTOLOGY.check_endpoints(claim.predicate, subject, obj)  # type: ignore[arg-type]
            except OntologyError:
                settled = False
        if settled and all(labels.get(s) == "Source" for s in claim.sources):
            return
        self.waiting.add(claim)

    def finish(self) -> None:
        """Check the waiting claims against every entity read; raise as a write would."""
        chunk: list[Claim] = []
        for claim in self.waiting:
            chunk.append(claim)
            if len(chunk) >= CHUNK:
                check_endpoints(chunk, {}, self._stored)
                chunk.clear()
        if chunk:
            check_endpoints(chunk, {}, self._stored)

    def _stored(self, ids: set[str]) -> dict[str, str]:
        labels = self.labels
        return {i: label for i in ids if (label := labels.get(i)) is not None}

    def close(self) -> None:
        """Delete the waiting claims."""
        self.waiting.close()
