"""``chipkg ask NAME ARGS``: the canned questions, as tables or as stable JSON.

Every query runs on the embedded store (``--db``) or on Neo4j (``--neo4j``) with
the same answer; see :mod:`chipkg.queries`. Entity arguments take ids, names or
aliases; an unknown name fails with close matches.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from chipkg.cli.common import (
    DbOption,
    JsonOption,
    Neo4jOption,
    StoreOption,
    console,
    store_from_options,
)
from chipkg.errors import InputError
from chipkg.queries import QUERIES, run
from chipkg.queries.results import Answer


def query_kwargs(name: str, args: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """Check arity and options for one query (from its spec); its helper's keyword arguments."""
    spec = QUERIES[name]
    low, high = spec.arity
    if not low <= len(args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise InputError(f"{name} takes {wanted} argument(s): {spec.usage}")
    given = {k: v for k, v in options.items() if v is not None and v is not False}
    known = {o.name: o for o in spec.options}
    extra = [k for k in sorted(given) if k not in known]
    if extra:
        flags = ", ".join("--" + e.replace("_", "-") for e in extra)
        raise InputError(f"{flags} does not apply to {name}")
    for option in spec.options:
        if option.required and option.name not in given:
            raise InputError(f"{name} needs {option.flag} {option.metavar}".rstrip())
    return given


def list_table() -> Table:
    """The canned queries, for ``chipkg ask --list``."""
    table = Table(title="Canned queries (chipkg ask NAME ARGS)")
    table.add_column("name", style="bold")
    table.add_column("arguments")
    table.add_column("answers")
    table.add_column("Cypher file")
    for spec in QUERIES.values():
        table.add_row(spec.name, spec.usage, spec.summary, f"{spec.cypher}.cypher")
    return table


def ask(
    name: Annotated[str | None, typer.Argument(help="Query name; see --list.")] = None,
    args: Annotated[list[str] | None, typer.Argument(help="Entity ids or names.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date YYYY[-MM[-DD]].")] = None,
    item: Annotated[str | None, typer.Option("--item", help="First-tier item.")] = None,
    max_hops: Annotated[int | None, typer.Option("--max-hops", help="Tiers.")] = None,
    for_country: Annotated[str | None, typer.Option("--for-country")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold")] = None,
    target: Annotated[str | None, typer.Option("--target")] = None,
    restrict: Annotated[str | None, typer.Option("--restrict")] = None,
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction")] = None,
    fdpr: Annotated[bool, typer.Option("--fdpr", help="What-if rule uses the FDPR.")] = False,
    entity_only: Annotated[
        bool, typer.Option("--entity-only", help="The company alone, not its subsidiaries.")
    ] = False,
    list_queries: Annotated[bool, typer.Option("--list", help="List the queries.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    neo4j: Neo4jOption = False,
    store: StoreOption = None,
) -> None:
    """Answer a canned supply-chain / export-control question (see --list)."""
    if list_queries or name is None:
        console.print(list_table())
        return
    if name not in QUERIES:
        raise InputError(f"unknown query {name!r}; known: {', '.join(QUERIES)}")
    options = {
        "on": on, "item": item, "max_hops": max_hops, "for_country": for_country,
        "threshold": threshold, "target": target, "restrict": restrict,
        "jurisdiction": jurisdiction, "fdpr": fdpr, "entity_only": entity_only,
    }  # fmt: skip
    kwargs = query_kwargs(name, list(args or []), options)
    with store_from_options(db, neo4j, store) as opened:
        answer = run(opened, name, *(args or []), **kwargs)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        render(answer)


def render(answer: Answer) -> None:
    """Print an answer as readable tables (its query's renderer)."""
    for spec in QUERIES.values():
        if isinstance(answer, spec.answer):
            spec.render(answer, console)
            return
    console.print_json(data=answer.to_json())
