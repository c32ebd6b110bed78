"""chipkg's own line format: one JSON object per entity or claim (``"kind"`` says which).

The same shape is the output of ``chipkg extract``, the input of ``chipkg load
--format jsonl`` and the embedded store's file, so each can be fed to the others.
"""

from __future__ import annotations

import json
from typing import Any

from chipkg.errors import OntologyError
from chipkg.ontology.records import Claim, Entity

Record = Entity | Claim


def to_obj(record: Record) -> dict[str, Any]:
    """A JSON-ready dict, ``kind`` first, without empty evidence fields."""
    if isinstance(record, Entity):
        return {"kind": "entity", **record.model_dump()}
    data = record.model_dump()
    data["evidence"] = [
        {k: v for k, v in ev.items() if v not in (None, {}, [])} for ev in data["evidence"]
    ]
    return {"kind": "claim", **data, "sources": record.sources}


def to_line(record: Record) -> str:
    """One line of JSON, UTF-8 safe (non-ASCII kept as is)."""
    return json.dumps(to_obj(record), ensure_ascii=False, sort_keys=False)


def from_obj(obj: Any) -> Record:
    """Build an Entity or Claim from a decoded JSON object, or raise a clear error."""
    if not isinstance(obj, dict):
        raise OntologyError("expected a JSON object")
    kind = obj.get("kind")
    if kind == "claim":  # Claim's before-validator drops "kind" itself (no copy here)
        return Claim.model_validate(obj)
    if kind == "entity":
        return Entity.model_validate({k: v for k, v in obj.items() if k != "kind"})
    raise OntologyError(f"'kind' must be 'entity' or 'claim', got {kind!r}")
