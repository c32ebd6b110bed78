"""cyphergen's block arguments: one fragment text serves a query and its mirror, each call keeps
its own markers, and a call that leaves a placeholder unfilled is refused by name."""

from __future__ import annotations

import pytest

from chipkg.queries import cyphergen

FRAGMENT = [
    "// -- shared: walk ---",
    "// Walk from the {{near}} end to the {{far}} end.",
    "WITH x.{{far}} AS reached, x.{{near}} AS parent",
    "// -- end shared: walk ---",
]


def _call(args: str, body: str = "STALE") -> str:
    return f"  // -- shared: walk ({args}) ---\n  {body}\n  // -- end shared: walk ({args}) ---\n"


def test_each_call_gets_the_fragment_with_its_own_arguments() -> None:
    text = "MATCH (x)\n" + _call("far: s, near: c") + _call("far: c, near: s")
    out = cyphergen.render(text, {"walk": FRAGMENT})
    assert "  WITH x.s AS reached, x.c AS parent" in out
    assert "  WITH x.c AS reached, x.s AS parent" in out
    assert "STALE" not in out and "{{" not in out


def test_a_call_keeps_its_markers_so_the_rendering_is_stable() -> None:
    text = _call("far: s, near: c")
    once = cyphergen.render(text, {"walk": FRAGMENT})
    assert once.splitlines()[0] == "  // -- shared: walk (far: s, near: c) ---"
    assert cyphergen.render(once, {"walk": FRAGMENT}) == once


def test_an_empty_argument_is_allowed() -> None:
    out = cyphergen.render(_call("far: , near: c"), {"walk": FRAGMENT})
    assert "  WITH x. AS reached, x.c AS parent" in out


def test_a_missing_argument_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'near'"):
        cyphergen.render(_call("far: s"), {"walk": FRAGMENT})


def test_arguments_must_be_name_value_pairs() -> None:
    with pytest.raises(ValueError, match="name: value"):
        cyphergen.render(_call("far s"), {"walk": FRAGMENT})
