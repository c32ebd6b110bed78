"""Canned answers ``chipkg demo`` prints from the queries (appended to ``chipkg.demo.ANSWERS``).

Each answer is a question and a few readable lines; it degrades to a note when the
graph lacks the entities (e.g. a store built without the reference data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chipkg.errors import ChipkgError
from chipkg.graph import Store
from chipkg.queries import chokepoints, reachable_suppliers
from chipkg.queries.results import ReachableAnswer


@dataclass
class DemoAnswer:
    """A canned question and its answer lines (what the demo prints, not a query answer)."""

    question: str
    lines: list[str]


def _answer(question: str, lines: list[str]) -> DemoAnswer:
    return DemoAnswer(question, lines)


def reachable_lines(answer: ReachableAnswer) -> list[str]:
    """Reachable suppliers by tier, then the cut ones with their regulations."""
    lines = [
        f"tier {r.hops}: {r.supplier.name} ({', '.join(r.items) or 'no item'})"
        + (f" via {' -> '.join(s.customer.name for s in r.path[:-1])}" if r.hops > 1 else "")
        for r in answer.reachable
    ]
    lines += [
        f"CUT tier {b.hops}: {b.supplier.name} -> {b.link.customer.name} "
        f"({b.link.item or 'no item'}) by {', '.join(r.id for r in b.regulations)}"
        + (" (supplier still reachable otherwise)" if b.reachable else "")
        for b in answer.blocked
    ]
    lines += [
        f"LICENCE tier {b.hops}: {b.supplier.name} -> {b.link.customer.name} "
        f"({b.link.item or 'no item'}) under {', '.join(r.id for r in b.regulations)}"
        for b in answer.licence_required
    ]
    if answer.not_assessed:
        ids = ", ".join(r.id for r in answer.not_assessed)
        lines.append(f"not assessed (no known effective date): {ids}")
    return lines


def reachable_answer(buyer: str, on: str) -> Callable[[Store], DemoAnswer]:
    """A demo answer: the buyer's reachable and cut-off suppliers on a date."""

    def make(store: Store) -> DemoAnswer:
        question = f"Which suppliers can {buyer} still reach on {on}, and who is cut off?"
        try:
            found = reachable_suppliers(store, buyer, on=on)
        except ChipkgError as exc:
            return _answer(question, [f"(not answerable on this graph: {exc})"])
        return _answer(question, reachable_lines(found))

    return make


def euv_for_china(store: Store) -> DemoAnswer:
    """Chokepoints in EUV lithography for buyers in China."""
    question = "Which inputs of EUV lithography are chokepoints for buyers in China (2024-06-01)?"
    try:
        found = chokepoints(
            store, "product/euv-lithography-system", on="2024-06-01", for_country="country/cn"
        )
    except ChipkgError as exc:
        return _answer(question, [f"(not answerable on this graph: {exc})"])
    return _answer(
        question,
        [
            f"{c.input.name}: {', '.join(c.reasons)}"
            + (f" (dominant: {c.dominant.name})" if c.dominant else "")
            for c in found.chokepoints
        ],
    )


QUERY_ANSWERS: list[Callable[[Store], DemoAnswer]] = [
    reachable_answer("DeepSeek", "2023-06-01"),
    reachable_answer("DeepSeek", "2024-06-01"),
    reachable_answer("HiSilicon", "2021-01-01"),
    reachable_answer("Huawei", "2021-01-01"),
    euv_for_china,
]
