"""Tier-by-tier search through supply links that are not cut, following the items.

The states of the search are (company, item): the company and the item it passes on
along the path (upstream: the item it supplies; downstream: the item it received).
The start and its group are at tier 0 with no item (anything). At tier k a link
between a tier k-1 state's company and a new company extends the path when the items
flow (``flows(state item, link)``, the bill-of-materials rule of
:meth:`Rules.feeds`) and the link is not cut; the far state (far end, link item) joins
tier k unless it was reached before. Its witness parent is the smallest tier k-1 state
(company id, then item, no item first) among those. A company's tier is that of its
first state, and its witness path that of its first state with the smallest item, so
each company has one deterministic shortest item-consistent path - the order the Cypher
files reproduce. Links that are cut are kept for the "blocked" answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chipkg.graph.view import GraphView
from chipkg.queries.results import Blocked, LinkOut, Ref, Step
from chipkg.queries.rules import Cut, Link, Rules

Expand = Callable[[str, int], Iterable[tuple[str, Link]]]
#: Whether a link may follow a state holding the given item (None: anything).
Flows = Callable[[str | None, Link], bool]
State = tuple[str, str | None]
CutSeen = tuple[int, str, Link, list[Cut], str | None]


def state_order(state: State) -> tuple[str, str]:
    """Total order of states: company id, then item (no item first)."""
    return (state[0], state[1] or "")


@dataclass
class Walk:
    """Tiers and witness parents of states and companies, the uncut links, cut links seen."""

    start: str
    level: dict[str, int] = field(default_factory=dict)
    tier: dict[State, int] = field(default_factory=dict)
    parent: dict[State, State] = field(default_factory=dict)
    steps: dict[State, list[Link]] = field(default_factory=dict)
    witness: dict[str, State] = field(default_factory=dict)
    #: far end -> (hop, near end, link, cuts, item cut): the item is the link's, or a narrower
    #: item a rule restricts while the link itself stays open (``Rules.narrower_cuts``).
    cut: dict[str, list[CutSeen]] = field(default_factory=dict)

    def chain(self, state: State) -> list[State]:
        """The state, its parent, ... up to (excluding) the start group (tier 0)."""
        out = [state]
        while self.tier[self.parent[out[-1]]] != 0:
            out.append(self.parent[out[-1]])
        return out


@dataclass
class Examiner:
    """Decides each examined link once: cut whole, or open with its narrower items cut."""

    rules: Rules
    cuts: dict[Link, list[Cut]] = field(default_factory=dict)
    narrow: dict[Link, list[tuple[str, list[Cut]]]] = field(default_factory=dict)

    def __call__(self, link: Link, at: tuple[int, str], seen: list[CutSeen]) -> bool:
        """Record the link's cuts in ``seen`` (at hop, near end); True when the link is open.

        An open link may still carry narrower items a rule restricts (``Rules.narrower_cuts``):
        each is recorded as cut on its own, and the link stays open for the rest of its item.
        """
        if link not in self.cuts:
            self.cuts[link] = self.rules.cuts(link)
        if self.cuts[link]:
            seen.append((*at, link, self.cuts[link], link.item))
            return False
        if link not in self.narrow:
            self.narrow[link] = self.rules.narrower_cuts(link)
        seen.extend((*at, link, cuts, item) for item, cuts in self.narrow[link])
        return True


def walk(
    start: str,
    max_hops: int,
    expand: Expand,
    rules: Rules,
    group: Iterable[str] = (),
    flows: Flows | None = None,
) -> Walk:
    """Search up to ``max_hops`` tiers; ``expand(node, hop)`` yields (far end, link).

    ``group`` (the start's subsidiaries) joins the start at tier 0: a company's
    question covers its corporate group, and paths end at the member they reach.
    ``flows(item, link)`` says whether the link may extend a path whose near state
    holds ``item`` (default: the upstream rule, the link's item feeds the state's).
    """
    follows = flows or (lambda item, link: rules.feeds(link.item, item))
    members = sorted({start, *group})
    result = Walk(start=start, level={m: 0 for m in members})
    frontier: list[State] = [(m, None) for m in members]
    result.tier.update({s: 0 for s in frontier})
    examine = Examiner(rules)
    for hop in range(1, max_hops + 1):
        if not frontier:
            break
        uncut: dict[State, list[tuple[State, Link]]] = {}
        links: dict[str, list[tuple[str, Link]]] = {}
        for near in frontier:
            if near[0] not in links:
                links[near[0]] = list(expand(near[0], hop))
            for far, link in links[near[0]]:
                key = (far, link.item)
                if result.level.get(far) == 0 or key in result.tier or not follows(near[1], link):
                    continue
                if examine(link, (hop, near[0]), result.cut.setdefault(far, [])):
                    uncut.setdefault(key, []).append((near, link))
        for key, found in sorted(uncut.items(), key=lambda kv: state_order(kv[0])):
            parent = min((near for near, _ in found), key=state_order)
            result.tier[key] = hop
            result.parent[key] = parent
            result.steps[key] = [link for near, link in found if near == parent]
            if key[0] not in result.level:
                result.level[key[0]] = hop
                result.witness[key[0]] = key
        frontier = sorted(uncut, key=state_order)
    return result


def state_items(result: Walk) -> dict[str, list[str]]:
    """Each reached company's items: those of all its states (no item left out), sorted."""
    found: dict[str, set[str]] = {}
    for (company, item), tier in result.tier.items():
        if tier > 0:
            found.setdefault(company, set()).update([item] if item is not None else [])
    return {company: sorted(items) for company, items in found.items()}


def ref(g: GraphView, entity_id: str) -> Ref:
    """An entity reference from the view."""
    return g.ref(entity_id)


def step(g: GraphView, links: list[Link]) -> Step:
    """One tier of a path: all uncut links between the same two companies, merged.

    Built with ``model_construct``: every field comes from the graph, already valid,
    and answers at scale hold tens of thousands of steps.
    """
    first = links[0]
    return Step.model_construct(
        supplier=g.ref(first.supplier),
        customer=g.ref(first.customer),
        items=sorted({link.item for link in links if link.item is not None}),
        sources=sorted({s for link in links for s in link.sources}),
        derived=all(link.derived for link in links),
        claims=sorted({k for link in links for k in link.claims}),
    )


def paths(g: GraphView, result: Walk) -> dict[str, list[Step]]:
    """Each reached company's witness path, nearest-to-far-end first, sharing built steps."""
    built: dict[State, Step] = {}
    out: dict[str, list[Step]] = {}
    for node, state in result.witness.items():
        chain = result.chain(state)
        for link_state in chain:
            if link_state not in built:
                built[link_state] = step(g, result.steps[link_state])
        out[node] = [built[n] for n in chain]
    return out


def link_out(g: GraphView, link: Link) -> LinkOut:
    """A link as answers show it."""
    return LinkOut(
        supplier=ref(g, link.supplier),
        customer=ref(g, link.customer),
        item=link.item,
        derived=link.derived,
        sources=list(link.sources),
        claims=list(link.claims),
    )


Witness = tuple[str, int, Link, list[Cut], str | None]


def cut_witnesses(result: Walk) -> list[Witness]:
    """One cut link per (far end, item cut) among the cut links the search examined.

    Every item cut from a company is listed, also when the company stays reachable
    through another item or link. The witness link of a (far end, item) is the one
    nearest the start, then by near-end id, SUPPLIES before derived, then by the link's
    own item; sorted by (hops, id, item).
    """
    out = []
    for far, seen in result.cut.items():
        by_item: dict[str, CutSeen] = {}
        for entry in seen:
            key = entry[4] or ""
            if key not in by_item or _order(entry) < _order(by_item[key]):
                by_item[key] = entry
        for hop, _, link, cuts, item in by_item.values():
            out.append((far, hop, link, cuts, item))
    return sorted(out, key=lambda t: (t[1], t[0], t[4] or ""))


def _order(entry: CutSeen) -> tuple[int, str, bool, str]:
    return (entry[0], entry[1], entry[2].derived, entry[2].item or "")


def cut_fields(
    g: GraphView, result: Walk, far: str, hop: int, link: Link, cuts: list[Cut], item: str | None
) -> dict[str, Any]:
    """The fields a cut-link entry shares upstream (``Blocked``) and downstream (``CutOff``)."""
    return {
        "hops": hop,
        "item": item,
        "reachable": far in result.level,
        "link": link_out(g, link),
        "regulations": [Ref(id=c.regulation, name=c.name, label="Regulation") for c in cuts],
        "reason": " | ".join(c.reason for c in cuts),
    }


def entry(
    g: GraphView, result: Walk, far: str, hop: int, link: Link, cuts: list[Cut], item: str | None
) -> Blocked:
    """One per-item entry of ``blocked`` or ``licence_required``."""
    return Blocked(supplier=ref(g, far), **cut_fields(g, result, far, hop, link, cuts, item))


def split_cuts(result: Walk) -> tuple[list[Witness], list[Witness]]:
    """Witness cuts split into denials (with only the denying rules) and licence-only ones."""
    denied, licence = [], []
    for far, hop, link, cuts, item in cut_witnesses(result):
        denying = [c for c in cuts if c.denial]
        if denying:
            denied.append((far, hop, link, denying, item))
        else:
            licence.append((far, hop, link, cuts, item))
    return denied, licence


def blocked(g: GraphView, result: Walk) -> tuple[list[Blocked], list[Blocked]]:
    """``blocked`` (denied) and ``licence_required`` of reachable-suppliers, per item.

    A link is denied when a rule cutting it reviews licences with a presumption of
    denial (the default); when every rule cutting it reviews otherwise (case by case,
    licence required), the link needs a licence: it is not walked, and listed apart.
    """
    denied, licence = split_cuts(result)
    return (
        [entry(g, result, *row) for row in denied],
        [entry(g, result, *row) for row in licence],
    )
