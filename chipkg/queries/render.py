"""Answers as readable tables: the renderer each :class:`~chipkg.queries.spec.QuerySpec` names.

``chipkg ask`` prints these without ``--json``; they read the answer models only,
so both backends print the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chipkg.queries.results import (
    AlternativesAnswer,
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


def _ref(ref: Ref | None) -> str:
    return "" if ref is None else ref.name if ref.name == ref.id else f"{ref.name} ({ref.id})"


def _path(steps: list[Step]) -> str:
    if not steps:
        return ""
    parts = [steps[0].supplier.name]
    for step in steps:
        what = ", ".join(step.items) or ("derived" if step.derived else "?")
        parts.append(f"-[{what}]-> {step.customer.name}")
    return escape(" ".join(parts))


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def reachable(a: ReachableAnswer, out: Console) -> None:
    """Print a reachable answer as tables."""
    p = a.params
    title = f"Suppliers {a.buyer.name} can reach on {p['on']} (max {p['max_hops']} tiers)"
    table = _table(title, "tier", "supplier", "items", "path", "sources")
    for r in a.reachable:
        table.add_row(
            str(r.hops), _ref(r.supplier), ", ".join(r.items), _path(r.path), str(len(r.sources))
        )
    out.print(table)
    _blocked(a.blocked, "Cut off (per item)", "supplier", out)
    _blocked(a.licence_required, "Licence required (per item)", "supplier", out)
    _group_and_unassessed(a, out)


def _group_and_unassessed(a: ReachableAnswer | ExposureAnswer, out: Console) -> None:
    if a.group:
        out.print(f"[dim]group covered: {', '.join(_ref(m) for m in a.group)}[/]")
    if a.not_assessed:
        ids = ", ".join(r.id for r in a.not_assessed)
        out.print(f"[dim]not assessed (no known effective date): {ids}[/]")


def _blocked(rows: Sequence[Any], title: str, who: str, out: Console) -> None:
    if not rows:
        out.print(f"[dim]{title}: none[/]")
        return
    table = _table(title, "tier", who, "link", "regulations", "why")
    for b in rows:
        link = f"{b.link.supplier.name} -[{b.link.item or '?'}]-> {b.link.customer.name}"
        if b.item != b.link.item:
            link += f", item {b.item}"  # a narrower item cut under the link's item
        link = escape(link)
        regs = ", ".join(r.id for r in b.regulations)
        still = " (reachable otherwise)" if b.reachable else ""
        table.add_row(str(b.hops), _ref(getattr(b, who)) + still, link, regs, b.reason)
    out.print(table)


def exposure(a: ExposureAnswer, out: Console) -> None:
    """Print a exposure answer as tables."""
    title = f"Who depends on {a.entity.name} on {a.params['on']}"
    table = _table(title, "tier", "customer", "items", "path", "sources")
    for d in a.dependents:
        table.add_row(
            str(d.hops), _ref(d.customer), ", ".join(d.items), _path(d.path), str(len(d.sources))
        )
    out.print(table)
    _blocked(a.cut_off, "Cut off (per item)", "customer", out)
    _blocked(a.licence_required, "Licence required (per item)", "customer", out)
    _group_and_unassessed(a, out)


def chokepoints(a: ChokepointsAnswer, out: Console) -> None:
    """Print a chokepoints answer as tables."""
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
    out.print(table)
    out.print(f"[dim]{len(a.inputs)} inputs examined[/]")


def alternatives(a: AlternativesAnswer, out: Console) -> None:
    """Print a alternatives answer as tables."""
    title = f"Providers of {a.item.name} or substitutes for {a.buyer.name} on {a.params['on']}"
    table = _table(title, "provider", "items", "as", "sources")
    for x in a.alternatives:
        table.add_row(
            _ref(x.provider), ", ".join(x.items), ", ".join(x.relations), str(len(x.sources))
        )
    out.print(table)
    if a.blocked:
        cut = _table("Cut off for this buyer", "provider", "item", "regulations", "why")
        for b in a.blocked:
            cut.add_row(_ref(b.provider), b.item, ", ".join(r.id for r in b.regulations), b.reason)
        out.print(cut)


def dossier(a: DossierAnswer, out: Console) -> None:
    """Print a dossier answer as tables."""
    out.print(f"[bold]{_ref(a.entity)}[/] - {a.entity.label}")
    if a.aliases:
        out.print(f"aliases: {', '.join(a.aliases)}")
    for key, value in sorted(a.properties.items()):
        out.print(f"{key}: {value}")
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
        out.print(table)


def timeline(a: TimelineAnswer, out: Console) -> None:
    """Print a timeline answer as tables."""
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
    out.print(table)


def what_if(a: WhatIfAnswer, out: Console) -> None:
    """Print a what-if answer as tables."""
    h = a.hypothetical
    rule = f"{h.jurisdiction} rule{' (FDPR)' if h.fdpr else ''} targeting {_ref(h.target)}"
    if h.restrict:
        rule += f", restricting {h.restrict}"
    out.print(f"[bold]What if[/] a {rule}, on {a.params['on']}?")
    out.print(
        f"reachable suppliers of {a.buyer.name}: {a.before.reachable} -> "
        f"{a.after.reachable}; cut off: {a.before.blocked} -> {a.after.blocked}"
    )
    lost = _table("Lost", "tier", "supplier", "regulations", "why")
    for x in a.lost:
        lost.add_row(
            str(x.hops), _ref(x.supplier), ", ".join(r.id for r in x.regulations), x.reason
        )
    out.print(lost)
    for g in a.gained:
        out.print(f"gained: {_ref(g.supplier)} at tier {g.hops}")
    for c in a.changed:
        out.print(f"moved: {_ref(c.supplier)} tier {c.hops_before} -> {c.hops_after}")


def conflicts(a: ConflictsAnswer, out: Console) -> None:
    """Print a conflicts answer as tables."""
    table = _table("Contradicting claims", "kind", "claim", "property", "sides")
    for c in a.conflicts:
        claim = f"{_ref(c.subject) or '*'} {c.predicate} {_ref(c.object)}"
        sides = " vs ".join(f"{s.value} ({', '.join(s.sources)})" for s in c.sides)
        table.add_row(c.kind, claim, c.property or "", sides)
    out.print(table)
