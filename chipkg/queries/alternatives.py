"""``alternatives``: who else could provide an item to a buyer, export controls considered.

Substitutes of item I: everything under any product I is a variant or type of
(I included; VARIANT_OF/TYPE_OF, transitively), plus products of I's
``category``. Providers: companies that DESIGN or MANUFACTURE a substitute, or
SUPPLY it to anyone. Each (provider, substitute) is checked as a link
provider → buyer carrying the substitute with the cut rule; uncut pairs are
alternatives, cut pairs are listed with the regulations and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chipkg.graph.view import GraphView, Rel
from chipkg.queries import render
from chipkg.queries.resolve import ITEM_LABELS, resolve_id
from chipkg.queries.results import Alternative, AlternativesAnswer, Ref, Unavailable
from chipkg.queries.rules import KIND_OF, MAKING, SUPPLY, Link, Rules, exists_on
from chipkg.queries.spec import ON, Arg, QuerySpec, normalise_on
from chipkg.queries.walk import ref

if TYPE_CHECKING:
    from chipkg.graph import Store


#: Categories whose products replace one another: a buyer cut off from a GPU can train on
#: an AI accelerator (DeepSeek's reported move from the H800 to Huawei's Ascend).
INTERCHANGEABLE = (frozenset({"gpu", "ai_accelerator"}),)


def same_use(category: str) -> frozenset[str]:
    """The categories a product of ``category`` can be substituted from (itself at least)."""
    return next((group for group in INTERCHANGEABLE if category in group), frozenset({category}))


def substitutes(rules: Rules, item: str) -> list[str]:
    """The item, its relatives under a common generalisation, and products of the same use."""
    general = rules.closure([item], KIND_OF, inward=False)
    family = rules.closure(general, KIND_OF, inward=True)
    category = rules.g.prop(item, "category")
    if isinstance(category, str):
        use = same_use(category)
        family |= {e.id for e in rules.g.of_label("Product") if e.properties.get("category") in use}
    return sorted(family)


def offers(rules: Rules, buyer: str, family: list[str]) -> dict[tuple[str, str], list[Rel]]:
    """The claims that make each company a provider of each substitute.

    Only substitutes released and providers founded by the date count.
    """
    wanted = {x for x in family if exists_on(rules.g, x, rules.on)}
    found: dict[tuple[str, str], list[Rel]] = {}
    for item in sorted(wanted):
        for rel in (r for p in MAKING for r in rules.holding(rules.g.into(item, p))):
            found.setdefault((rel.subject, item), []).append(rel)
        # Through the view's item index: a scan of every SUPPLIES link took 20 s at 1M links.
        for rel in rules.holding(rules.g.carrying(item, SUPPLY)):
            found.setdefault((rel.subject, item), []).append(rel)
    return {
        key: rels
        for key, rels in found.items()
        if key[0] != buyer
        and rules.g.label(key[0]) == "Company"
        and exists_on(rules.g, key[0], rules.on)
    }


def alternatives(g: GraphView, buyer: str, item: str, on: str) -> AlternativesAnswer:
    """Answer alternatives on the embedded view."""
    rules = Rules(g, on)
    family = substitutes(rules, item)
    good: dict[str, list[tuple[str, list[Rel]]]] = {}
    blocked = []
    for (provider, offered), rels in sorted(offers(rules, buyer, family).items()):
        sources = tuple(sorted({s for r in rels for s in r.sources}))
        link = Link(provider, buyer, offered, False, sources, tuple(sorted(r.key for r in rels)))
        cuts = rules.cuts(link)
        if cuts:
            regs = [Ref(id=c.regulation, name=c.name, label="Regulation") for c in cuts]
            reason = " | ".join(c.reason for c in cuts)
            blocked.append(
                Unavailable(
                    provider=ref(g, provider), item=offered, regulations=regs, reason=reason
                )
            )
        else:
            good.setdefault(provider, []).append((offered, rels))
    return AlternativesAnswer(
        params={"buyer": buyer, "item": item, "on": rules.on},
        buyer=ref(g, buyer),
        item=ref(g, item),
        substitutes=family,
        alternatives=[
            Alternative(
                provider=ref(g, provider),
                items=[offered for offered, _ in pairs],
                relations=sorted({r.predicate for _, rels in pairs for r in rels}),
                sources=sorted({s for _, rels in pairs for r in rels for s in r.sources}),
            )
            for provider, pairs in sorted(good.items())
        ],
        blocked=blocked,
    )


@dataclass(frozen=True, kw_only=True)
class AlternativesParams:
    """alternatives' parameters: ids resolved; ``on`` empty means today."""

    buyer: str
    item: str
    on: str = ""

    def __post_init__(self) -> None:
        normalise_on(self)


def prepare(store: Store, buyer: str, item: str, on: str | None = None) -> AlternativesParams:
    """The parameters from what the user typed (ids, names or aliases)."""
    return AlternativesParams(
        buyer=resolve_id(store, buyer, ("Company",), "buyer"),
        item=resolve_id(store, item, ITEM_LABELS, "item"),
        on=on or "",
    )


def _python(store: Store, p: AlternativesParams) -> AlternativesAnswer:
    return alternatives(store.view(), p.buyer, p.item, p.on)


SPEC = QuerySpec(
    name="alternatives",
    summary="providers of the item or a substitute not cut off for the buyer",
    args=(Arg("BUYER"), Arg("ITEM")),
    options=(ON,),
    params=AlternativesParams,
    answer=AlternativesAnswer,
    cypher="alternatives",
    prepare=prepare,
    python=_python,
    render=render.alternatives,
)
