"""``chipkg check-data``: list the gaps in a dataset that make dated queries answer wrong."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from chipkg.cli.common import JsonOption, console
from chipkg.datacheck import KINDS, check
from chipkg.loaders.base import load_path
from chipkg.loaders.reference import REFERENCE_DIR
from chipkg.loaders.resolver import Resolver


def check_data(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Dataset to check (a reference directory or any loadable input); "
            "default: the bundled reference set.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Report islands, undated rules and products, unsourced claims and links dated too early.

    Exit status: 0 when clean, 1 when there are findings, 2 when the input cannot be read.
    """
    path = directory or REFERENCE_DIR
    result = load_path(path, Resolver())
    findings = check(result)
    companies = sum(1 for e in result.entities if e.label == "Company")
    if as_json:
        counts = Counter(f.kind for f in findings)
        payload = {
            "path": str(path),
            "entities": len(result.entities),
            "claims": len(result.claims),
            "companies": companies,
            "counts": {kind: counts.get(kind, 0) for kind in KINDS},
            "findings": [f.to_json() for f in findings],
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        for finding in findings:
            console.print(f"{finding.kind}: {finding.subject}: {finding.message}", markup=False)
        console.print(
            f"{path}: {len(result.entities)} entities ({companies} companies), "
            f"{len(result.claims)} claims, {len(findings)} findings",
            markup=False,
        )
    if findings:
        raise typer.Exit(1)
