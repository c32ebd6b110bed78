"""``chokepoints``: inputs of a product that one provider dominates or that are cut off.

The input tree of product P is P itself plus everything that reaches a product P
is a variant or type of (P included) through INPUT_TO, where the path may also
climb VARIANT_OF/TYPE_OF (a type of an input is an input) and must end with an
INPUT_TO. Providers of an input are the companies (or countries, in market-share
data) that MANUFACTURE it, with their ``market_share``.

An input is a chokepoint when one provider has a share at or above the threshold,
or is its only provider ("dominant"); and, with ``--for-country C``, when every
provider is cut off for buyers located in C ("all-cut"): the link provider → a
buyer in C carrying the input is cut by the rule of :mod:`chipkg.queries.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chipkg.errors import InputError
from chipkg.graph.view import GraphView
from chipkg.queries import render
from chipkg.queries.resolve import ITEM_LABELS, optional_id, resolve_id
from chipkg.queries.results import Chokepoint, ChokepointsAnswer, Provider, Ref
from chipkg.queries.rules import KIND_OF, Link, Rules
from chipkg.queries.spec import FOR_COUNTRY, ON, THRESHOLD, Arg, QuerySpec, normalise_on
from chipkg.queries.walk import ref

if TYPE_CHECKING:
    from chipkg.graph import Store

DEFAULT_THRESHOLD = 0.5


def input_tree(rules: Rules, product: str) -> list[str]:
    """The product and every input in its tree, sorted by id."""
    general = rules.closure([product], KIND_OF, inward=False)
    direct = {r.subject for g in general for r in rules.holding(rules.g.into(g, "INPUT_TO"))}
    inputs = rules.closure(direct, ("INPUT_TO", *KIND_OF), inward=True)
    return sorted({product} | inputs)


def providers(rules: Rules, item: str, country: str | None) -> list[Provider]:
    """Makers of ``item``, with whether buyers in ``country`` are cut off from each."""
    out = []
    for rel in rules.holding(rules.g.into(item, "MANUFACTURES")):
        share = rel.properties.get("market_share")
        cuts = []
        if country is not None:
            link = Link(rel.subject, country, item, False, rel.sources, (rel.key,))
            cuts = rules.cuts(link)
        out.append(
            Provider(
                provider=ref(rules.g, rel.subject),
                market_share=float(share) if share is not None else None,
                sources=list(rel.sources),
                cut_by=[Ref(id=c.regulation, name=c.name, label="Regulation") for c in cuts],
            )
        )
    return sorted(out, key=lambda p: p.provider.id)


def assess(item: Ref, found: list[Provider], threshold: float, country: str | None) -> Chokepoint:
    """Why (if at all) an input is a chokepoint."""
    reasons = []
    ranked = sorted(found, key=lambda p: (-(p.market_share or 0.0), p.provider.id))
    dominant = None
    if ranked and (len(ranked) == 1 or (ranked[0].market_share or 0.0) >= threshold):
        dominant = ranked[0].provider
        reasons.append("dominant")
    if country is not None and found and all(p.cut_by for p in found):
        reasons.append("all-cut")
    return Chokepoint(input=item, providers=found, reasons=reasons, dominant=dominant)


def chokepoints(
    g: GraphView,
    product: str,
    on: str,
    for_country: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ChokepointsAnswer:
    """Answer chokepoints on the embedded view."""
    rules = Rules(g, on)
    tree = input_tree(rules, product)
    found = [
        assess(ref(g, item), providers(rules, item, for_country), threshold, for_country)
        for item in tree
    ]
    return ChokepointsAnswer(
        params={
            "product": product,
            "on": rules.on,
            "for_country": for_country,
            "threshold": threshold,
        },
        product=ref(g, product),
        inputs=[ref(g, item) for item in tree],
        chokepoints=[c for c in found if c.reasons],
    )


@dataclass(frozen=True, kw_only=True)
class ChokepointsParams:
    """chokepoints' parameters: ids resolved; ``on`` empty means today."""

    product: str
    on: str = ""
    for_country: str | None = None
    threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise InputError(f"--threshold must be in (0, 1], got {self.threshold}")
        normalise_on(self)


def prepare(
    store: Store,
    product: str,
    on: str | None = None,
    for_country: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ChokepointsParams:
    """The parameters from what the user typed (ids, names or aliases)."""
    return ChokepointsParams(
        product=resolve_id(store, product, ITEM_LABELS, "product"),
        for_country=optional_id(store, for_country, ("Country",), "--for-country"),
        on=on or "",
        threshold=threshold,
    )


def _python(store: Store, p: ChokepointsParams) -> ChokepointsAnswer:
    return chokepoints(store.view(), p.product, p.on, p.for_country, p.threshold)


SPEC = QuerySpec(
    name="chokepoints",
    summary="inputs with one dominant provider or every provider cut off",
    args=(Arg("PRODUCT"),),
    options=(ON, FOR_COUNTRY, THRESHOLD),
    params=ChokepointsParams,
    answer=ChokepointsAnswer,
    cypher="chokepoints",
    prepare=prepare,
    python=_python,
    render=render.chokepoints,
)
