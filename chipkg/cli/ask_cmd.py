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
from chipkg.queries.results import (
    AlternativesAnswer,
    Answer,
    ChokepointsAnswer,
    ConflictsAnswer,
    DossierAnswer,
    ExposureAnswer,
    ReachableAnswer,
    Ref,
    Step,
    TimelineAnswer,
    WhatIfAnswer,
)

#: Positional arguments (min, max) and options each query accepts.
ARITY: dict[str, tuple[int, int]] = {
    "reachable-suppliers": (1, 1),
    "exposure": (1, 1),
    "chokepoints": (1, 1),
    "alternatives": (2, 2),
    "dossier": (1, 1),
    "sanctions-timeline": (1, 1),
    "what-if": (1, 1),
    "conflicts": (0, 1),
}
OPTIONS: dict[str, set[str]] = {
    "reachable-suppliers": {"on", "item", "max_hops", "entity_only"},
    "exposure": {"on", "max_hops", "entity_only"},
    "chokepoints": {"on", "for_country", "threshold"},
    "alternatives": {"on"},
    "dossier": set(),
    "sanctions-timeline": {"on"},
    "what-if": {"on", "target", "restrict", "jurisdiction", "fdpr", "max_hops"},
    "conflicts": set(),
}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def query_kwargs(name: str, args: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """Check arity and options for one query; the keyword arguments of its function."""
    low, high = ARITY[name]
    if not low <= len(args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise InputError(f"{name} takes {wanted} argument(s): {QUERIES[name].usage}")
    given = {k: v for k, v in options.items() if v is not None and v is not False}
    extra = sorted(set(given) - OPTIONS[name])
    if extra:
        raise InputError(f"{', '.join(_flag(e) for e in extra)} does not apply to {name}")
    if name == "what-if" and "target" not in given:
        raise InputError("what-if needs --target ENTITY|COUNTRY")
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


# -- tables --------------------------------------------------------------------------------


def _ref(ref: Ref | None) -> str:
    return "" if ref is None else ref.name if ref.name == ref.id else f"{ref.name} ({ref.id})"


def _path(steps: list[Step]) -> str:
    if not steps:
        return ""
    parts = [steps[0].supplier.name]
    for step in steps:
        what = ", ".join(step.items) or ("derived" if step.derived else "?")
        parts.append(f"-[{what}]-> {step.customer.name}")
    return " ".join(parts)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render(answer: Answer) -> None:
    """Print an answer as readable tables."""
    for kind, printer in RENDERERS:
        if isinstance(answer, kind):
            printer(answer)
            return
    console.print_json(data=answer.to_json())


def _reachable(a: Any) -> None:
    p = a.params
    title = f"Suppliers {a.buyer.name} can reach on {p['on']} (max {p['max_hops']} tiers)"
    table = _table(title, "tier", "supplier", "items", "path", "sources")
    for r in a.reachable:
        table.add_row(
            str(r.hops), _ref(r.supplier), ", ".join(r.items), _path(r.path), str(len(r.sources))
        )
    console.print(table)
    _blocked(a.blocked, "Cut off (per item)", "supplier")
    _blocked(a.licence_required, "Licence required (per item)", "supplier")
    _group_and_unassessed(a)


def _group_and_unassessed(a: Any) -> None:
    if a.group:
        console.print(f"[dim]group covered: {', '.join(_ref(m) for m in a.group)}[/]")
    if a.not_assessed:
        ids = ", ".join(r.id for r in a.not_assessed)
        console.print(f"[dim]not assessed (no known effective date): {ids}[/]")


def _blocked(rows: list[Any], title: str, who: str) -> None:
    if not rows:
        console.print(f"[dim]{title}: none[/]")
        return
    table = _table(title, "tier", who, "link", "regulations", "why")
    for b in rows:
        link = f"{b.link.supplier.name} -[{b.link.item or '?'}]-> {b.link.customer.name}"
        regs = ", ".join(r.id for r in b.regulations)
        still = " (reachable otherwise)" if b.reachable else ""
        table.add_row(str(b.hops), _ref(getattr(b, who)) + still, link, regs, b.reason)
    console.print(table)


def _exposure(a: Any) -> None:
    title = f"Who depends on {a.entity.name} on {a.params['on']}"
    table = _table(title, "tier", "customer", "items", "path", "sources")
    for d in a.dependents:
        table.add_row(
            str(d.hops), _ref(d.customer), ", ".join(d.items), _path(d.path), str(len(d.sources))
        )
    console.print(table)
    _blocked(a.cut_off, "Cut off (per item)", "customer")
    _blocked(a.licence_required, "Licence required (per item)", "customer")
    _group_and_unassessed(a)


def _chokepoints(a: Any) -> None:
    p = a.params
    extra = f", buyers in {p['for_country']}" if p["for_country"] else ""
    title = f"Chokepoints in the input tree of {a.product.name} on {p['on']}{extra}"
    table = _table(title, "input", "why", "dominant", "providers")
    for c in a.chokepoints:
        providers = "; ".join(
            f"{pr.provider.name}"
            + (f" {pr.market_share:.0%}" if pr.market_share is not None else "")
            + (f" [cut: {', '.join(r.id for r in pr.cut_by)}]" if pr.cut_by else "")
            for pr in c.providers
        )
        table.add_row(_ref(c.input), ", ".join(c.reasons), _ref(c.dominant), providers)
    console.print(table)
    console.print(f"[dim]{len(a.inputs)} inputs examined[/]")


def _alternatives(a: Any) -> None:
    title = f"Providers of {a.item.name} or substitutes for {a.buyer.name} on {a.params['on']}"
    table = _table(title, "provider", "items", "as", "sources")
    for x in a.alternatives:
        table.add_row(
            _ref(x.provider), ", ".join(x.items), ", ".join(x.relations), str(len(x.sources))
        )
    console.print(table)
    if a.blocked:
        cut = _table("Cut off for this buyer", "provider", "item", "regulations", "why")
        for b in a.blocked:
            cut.add_row(_ref(b.provider), b.item, ", ".join(r.id for r in b.regulations), b.reason)
        console.print(cut)


def _dossier(a: Any) -> None:
    console.print(f"[bold]{_ref(a.entity)}[/] - {a.entity.label}")
    if a.aliases:
        console.print(f"aliases: {', '.join(a.aliases)}")
    for key, value in sorted(a.properties.items()):
        console.print(f"{key}: {value}")
    for group in a.relationships:
        arrow = "->" if group.direction == "out" else "<-"
        table = _table(
            f"{arrow} {group.relationship}", "other", "properties", "modality", "valid", "sources"
        )
        for c in group.claims:
            props = ", ".join(f"{k}={v}" for k, v in sorted(c.properties.items()))
            valid = (
                f"{c.valid_from or ''}..{c.valid_to or ''}" if c.valid_from or c.valid_to else ""
            )
            modality = f"{c.modality} {c.confidence:.2f}" + (" derived" if c.derived else "")
            table.add_row(_ref(c.other), props, modality, valid, ", ".join(c.sources))
        console.print(table)


def _timeline(a: Any) -> None:
    table = _table(
        f"Sanctions timeline of {a.entity.name}",
        "from",
        "until",
        "regulation",
        "kind",
        "how it concerns the entity",
    )
    for e in a.events:
        table.add_row(
            e.date or "?", e.until or "", _ref(e.regulation), e.kind or "", ", ".join(e.relations)
        )
    console.print(table)


def _what_if(a: Any) -> None:
    h = a.hypothetical
    rule = f"{h.jurisdiction} rule{' (FDPR)' if h.fdpr else ''} targeting {_ref(h.target)}"
    if h.restrict:
        rule += f", restricting {h.restrict}"
    console.print(f"[bold]What if[/] a {rule}, on {a.params['on']}?")
    console.print(
        f"reachable suppliers of {a.buyer.name}: {a.before.reachable} -> "
        f"{a.after.reachable}; cut off: {a.before.blocked} -> {a.after.blocked}"
    )
    lost = _table("Lost", "tier", "supplier", "regulations", "why")
    for x in a.lost:
        lost.add_row(
            str(x.hops), _ref(x.supplier), ", ".join(r.id for r in x.regulations), x.reason
        )
    console.print(lost)
    for x in a.gained:
        console.print(f"gained: {_ref(x.supplier)} at tier {x.hops}")
    for x in a.changed:
        console.print(f"moved: {_ref(x.supplier)} tier {x.hops_before} -> {x.hops_after}")


def _conflicts(a: Any) -> None:
    table = _table("Contradicting claims", "kind", "claim", "property", "sides")
    for c in a.conflicts:
        claim = f"{_ref(c.subject) or '*'} {c.predicate} {_ref(c.object)}"
        sides = " vs ".join(f"{s.value} ({', '.join(s.sources)})" for s in c.sides)
        table.add_row(c.kind, claim, c.property or "", sides)
    console.print(table)


RENDERERS: list[tuple[type[Answer], Any]] = [
    (ReachableAnswer, _reachable),
    (ExposureAnswer, _exposure),
    (ChokepointsAnswer, _chokepoints),
    (AlternativesAnswer, _alternatives),
    (DossierAnswer, _dossier),
    (TimelineAnswer, _timeline),
    (WhatIfAnswer, _what_if),
    (ConflictsAnswer, _conflicts),
]
