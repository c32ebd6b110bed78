"""Answers as tables for notebooks: rows, a pandas DataFrame, an HTML table, a networkx graph.

One row per thing the question is about: a supplier (reachable or cut), a dependent,
an input, an alternative provider, a timeline event, a what-if change, a claim of a
dossier, a conflict. Rows are built from the answer's documented JSON, so they read
the same whichever backend answered, and lists found in the JSON that this module does
not know yet (new statuses) still become rows, with their key as ``status``.
pandas is optional (``pip install 'chipkg[pandas]'``); rows and HTML need nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from chipkg.graph.store import Store

Row = dict[str, Any]
HTML_ROWS = 50

PATHS = ("tier", "items", "path", "regulations", "reason", "sources")
#: Per query: who a row is about, the status of each list of rows, the columns after the party.
PARTIES: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "reachable-suppliers": ("supplier", {"reachable": "reachable", "blocked": "cut"}, PATHS),
    "exposure": ("customer", {"dependents": "depends", "cut_off": "cut"}, PATHS),
    "alternatives": (
        "provider",
        {"alternatives": "available", "blocked": "cut"},
        ("items", "relations", "regulations", "reason", "sources"),
    ),
    "what-if": (
        "supplier",
        {"lost": "lost", "gained": "gained", "changed": "changed", "denied": "denied"},
        ("tier", "hops_before", "hops_after", "regulations", "reason"),
    ),
}


def _names(refs: Any) -> list[str]:
    return [r["name"] for r in refs or [] if isinstance(r, dict)]


def _path(entry: Row) -> str | None:
    """A witness path (or a cut link) as ``A → B → C`` by name."""
    steps = entry.get("path") or ([entry["link"]] if isinstance(entry.get("link"), dict) else [])
    if not steps:
        return None
    return " → ".join([steps[0]["supplier"]["name"], *(s["customer"]["name"] for s in steps)])


def party_row(who: str, status: str, entry: Row, columns: tuple[str, ...]) -> Row:
    """One supplier, dependent or provider, whatever list of the answer it came from."""
    ref = entry.get(who) or {}
    link = entry.get("link") or {}
    items = entry.get("items")
    if items is None:
        items = list(dict.fromkeys(i for i in (entry.get("item"), link.get("item")) if i))
    known: Row = {
        "tier": entry.get("hops"),
        "items": items,
        "path": _path(entry),
        "regulations": _names(entry.get("regulations")),
        "sources": entry.get("sources") or link.get("sources") or [],
    }
    row: Row = {"status": status, f"{who}_id": ref.get("id"), who: ref.get("name")}
    row.update({c: known[c] if c in known else entry.get(c) for c in columns})
    skip = {who, "link", "path", "via", "hops", "item", *known, *row}
    return {**row, **{k: v for k, v in entry.items() if k not in skip}}


def party_rows(answer: Row) -> list[Row]:
    """Rows of the answers about parties (suppliers, dependents, providers)."""
    who, statuses, columns = PARTIES[answer["query"]]
    rows = []
    for key, value in answer.items():
        if key == "not_assessed" and isinstance(value, list):
            value = [{who: ref} for ref in value]
        if (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and who in v for v in value)
        ):
            status = statuses.get(key, key.replace("_", "-"))
            rows += [party_row(who, status, entry, columns) for entry in value]
    return rows


def chokepoint_rows(answer: Row) -> list[Row]:
    """One row per input of the product; chokepoints carry reasons and providers."""
    found = {c["input"]["id"]: c for c in answer.get("chokepoints", [])}
    rows = []
    for item in answer.get("inputs", []):
        hit = found.get(item["id"], {})
        providers = hit.get("providers", [])
        rows.append(
            {
                "input_id": item["id"],
                "input": item["name"],
                "chokepoint": bool(hit),
                "reasons": hit.get("reasons", []),
                "dominant": (hit.get("dominant") or {}).get("name"),
                "providers": [p["provider"]["name"] for p in providers],
                "shares": [p.get("market_share") for p in providers],
                "cut_providers": [p["provider"]["name"] for p in providers if p.get("cut_by")],
            }
        )
    return rows


def event_rows(answer: Row) -> list[Row]:
    """One row per regulation in a sanctions timeline."""
    return [
        {
            "date": e.get("date"),
            "until": e.get("until"),
            "regulation_id": e["regulation"]["id"],
            "regulation": e["regulation"]["name"],
            "kind": e.get("kind"),
            "citation": e.get("citation"),
            "relations": e.get("relations", []),
        }
        for e in answer.get("events", [])
    ]


def claim_rows(answer: Row) -> list[Row]:
    """One row per claim of a dossier, from the entity's point of view."""
    return [
        {
            "relationship": group["relationship"],
            "direction": group["direction"],
            "other_id": c["other"]["id"],
            "other": c["other"]["name"],
            **{k: c.get(k) for k in ("modality", "confidence", "valid_from", "valid_to")},
            "derived": c.get("derived"),
            "sources": c.get("sources", []),
            "properties": c.get("properties", {}),
            "key": c.get("key"),
        }
        for group in answer.get("relationships", [])
        for c in group.get("claims", [])
    ]


def conflict_rows(answer: Row) -> list[Row]:
    """One row per contradiction, with the values each side asserts."""
    return [
        {
            "kind": c["kind"],
            "predicate": c["predicate"],
            "subject": (c.get("subject") or {}).get("name"),
            "object": c["object"]["name"],
            "property": c.get("property"),
            "values": [s["value"] for s in c.get("sides", [])],
            "sources": [s["sources"] for s in c.get("sides", [])],
        }
        for c in answer.get("conflicts", [])
    ]


ROWS: dict[str, Callable[[Row], list[Row]]] = {
    **dict.fromkeys(PARTIES, party_rows),
    "chokepoints": chokepoint_rows,
    "sanctions-timeline": event_rows,
    "dossier": claim_rows,
    "conflicts": conflict_rows,
}

#: The columns every row of a query has, also when the answer is empty.
COLUMNS: dict[str, tuple[str, ...]] = {
    **{q: ("status", f"{who}_id", who, *cols) for q, (who, _, cols) in PARTIES.items()},
    "chokepoints": (
        "input_id",
        "input",
        "chokepoint",
        "reasons",
        "dominant",
        "providers",
        "shares",
        "cut_providers",
    ),
    "sanctions-timeline": (
        "date",
        "until",
        "regulation_id",
        "regulation",
        "kind",
        "citation",
        "relations",
    ),
    "dossier": (
        "relationship",
        "direction",
        "other_id",
        "other",
        "modality",
        "confidence",
        "valid_from",
        "valid_to",
        "derived",
        "sources",
        "properties",
        "key",
    ),
    "conflicts": (
        "kind",
        "predicate",
        "subject",
        "object",
        "property",
        "values",
        "sources",
    ),
}


def plain(answer: Any) -> Row:
    """An answer model, or its JSON, as plain data."""
    return answer.model_dump(mode="json") if isinstance(answer, BaseModel) else dict(answer)


def columns(answer: Any) -> list[str]:
    """The table's columns: the query's own, then any new field its rows carry."""
    data = plain(answer)
    base = COLUMNS.get(data.get("query", ""), ())
    return list(dict.fromkeys([*base, *(k for r in _made(data) for k in r)]))


def _made(data: Row) -> list[Row]:
    maker = ROWS.get(data.get("query", ""))
    if maker is None:
        raise ValueError(f"no table form for query {data.get('query')!r}")
    return maker(data)


def rows(answer: Any) -> list[Row]:
    """The answer's rows (see the module docstring); every row has the same columns."""
    data = plain(answer)
    found = _made(data)
    names = columns(data)
    return [{c: r.get(c) for c in names} for r in found]


def to_dataframe(answer: Any) -> pd.DataFrame:
    """The rows as a pandas DataFrame (needs the optional ``pandas`` extra)."""
    try:
        import pandas as pd
    except ImportError as missing:
        raise ImportError(
            "answer.to_dataframe() needs pandas: pip install 'chipkg[pandas]'"
        ) from missing
    return pd.DataFrame(rows(answer), columns=columns(answer))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def to_html(answer: Any) -> str:
    """A small HTML table (first rows) with the question and its parameters as caption."""
    data = plain(answer)
    found = rows(data)
    params = ", ".join(f"{k}={v}" for k, v in data.get("params", {}).items() if v is not None)
    caption = (
        f"<b>{html.escape(str(data.get('query')))}</b> ({html.escape(params)}): {len(found)} rows"
    )
    if not found:
        return f"<p>{caption}</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in found[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in r.values()) + "</tr>"
        for r in found[:HTML_ROWS]
    )
    more = f"<p>… {len(found) - HTML_ROWS} more rows</p>" if len(found) > HTML_ROWS else ""
    return f"<table><caption>{caption}</caption><tr>{head}</tr>{body}</table>{more}"


class TableMixin:
    """What notebooks call on an answer: ``rows``, ``to_dataframe``, ``to_networkx``, HTML."""

    def rows(self) -> list[Row]:
        """One dict per supplier, dependent, input, event… (see :mod:`chipkg.queries.tables`)."""
        return rows(self)

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (``pip install 'chipkg[pandas]'``)."""
        return to_dataframe(self)

    def to_networkx(self, store: Store, *, evidence: bool = False) -> nx.MultiDiGraph:
        """The entities and claims this answer names, from ``store`` (see ``Store.to_networkx``)."""
        return store.to_networkx(self, evidence=evidence)

    def _repr_html_(self) -> str:
        return to_html(self)
