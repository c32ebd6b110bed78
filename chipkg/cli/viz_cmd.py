"""``chipkg viz`` (an interactive HTML page) and ``chipkg plot ...`` (matplotlib PNGs).

Drawing libraries are imported inside the commands so the rest of the CLI
starts fast.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from chipkg.cli.common import DbOption, Neo4jOption, StoreOption, console, store_from_options
from chipkg.errors import ChipkgError, InputError

app = typer.Typer(no_args_is_help=True, help="Draw matplotlib plots (PNG).")

QUERIES = ("reachable-suppliers",)

OutputOption = Annotated[Path, typer.Option("--output", "-o", help="File to write.")]
OnOption = Annotated[str | None, typer.Option("--on", help="Date YYYY[-MM[-DD]] (default: today).")]


def write_text_atomic(path: Path, text: str) -> None:
    """Write next to ``path`` first and move it in place: no half-written page."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ChipkgError(f"{path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def viz(
    entity: Annotated[str, typer.Argument(help="Entity id, name or alias, e.g. DeepSeek.")],
    output: OutputOption,
    hops: Annotated[int, typer.Option("--hops", help="Links to walk out from the entity.")] = 2,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Only links valid on this date; cuts as of it (default today)."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", help="Draw a canned query's answer instead: reachable-suppliers."),
    ] = None,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
) -> None:
    """Write a self-contained HTML view of an entity's neighbourhood or a query's answer."""
    from chipkg.viz.graph import check_date, find_entity, neighbourhood
    from chipkg.viz.html import render

    if query is not None and query not in QUERIES:
        raise InputError(f"--query must be one of {', '.join(QUERIES)}, got {query!r}")
    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{output}: the view is an HTML page, give a .html file name")
    check_date(on)
    with store_from_options(db, neo4j, store) as opened:
        found = find_entity(opened, entity)
        if query == "reachable-suppliers":
            from chipkg.viz.answers import reachable_suppliers_view

            view = reachable_suppliers_view(opened, found.id, on)
        else:
            view = neighbourhood(opened, found.id, hops, on)
        page = render(view)
    write_text_atomic(output, page)
    cut = sum(1 for e in view.edges.values() if e.cuts)
    console.print(
        f"wrote {output} ({len(view.nodes)} nodes, {len(view.edges)} links, {cut} cut)",
        markup=False,
    )


@app.command("sanctions-timeline")
def sanctions_timeline(
    entity: Annotated[str, typer.Argument(help="Company (or other entity) id, name or alias.")],
    output: OutputOption,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
) -> None:
    """Plot the listings and rules that reach an entity, in date order."""
    from chipkg.viz import plotdata, plots
    from chipkg.viz.graph import find_entity

    with store_from_options(db, neo4j, store) as opened:
        found = find_entity(opened, entity)
        rows = plotdata.sanctions_timeline(opened, found)
    figure = plots.timeline_figure(
        f"Sanctions timeline: {found.name}", rows, date.today().isoformat()
    )
    plots.save_png(figure, output)
    console.print(f"wrote {output} ({len(rows)} regulations)", markup=False)


@app.command("chokepoints")
def chokepoints(
    product: Annotated[str, typer.Argument(help="Product or technology id, name or alias.")],
    output: OutputOption,
    on: OnOption = None,
    for_country: Annotated[
        str | None,
        typer.Option("--for-country", help="Mark providers cut off for buyers in this country."),
    ] = None,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
) -> None:
    """Plot provider shares for each input of a product, cut-off providers marked."""
    from chipkg.queries.dates import as_of
    from chipkg.viz import plotdata, plots
    from chipkg.viz.graph import check_date, find_entity

    when = as_of(check_date(on))
    with store_from_options(db, neo4j, store) as opened:
        found = find_entity(opened, product)
        if found.label not in ("Product", "Technology"):
            raise InputError(f"{found.name} is a {found.label}, not a Product or Technology")
        country = find_entity(opened, for_country, "Country").id if for_country else None
        rows = plotdata.chokepoints(opened, found.id, when, country)
    title = f"Chokepoints: providers of {found.name} and its inputs"
    where = f"for buyers in {for_country}" if for_country else "no --for-country: cuts not assessed"
    plots.save_png(plots.chokepoints_figure(title, rows, f"{where}, on {when}"), output)
    cut = sum(1 for r in rows for p in r.providers if p.cut_by)
    console.print(f"wrote {output} ({len(rows)} inputs, {cut} providers cut off)", markup=False)
