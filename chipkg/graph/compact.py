"""Compact in-memory encoding of records for the embedded store.

A pydantic ``Claim`` with its evidence takes about 3.7 KB of memory (plus 0.6 KB
of networkx edge); a million supply links then need over 7 GB. The embedded
store keeps each record instead as one small UTF-8 JSON blob (about 300 bytes a
claim) and rebuilds the record when it is read. A blob holds exactly the fields
of the validated record, so a decoded record equals the one that was written.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json, to_json

from chipkg.ontology import ONTOLOGY, Claim, Entity, Evidence
from chipkg.ontology.records import claim_key
from chipkg.ontology.trusted import construct


def _blob(value: Any) -> bytes:
    """Compact UTF-8 JSON, by pydantic-core's Rust encoder (3x the speed of ``json``'s C
    one on claim blobs; the same bytes for chipkg's JSON values, NaN kept as ``NaN``)."""
    return to_json(value, inf_nan_mode="constants")


def parse(data: bytes | str) -> Any:
    """A stored line or blob, parsed by pydantic-core's Rust parser (about 3x the speed of
    ``json.loads`` on a claim blob). What only Python's parser accepts (a lone surrogate
    escape, which ``json.loads`` let into a record) or nothing accepts goes through
    ``json.loads``, so a damaged file gets its usual error."""
    try:
        return from_json(data)
    except ValueError:
        return json.loads(data)


_EMPTY: tuple[Any, ...] = (None, {}, [])


def evidence_obj(evidence: Evidence) -> dict[str, Any]:
    """Evidence as a JSON-ready dict without empty fields (as in chipkg JSON lines)."""
    return {k: v for k, v in evidence.__dict__.items() if v not in _EMPTY}


def encode_entity(entity: Entity) -> bytes:
    """``[name, aliases, properties]``; the id and label are kept by the store's indexes."""
    return _blob([entity.name, entity.aliases, entity.properties])


def decode_entity(entity_id: str, label: str, blob: bytes) -> Entity:
    """The Entity a blob was made from (it was validated when first written)."""
    name, aliases, properties = parse(blob)
    return construct(
        Entity,
        {
            "id": entity_id,
            "label": label,
            "name": name,
            "aliases": aliases,
            "properties": properties,
        },
    )


_AGGREGATES = ("modality", "confidence", "attributed_to", "valid_from", "valid_to", "properties")


def encode_claim(claim: Claim) -> bytes:
    """``[subject, object, derived, *aggregates, evidence]``; the predicate starts the key."""
    d = claim.__dict__
    evidence = [evidence_obj(ev) for ev in claim.evidence]
    return _blob([d["subject"], d["object"], d["derived"], *(d[k] for k in _AGGREGATES), evidence])


def claim_obj(claim: Claim) -> dict[str, Any]:
    """The dict of a claim's chipkg JSON line, built from its fields without ``model_dump``.

    Same keys, order and values as :func:`chipkg.ontology.serialize.to_obj` (a test
    compares the two); the store writes one per claim, so the copy pydantic makes costs.
    """
    d = claim.__dict__
    return _claim_obj(d, [evidence_obj(ev) for ev in d["evidence"]])


def _claim_obj(fields: dict[str, Any], evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """A claim line's dict from its fields and its evidence dicts: the one place its keys
    and their order are set (a fresh write and a compaction both come through here)."""
    obj: dict[str, Any] = {"kind": "claim"}
    for name in _CLAIM_FIELDS:
        obj[name] = fields[name]
    obj["evidence"] = evidence
    obj["sources"] = sorted({ev["source"] for ev in evidence})
    return obj


_CLAIM_FIELDS = tuple(name for name in Claim.model_fields if name != "evidence")


def _line_of(obj: Any) -> str:
    """A stored line: compact JSON by pydantic-core's Rust encoder, about 3x the speed of
    ``json``'s C one. The store's files are read back as JSON, so their spacing is free;
    ``chipkg``'s exported JSON lines (``to_line``) keep theirs."""
    return to_json(obj, inf_nan_mode="constants").decode()


def claim_line_and_blob(claim: Claim) -> tuple[str, bytes]:
    """The stored JSON line of a claim and its in-memory blob, from one dict of it."""
    obj = claim_obj(claim)
    return _line_of(obj), encode_claim_obj(obj)


def encode_claim_obj(obj: dict[str, Any]) -> bytes:
    """The blob of a claim read from a chipkg JSON line (evidence already without nulls)."""
    aggregates = [obj.get(k) for k in _AGGREGATES[:-1]] + [obj.get("properties") or {}]
    parts = [obj["subject"], obj["object"], bool(obj.get("derived")), *aggregates, obj["evidence"]]
    return _blob(parts)


def _blob_fields(predicate: str, blob: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A claim blob's fields by name (in the model's order), and its evidence dicts."""
    subject, obj, derived, modality, confidence, attributed_to, start, end, props, evidence = parse(
        blob
    )
    fields = {
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "properties": props,
        "modality": modality,
        "attributed_to": attributed_to,
        "confidence": confidence,
        "valid_from": start,
        "valid_to": end,
        "derived": derived,
    }
    return fields, evidence


def decode_claim(predicate: str, blob: bytes) -> Claim:
    """Rebuild the claim without validating it again: the blob was made from a validated
    claim (its evidence included), and a streamed load or a full read decodes every one."""
    fields, evidence = _blob_fields(predicate, blob)
    fields["evidence"] = [construct(Evidence, ev) for ev in evidence]
    return construct(Claim, fields)


def stored_entity_line(entity: Entity) -> str:
    """The stored JSON line of an entity: the fields of ``to_line``, as the store writes them."""
    return _entity_line(entity.__dict__)


def entity_line(entity_id: str, label: str, blob: bytes) -> str:
    """The stored JSON line of an entity, straight from its blob (a compaction rewrites
    every record: building each pydantic model only to dump it again costs most of it)."""
    name, aliases, properties = parse(blob)
    return _entity_line(
        {
            "id": entity_id,
            "label": label,
            "name": name,
            "aliases": aliases,
            "properties": properties,
        }
    )


def _entity_line(fields: dict[str, Any]) -> str:
    return _line_of({"kind": "entity", **{name: fields[name] for name in _ENTITY_FIELDS}})


_ENTITY_FIELDS = tuple(Entity.model_fields)


def claim_line(predicate: str, blob: bytes) -> str:
    """The stored JSON line of a claim, straight from its blob: ``to_line`` of the decoded
    claim, without validating and dumping its evidence again (a test compares the two)."""
    return _line_of(_claim_obj(*_blob_fields(predicate, blob)))


def stored_entity(obj: dict[str, Any]) -> Entity:
    """The entity of a stored line (validated when written, so built without validation)."""
    return construct(
        Entity,
        {
            "id": obj["id"],
            "label": obj["label"],
            "name": obj["name"],
            "aliases": obj.get("aliases") or [],
            "properties": obj.get("properties") or {},
        },
    )


def stored_claim_key(obj: dict[str, Any]) -> tuple[str, str]:
    """The ontology's predicate name and ``Claim.key`` of a stored claim line."""
    predicate = ONTOLOGY.relationship(obj["predicate"]).name
    return predicate, claim_key(
        predicate, obj["subject"], obj["object"], obj.get("properties") or {}
    )
