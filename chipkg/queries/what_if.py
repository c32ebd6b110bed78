"""``what-if``: how a buyer's reachable suppliers change under a hypothetical regulation.

The hypothetical rule (id ``regulation/what-if``) is in force on the date, has the
given jurisdiction (default ``country/us``) and FDPR flag, targets one company
(and, as for real listings, its subsidiaries) or one country, and restricts an
item (with its VARIANT_OF variants and TYPE_OF members; it exempts nothing) -
required when the target is a country. It joins the real regulations in force, so
it also counts when deciding who depends on whom; reachable-suppliers runs before
and after and the answer is the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chipkg.errors import InputError
from chipkg.graph.view import GraphView
from chipkg.queries import render
from chipkg.queries.reachable_suppliers import DEFAULT_MAX_HOPS, reachable_suppliers
from chipkg.queries.resolve import ITEM_LABELS, optional_id, resolve, resolve_id
from chipkg.queries.results import (
    Blocked,
    Changed,
    Denied,
    Gained,
    Hypothetical,
    Lost,
    ReachableAnswer,
    Ref,
    Tally,
    WhatIfAnswer,
)
from chipkg.queries.rules import RESTRICTION_CARRIES, Rules, Scope
from chipkg.queries.spec import MAX_HOPS, ON, Arg, Opt, QuerySpec, check_hops, normalise_on
from chipkg.queries.walk import ref

if TYPE_CHECKING:
    from chipkg.graph import Store

WHAT_IF_ID = "regulation/what-if"
WHAT_IF_NAME = "What-if regulation"
THROUGH_CUT = "every path to it runs through a cut supplier"


def hypothetical_scope(
    g: GraphView, on: str, target: str, restrict: str | None, jurisdiction: str, fdpr: bool
) -> Scope:
    """The hypothetical regulation, resolved on the date like a real one."""
    rules = Rules(g, on)
    company = g.label(target) == "Company"
    direct = frozenset({target}) if company else frozenset()
    return Scope(
        id=WHAT_IF_ID,
        name=WHAT_IF_NAME,
        jurisdiction=jurisdiction,
        fdpr=fdpr,
        direct_targets=direct,
        targeted_companies=frozenset(rules.closure(direct, ("SUBSIDIARY_OF",), inward=True)),
        targeted_countries=frozenset() if company else frozenset({target}),
        restricted_items=frozenset(rules.closure([restrict], RESTRICTION_CARRIES, inward=True))
        if restrict
        else frozenset(),
    )


def diff(
    before: ReachableAnswer, after: ReachableAnswer
) -> tuple[list[Lost], list[Gained], list[Changed]]:
    """Suppliers lost, gained and moved to another tier, in the answers' own order."""
    now = {r.supplier.id: r for r in after.reachable}
    was = {r.supplier.id for r in before.reachable}
    cut: dict[str, Blocked] = {}
    for b in [*after.blocked, *after.licence_required]:
        cut.setdefault(b.supplier.id, b)
    lost = [
        Lost(
            supplier=r.supplier,
            hops=r.hops,
            regulations=cut[r.supplier.id].regulations if r.supplier.id in cut else [],
            reason=cut[r.supplier.id].reason if r.supplier.id in cut else THROUGH_CUT,
        )
        for r in before.reachable
        if r.supplier.id not in now
    ]
    gained = [
        Gained(supplier=r.supplier, hops=r.hops)
        for r in after.reachable
        if r.supplier.id not in was
    ]
    changed = [
        Changed(supplier=r.supplier, hops_before=r.hops, hops_after=now[r.supplier.id].hops)
        for r in before.reachable
        if r.supplier.id in now and now[r.supplier.id].hops != r.hops
    ]
    return lost, gained, changed


def denied(before: ReachableAnswer, after: ReachableAnswer) -> list[Denied]:
    """Items that needed a licence before and are denied under the hypothetical rule."""
    needed = {(b.supplier.id, b.item) for b in before.licence_required}
    return [
        Denied(
            supplier=b.supplier,
            hops=b.hops,
            item=b.item,
            regulations=b.regulations,
            reason=b.reason,
        )
        for b in after.blocked
        if (b.supplier.id, b.item) in needed
    ]


def what_if(
    g: GraphView,
    buyer: str,
    on: str,
    target: str,
    restrict: str | None = None,
    jurisdiction: str = "country/us",
    fdpr: bool = False,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> WhatIfAnswer:
    """Answer what-if on the embedded view."""
    scope = hypothetical_scope(g, on, target, restrict, jurisdiction, fdpr)
    before = reachable_suppliers(g, buyer, on, max_hops=max_hops)
    after = reachable_suppliers(g, buyer, on, max_hops=max_hops, extra=[scope])
    lost, gained, changed = diff(before, after)
    return WhatIfAnswer(
        params={
            "buyer": buyer,
            "on": before.params["on"],
            "target": target,
            "restrict": restrict,
            "jurisdiction": jurisdiction,
            "fdpr": fdpr,
            "max_hops": max_hops,
        },
        buyer=ref(g, buyer),
        hypothetical=Hypothetical(
            regulation=Ref(id=WHAT_IF_ID, name=WHAT_IF_NAME, label="Regulation"),
            jurisdiction=jurisdiction,
            fdpr=fdpr,
            target=ref(g, target),
            restrict=restrict,
        ),
        before=Tally(reachable=len(before.reachable), blocked=len(before.blocked)),
        after=Tally(reachable=len(after.reachable), blocked=len(after.blocked)),
        lost=lost,
        gained=gained,
        changed=changed,
        denied=denied(before, after),
    )


@dataclass(frozen=True, kw_only=True)
class WhatIfParams:
    """what-if's parameters: ids resolved; ``on`` empty means today."""

    buyer: str
    on: str = ""
    target: str
    restrict: str | None = None
    jurisdiction: str = "country/us"
    fdpr: bool = False
    max_hops: int = DEFAULT_MAX_HOPS

    def __post_init__(self) -> None:
        normalise_on(self)
        check_hops(self.max_hops)


def prepare(
    store: Store,
    buyer: str,
    target: str,
    restrict: str | None = None,
    on: str | None = None,
    jurisdiction: str = "country/us",
    fdpr: bool = False,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> WhatIfParams:
    """The parameters from what the user typed; a country target needs ``restrict``."""
    who = resolve_id(store, buyer, ("Company",), "buyer")
    aimed = resolve(store, target, ("Company", "Country"), "--target")
    what = optional_id(store, restrict, ITEM_LABELS, "--restrict")
    if aimed.label == "Country" and what is None:
        raise InputError("--restrict ITEM is needed when --target is a country")
    return WhatIfParams(
        buyer=who,
        target=aimed.id,
        restrict=what,
        jurisdiction=resolve_id(store, jurisdiction, ("Country",), "--jurisdiction"),
        on=on or "",
        fdpr=fdpr,
        max_hops=max_hops,
    )


def _python(store: Store, p: WhatIfParams) -> WhatIfAnswer:
    return what_if(
        store.view(), p.buyer, p.on, p.target, p.restrict, p.jurisdiction, p.fdpr, p.max_hops
    )


SPEC = QuerySpec(
    name="what-if",
    summary="reachable suppliers before and after a hypothetical regulation",
    args=(Arg("BUYER"),),
    options=(
        Opt("target", "ENTITY|COUNTRY", required=True),
        Opt("restrict", "ITEM"),
        Opt("jurisdiction", "C"),
        Opt("fdpr"),
        ON,
        MAX_HOPS,
    ),
    params=WhatIfParams,
    answer=WhatIfAnswer,
    cypher="what_if",
    prepare=prepare,
    python=_python,
    render=render.what_if,
)
