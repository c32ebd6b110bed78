"""Which regulations cut a supply link on a date, for drawing it red.

The rule is the canned queries' one (:mod:`chipkg.queries.rules`), so a link
drawn cut here is exactly a link ``chipkg ask reachable-suppliers`` reports as
cut. The rule reads a :class:`~chipkg.graph.view.GraphView` built from
the Store API, so both backends draw the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable

from chipkg.graph import Store
from chipkg.ontology import Claim
from chipkg.queries.dates import as_of, within
from chipkg.queries.rules import SUPPLY, Cut, Link, Rules


def claim_valid(claim: Claim, on: str) -> bool:
    """A claim is on the picture for a date inside its own validity (negated ones too)."""
    return within(claim.valid_from, claim.valid_to, as_of(on))


def rules_on(store: Store, on: str) -> Rules:
    """The cut rule on the store's graph and a date."""
    return Rules(store.view(), as_of(on))


def cuts_for(rules: Rules, claim: Claim) -> list[Cut]:
    """The regulations that cut one SUPPLIES claim on the rules' date (none for others)."""
    if claim.predicate != SUPPLY or claim.modality == "negated":
        return []
    if not within(claim.valid_from, claim.valid_to, rules.on):
        return []
    item = claim.properties.get("item")
    link = Link(
        supplier=claim.subject,
        customer=claim.object,
        item=item if isinstance(item, str) else None,
        derived=False,
        sources=tuple(claim.sources),
        claims=(claim.key,),
    )
    return list(rules.cuts(link))


def mark_cuts(store: Store, on: str, claims: Iterable[Claim]) -> dict[str, list[Cut]]:
    """Cuts by claim key for the supply links among ``claims``."""
    pending = [c for c in claims if c.predicate == SUPPLY]
    if not pending:
        return {}
    rules = rules_on(store, on)
    found = {claim.key: cuts_for(rules, claim) for claim in pending}
    return {key: cuts for key, cuts in found.items() if cuts}
