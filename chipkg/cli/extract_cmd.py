"""``chipkg extract``: print what the text extractor finds, without touching any store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from chipkg.cli.common import console
from chipkg.errors import InputError
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.extractor import Extraction
from chipkg.loaders.text.language import LANGUAGES
from chipkg.loaders.text.loader import extract_path
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import to_obj

NARROW = {"claim": 26, "how": 20}  # widest they get; the quote takes what is left
WIDE_COLUMNS = ("subject", "predicate", "object", "properties", "modality", "conf", "quote")
EVIDENCE_KEYS = ("source", "start", "end", "quote", "language", "extractor", "extractor_version")


def claim_lines(claim: Claim) -> Iterator[dict[str, Any]]:
    """One JSON object per piece of evidence, with ``evidence`` as a single object.

    Loading these lines back (``chipkg load --format jsonl``) merges them into ``claim``.
    """
    for ev in claim.evidence:
        yield {
            "kind": "claim",
            "subject": claim.subject,
            "predicate": claim.predicate,
            "object": claim.object,
            "modality": ev.modality,
            "attributed_to": ev.attributed_to,
            "confidence": ev.confidence,
            "properties": ev.properties,
            "valid_from": ev.valid_from,
            "valid_to": ev.valid_to,
            "evidence": {k: getattr(ev, k) for k in EVIDENCE_KEYS},
        }


def entity_line(entity: Entity) -> dict[str, Any]:
    """The entity record as a JSON object."""
    return to_obj(entity)


def extract(
    files: Annotated[list[Path], typer.Argument(help="Text, Markdown or HTML files.")],
    lang: Annotated[str, typer.Option("--lang", help="Language: auto, it, en, de or fr.")] = "auto",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output: jsonl (one record a line) or table.")
    ] = "jsonl",
    wide: Annotated[
        bool, typer.Option("--wide", help="Table: whole quotes, wrapped (default: cut to fit).")
    ] = False,
) -> None:
    """Extract entities and claims from news texts and print them (no store is touched)."""
    if lang != "auto" and lang not in LANGUAGES:
        raise InputError(f"--lang must be auto or one of {', '.join(LANGUAGES)}, got {lang!r}")
    if fmt not in ("jsonl", "table"):
        raise InputError(f"--format must be jsonl or table, got {fmt!r}")
    resolver = Resolver()
    results = [extract_path(f, resolver, None if lang == "auto" else lang) for f in files]
    if fmt == "jsonl":
        _print_jsonl(results)
    else:
        _print_table(results, wide)


def _print_jsonl(results: list[Extraction]) -> None:
    printed: set[str] = set()
    for found in results:
        for entity in found.entities:
            if entity.id not in printed:
                printed.add(entity.id)
                typer.echo(json.dumps(entity_line(entity), ensure_ascii=False))
        for claim in found.claims:
            for line in claim_lines(claim):
                typer.echo(json.dumps(line, ensure_ascii=False))


def _print_table(results: list[Extraction], wide: bool) -> None:
    """One table per document that fits the terminal: the quote column gets the width
    left over and is cut with an ellipsis on one line (``--wide``: whole quotes, wrapped)."""
    for found in results:
        console.print(_table(found, wide))


def _table(found: Extraction, wide: bool) -> Table:
    names = {e.id: e.name for e in found.entities}
    table = Table(
        title=f"{found.source.name} ({found.language}): {len(found.claims)} claims",
        expand=not wide,
        box=box.SIMPLE_HEAD,
    )
    columns = WIDE_COLUMNS if wide else ("claim", "how", "quote")
    for column in columns:
        if column == "quote" and not wide:
            table.add_column(column, no_wrap=True, overflow="ellipsis", ratio=1, min_width=10)
        else:
            table.add_column(column, overflow="fold", max_width=None if wide else NARROW[column])
    for claim in found.claims:
        for line in claim_lines(claim):
            cells = _cells(claim, line, names)
            if wide:
                table.add_row(*(cells[c] for c in WIDE_COLUMNS))
            else:
                table.add_row(
                    f"{cells['subject']} {cells['predicate']} {cells['object']}",
                    " ".join(filter(None, (cells["modality"], cells["conf"], cells["properties"]))),
                    " ".join(cells["quote"].split()),
                )
    return table


def _cells(claim: Claim, line: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    props = ", ".join(f"{k}={v}" for k, v in sorted(line["properties"].items()))
    modality = line["modality"]
    if line["attributed_to"]:
        modality += f" ({line['attributed_to']})"
    start, end = line["valid_from"], line["valid_to"]
    when = f"from {start}" if start else ""
    when += f" until {end}" if end else ""
    return {
        "subject": names.get(claim.subject, claim.subject),
        "predicate": claim.predicate,
        "object": names.get(claim.object, claim.object),
        "properties": ", ".join(filter(None, (props, when.strip()))),
        "modality": modality,
        "conf": f"{line['confidence']:.2f}",
        "quote": line["evidence"]["quote"],
    }
