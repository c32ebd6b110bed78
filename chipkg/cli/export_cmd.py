"""``chipkg export``, ``chipkg validate`` and ``chipkg import``: the graph in and out as files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chipkg.cli.common import (
    DbOption,
    JsonOption,
    Neo4jOption,
    QuietOption,
    StoreOption,
    console,
    err_console,
    store_from_options,
    track,
)
from chipkg.errors import InputError
from chipkg.export.formats import RDF_FORMATS
from chipkg.export.output import atomic_dir, atomic_file
from chipkg.export.selection import Selection, find_entity, neighbourhood, whole_store

FORMATS = (*RDF_FORMATS, "graphml", "neo4j-csv")
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help=f"Output format: {'|'.join(FORMATS)}."),
]
RdfFormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help=f"RDF syntax ({'|'.join(RDF_FORMATS)}); default: suffix."),
]


def _tracked(selection: Selection, quiet: bool) -> Selection:
    """The same selection, advancing progress bars as records are written."""
    return Selection(
        entities=track(selection.entities, "entities", selection.entity_count, quiet),
        claims=track(selection.claims, "claims", selection.claim_count, quiet),
    )


def export(
    fmt: FormatOption = "ttl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File (directory for neo4j-csv); default stdout."),
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only this entity's neighbourhood (id or name).")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, help="Neighbourhood radius.")] = 1,
    with_ontology: Annotated[
        bool,
        typer.Option("--with-ontology", help="Include the OWL vocabulary and SHACL shapes (RDF)."),
    ] = False,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Export the graph (or a neighbourhood) as RDF with provenance, GraphML or Neo4j CSV."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "neo4j-csv" and output is None:
        raise InputError("--format neo4j-csv needs -o DIR")
    if with_ontology and fmt not in RDF_FORMATS:
        raise InputError("--with-ontology applies to RDF formats only")
    with store_from_options(db, neo4j, store) as opened:
        if entity is None:
            selection = whole_store(opened)
        else:
            selection = neighbourhood(opened, find_entity(opened, entity), hops)
        counted = _tracked(selection, quiet)
        if fmt == "neo4j-csv":
            assert output is not None
            _write_csv(counted, output)
            return
        with atomic_file(output) as handle:
            if fmt == "graphml":
                from chipkg.export.graphml import write_graphml  # networkx: only here

                write_graphml(counted.entities, counted.claims, handle)
            else:
                from chipkg.export.rdf import write_rdf  # rdflib: only here

                write_rdf(counted.entities, counted.claims, fmt, handle, with_ontology)
    if not quiet:
        err_console.print(
            f"exported {selection.entity_count} entities and {selection.claim_count} claims "
            f"as {fmt} to {output or 'stdout'}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _write_csv(selection: Selection, output: Path) -> None:
    """neo4j-csv into ``output`` (replaced as a whole), then the command to load it."""
    from chipkg.export.neo4j_csv import AFTER_IMPORT_FILE, write_neo4j_csv  # pulls the driver

    with atomic_dir(output) as directory:
        written = write_neo4j_csv(selection.entities, selection.claims, directory)
    err_console.print(
        f"wrote {sum(written.nodes.values())} nodes and "
        f"{sum(written.relationships.values())} relationships to {output}/; load with:\n"
        f"  cd {output} && {written.command()}\n"
        f"  (or: sh {output / 'import.sh'}); then, with Neo4j started: "
        f"cypher-shell -f {output / AFTER_IMPORT_FILE}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def validate(
    path: Annotated[Path, typer.Argument(help="RDF file to check (ttl, trig, nq, nt, jsonld).")],
    fmt: RdfFormatOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", help="Print at most this many.")] = 100,
) -> None:
    """Check an RDF file against chipkg's SHACL shapes; exit 1 when it does not conform."""
    from chipkg.export.validate import validate_file  # pyshacl: only this command needs it

    report = validate_file(path, fmt)
    if as_json:
        data = {
            "file": str(path),
            "conforms": report.conforms,
            "triples": report.triples,
            "violations": [vars(v) for v in report.violations],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif report.conforms:
        console.print(f"{path}: conforms ({report.triples} triples)", markup=False, soft_wrap=True)
    else:
        console.print(
            f"{path}: {len(report.violations)} violation(s)", markup=False, soft_wrap=True
        )
        for violation in report.violations[:limit]:
            console.print(f"  {violation.line()}", markup=False, highlight=False, soft_wrap=True)
        if len(report.violations) > limit:
            console.print(f"  … and {len(report.violations) - limit} more (--limit)")
    if not report.conforms:
        raise typer.Exit(1)


def import_rdf(
    path: Annotated[Path, typer.Argument(help="RDF file written by chipkg export.")],
    fmt: RdfFormatOption = None,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
) -> None:
    """Read an RDF export back into the graph (all records or none)."""
    from chipkg.export.rdf_import import import_rdf as import_rdf_file  # rdflib: only here

    with store_from_options(db, neo4j, store) as opened:
        report = import_rdf_file(path, opened, fmt)
    console.print(
        f"imported {report.entities} entities ({report.new_entities} new) and "
        f"{report.claims} claims ({report.new_claims} new) from {path}",
        markup=False,
        soft_wrap=True,
    )
