"""Tier-by-tier search through supply links that are not cut, with one witness per node.

Breadth-first from a start company; at tier k every not-yet-seen company with an
uncut link to a tier k-1 company joins tier k, and its witness parent is the
tier k-1 company with the smallest id. The witness path is thus the shortest one
whose ids, read from the far end, are lexicographically smallest - the order the
Cypher files reproduce. Links that are cut are kept for the "blocked" answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chipkg.graph.view import GraphView
from chipkg.queries.results import Blocked, LinkOut, Ref, Step
from chipkg.queries.rules import Cut, Link, Rules

Expand = Callable[[str, int], Iterable[tuple[str, Link]]]


@dataclass
class Walk:
    """Levels, witness parents, the uncut links to each parent, and cut links seen."""

    start: str
    level: dict[str, int] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    steps: dict[str, list[Link]] = field(default_factory=dict)
    cut: dict[str, list[tuple[int, str, Link, list[Cut]]]] = field(default_factory=dict)

    def chain(self, node: str) -> list[str]:
        """The node, its parent, ... up to (excluding) the start group (tier 0)."""
        out = [node]
        while self.level[self.parent[out[-1]]] != 0:
            out.append(self.parent[out[-1]])
        return out


def walk(
    start: str, max_hops: int, expand: Expand, rules: Rules, group: Iterable[str] = ()
) -> Walk:
    """Search up to ``max_hops`` tiers; ``expand(node, hop)`` yields (far end, link).

    ``group`` (the start's subsidiaries) joins the start at tier 0: a company's
    question covers its corporate group, and paths end at the member they reach.
    """
    members = sorted({start, *group})
    result = Walk(start=start, level={m: 0 for m in members})
    frontier = members
    for hop in range(1, max_hops + 1):
        if not frontier:
            break
        uncut: dict[str, list[tuple[str, Link]]] = {}
        for near in frontier:
            for far, link in expand(near, hop):
                if far in result.level:
                    continue
                cuts = rules.cuts(link)
                if cuts:
                    result.cut.setdefault(far, []).append((hop, near, link, cuts))
                else:
                    uncut.setdefault(far, []).append((near, link))
        for far, links in uncut.items():
            parent = min(near for near, _ in links)
            result.level[far] = hop
            result.parent[far] = parent
            result.steps[far] = [link for near, link in links if near == parent]
        frontier = sorted(uncut)
    return result


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
    """Each reached node's witness path, nearest-to-far-end first, sharing built steps."""
    built: dict[str, Step] = {}
    out: dict[str, list[Step]] = {}
    for node, level in result.level.items():
        if level == 0:
            continue
        chain = result.chain(node)
        for link_node in chain:
            if link_node not in built:
                built[link_node] = step(g, result.steps[link_node])
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


def cut_witnesses(result: Walk) -> list[tuple[str, int, Link, list[Cut]]]:
    """One cut link per (far end, item) among the cut links the search examined.

    Every item cut from a company is listed, also when the company stays reachable
    through another item or link. The witness link of a (far end, item) is the one
    nearest the start, then by near-end id, SUPPLIES before derived; sorted by
    (hops, id, item).
    """
    out = []
    for far, seen in result.cut.items():
        by_item: dict[str, tuple[int, str, Link, list[Cut]]] = {}
        for entry in seen:
            key = entry[2].item or ""
            if key not in by_item or _order(entry) < _order(by_item[key]):
                by_item[key] = entry
        for hop, _, link, cuts in by_item.values():
            out.append((far, hop, link, cuts))
    return sorted(out, key=lambda t: (t[1], t[0], t[2].item or ""))


def _order(entry: tuple[int, str, Link, list[Cut]]) -> tuple[int, str, bool]:
    return (entry[0], entry[1], entry[2].derived)


def cut_fields(
    g: GraphView, result: Walk, far: str, hop: int, link: Link, cuts: list[Cut]
) -> dict[str, Any]:
    """The fields a cut-link entry shares upstream (``Blocked``) and downstream (``CutOff``)."""
    return {
        "hops": hop,
        "item": link.item,
        "reachable": far in result.level,
        "link": link_out(g, link),
        "regulations": [Ref(id=c.regulation, name=c.name, label="Regulation") for c in cuts],
        "reason": " | ".join(c.reason for c in cuts),
    }


def entry(g: GraphView, result: Walk, far: str, hop: int, link: Link, cuts: list[Cut]) -> Blocked:
    """One per-item entry of ``blocked`` or ``licence_required``."""
    return Blocked(supplier=ref(g, far), **cut_fields(g, result, far, hop, link, cuts))


def split_cuts(result: Walk) -> tuple[list[Any], list[Any]]:
    """Witness cuts split into denials (with only the denying rules) and licence-only ones."""
    denied, licence = [], []
    for far, hop, link, cuts in cut_witnesses(result):
        denying = [c for c in cuts if c.denial]
        if denying:
            denied.append((far, hop, link, denying))
        else:
            licence.append((far, hop, link, cuts))
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
