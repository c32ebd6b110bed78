"""The Neo4j Browser style file (GraSS), generated from :mod:`chipkg.viz.style`.

Browser merges every rule whose selector matches a node's labels, later rules
winning, so the generic ``node.Entity`` rule comes first and each label after it.
Browser's parser knows no comments, so the file carries none. Run
``python -m chipkg.viz.grass`` to rewrite it, ``--check`` to verify it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from chipkg.viz.style import (
    DEFAULT_EDGE,
    DEFAULT_NODE,
    EDGE_STYLES,
    NODE_STYLES,
    VIRTUAL_EDGE_STYLES,
    darker,
    text_colour,
)

GRASS_PATH = Path(__file__).resolve().parent / "neo4j-browser.grass"


def _rule(selector: str, props: dict[str, str]) -> str:
    body = "".join(f"  {key}: {value};\n" for key, value in props.items())
    return f"{selector} {{\n{body}}}\n"


def _node_props(colour: str, diameter: str) -> dict[str, str]:
    return {
        "diameter": diameter,
        "color": colour,
        "border-color": darker(colour),
        "border-width": "2px",
        "text-color-internal": text_colour(colour),
        "font-size": "10px",
        "caption": '"{name}"',
    }


def render() -> str:
    """The whole GraSS text: defaults, then one rule per label and per relationship type."""
    rules = [
        _rule("node", _node_props(DEFAULT_NODE.colour, "50px")),
        _rule(
            "relationship",
            {
                "color": DEFAULT_EDGE.colour,
                "shaft-width": f"{DEFAULT_EDGE.width:g}px",
                "font-size": "8px",
                "padding": "3px",
                "text-color-external": "#000000",
                "text-color-internal": "#FFFFFF",
                "caption": '"<type>"',
            },
        ),
        _rule("node.Entity", _node_props(DEFAULT_NODE.colour, "50px")),
    ]
    for label, style in sorted(NODE_STYLES.items()):
        size = "65px" if label in ("Company", "Country") else "55px"
        rules.append(_rule(f"node.{label}", _node_props(style.colour, size)))
    for rel_type, edge in sorted({**EDGE_STYLES, **VIRTUAL_EDGE_STYLES}.items()):
        props = {"color": edge.colour, "shaft-width": f"{edge.width:g}px", "caption": '"<type>"'}
        rules.append(_rule(f"relationship.{rel_type}", props))
    return "\n".join(rules)


def main(argv: list[str] | None = None) -> int:
    """Write the GraSS file, or with ``--check`` exit 1 when it is stale."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = GRASS_PATH.read_text(encoding="utf-8") if GRASS_PATH.exists() else ""
        if current != text:
            print(f"{GRASS_PATH} is out of date: run python -m chipkg.viz.grass", file=sys.stderr)
            return 1
        return 0
    GRASS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {GRASS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
