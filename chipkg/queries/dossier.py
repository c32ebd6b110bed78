"""``dossier``: everything the graph holds about one entity, grouped by relationship.

Each claim is shown from the entity's side (``out`` when it is the subject) with
its properties, modality, confidence, validity and sources. Neo4j rows are turned
back into :class:`Claim` records with the store's own reader, so both backends
print the same dossier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chipkg.errors import NotFoundError
from chipkg.graph import Store
from chipkg.ontology import Claim, Entity
from chipkg.queries import render
from chipkg.queries.resolve import resolve_id
from chipkg.queries.results import ClaimView, DossierAnswer, Ref, RelationGroup
from chipkg.queries.spec import Arg, QuerySpec


def view(claim: Claim, other: Ref) -> ClaimView:
    """A claim as the dossier shows it."""
    return ClaimView(other=other, key=claim.key, properties=claim.properties, **claim.provenance())


def assemble(entity: Entity, rows: Iterable[tuple[str, Claim, Ref]]) -> DossierAnswer:
    """Group (direction, claim, other end) rows into the dossier."""
    groups: dict[tuple[str, str], list[ClaimView]] = {}
    for direction, claim, other in rows:
        groups.setdefault((claim.predicate, direction), []).append(view(claim, other))
    return DossierAnswer(
        params={"entity": entity.id},
        entity=Ref.of(entity, entity.id),
        aliases=entity.aliases,
        properties=entity.properties,
        relationships=[
            RelationGroup(
                relationship=pred,
                direction=direction,
                claims=sorted(claims, key=lambda c: c.key),
            )
            for (pred, direction), claims in sorted(groups.items())
        ],
    )


def dossier(store: Store, entity_id: str) -> DossierAnswer:
    """Answer dossier from an embedded store (the full claims, evidence included)."""
    entity = store.get(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the graph")
    names: dict[str, Ref] = {}

    def other(other_id: str) -> Ref:
        if other_id not in names:
            names[other_id] = Ref.of(store.get(other_id), other_id)
        return names[other_id]

    rows = [("out", c, other(c.object)) for c in store.claims(subject=entity_id)]
    rows += [
        ("in", c, other(c.subject))
        for c in store.claims(object=entity_id)
        if c.subject != entity_id
    ]
    return assemble(entity, rows)


def from_row(row: dict[str, Any], params: DossierParams) -> DossierAnswer:
    """The dossier from ``cypher/dossier.cypher``'s row: stored records, then :func:`assemble`."""
    from chipkg.graph.neo4j_store import claim_from_rel, entity_from_node

    entity = entity_from_node(row["labels"], row["props"])
    rels: list[dict[str, Any]] = [*row["outgoing"], *row["incoming"]]
    return assemble(
        entity,
        [
            (
                r["direction"],
                claim_from_rel(r["subject"], r["type"], r["object"], r["props"]),
                Ref(**r["other"]),
            )
            for r in rels
        ],
    )


@dataclass(frozen=True, kw_only=True)
class DossierParams:
    """dossier's parameter: the entity's id."""

    entity: str


def prepare(store: Store, entity: str) -> DossierParams:
    """The parameters from what the user typed (an id, name or alias of any entity)."""
    return DossierParams(entity=resolve_id(store, entity, (), "entity"))


def _python(store: Store, p: DossierParams) -> DossierAnswer:
    return dossier(store, p.entity)


SPEC = QuerySpec(
    name="dossier",
    summary="everything the graph holds about an entity",
    args=(Arg("ENTITY"),),
    options=(),
    params=DossierParams,
    answer=DossierAnswer,
    cypher="dossier",
    prepare=prepare,
    python=_python,
    render=render.dossier,
    shape=from_row,
)
