"""The shared palette and the Neo4j Browser style file generated from it."""

from __future__ import annotations

import re

from chipkg.ontology import ONTOLOGY
from chipkg.viz import grass
from chipkg.viz.style import (
    EDGE_STYLES,
    NODE_STYLES,
    edge_style,
    node_style,
    text_colour,
)

HEX = re.compile(r"^#[0-9A-F]{6}$")


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Rules by selector, read the way Browser's parser reads them.

    Braces inside quotes belong to the value; whitespace outside a rule body is
    dropped, so anything that is not a rule (a comment) would corrupt the next selector.
    """
    rules: dict[str, dict[str, str]] = {}
    selector, body, in_body, in_quote = "", "", False, False
    for char in text:
        if char == '"':
            in_quote = not in_quote
        if char == "{" and not in_quote:
            in_body = True
        elif char == "}" and not in_quote:
            props = dict(
                (k.strip(), v.strip())
                for k, v in (p.split(":", 1) for p in body.split(";") if ":" in p)
            )
            rules[selector], selector, body, in_body = props, "", "", False
        elif in_body:
            body += char
        elif not char.isspace():
            selector += char
    return rules


def test_grass_file_is_up_to_date() -> None:
    assert grass.GRASS_PATH.read_text(encoding="utf-8") == grass.render(), (
        "run: python -m chipkg.viz.grass"
    )
    assert grass.main(["--check"]) == 0


def test_grass_check_reports_a_stale_file(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "stale.grass"
    stale.write_text("node {\n  color: #000000;\n}\n", encoding="utf-8")
    monkeypatch.setattr(grass, "GRASS_PATH", stale)
    assert grass.main(["--check"]) == 1


def test_grass_has_one_rule_per_label_and_type_with_the_palette_colours() -> None:
    rules = parse_grass(grass.render())
    for label, style in NODE_STYLES.items():
        assert rules[f"node.{label}"]["color"] == style.colour
        assert rules[f"node.{label}"]["caption"] == '"{name}"'
    for rel_type, edge in EDGE_STYLES.items():
        assert rules[f"relationship.{rel_type}"]["color"] == edge.colour
    selectors = list(rules)
    assert selectors.index("node.Entity") < min(
        selectors.index(f"node.{label}") for label in NODE_STYLES
    ), "the generic Entity rule must come first so label rules win"
    assert "/*" not in grass.render(), "Browser's GraSS parser does not skip comments"


def test_palette_covers_exactly_the_ontology() -> None:
    assert set(NODE_STYLES) == set(ONTOLOGY.labels)
    assert set(EDGE_STYLES) == set(ONTOLOGY.relationship_types)
    colours = [s.colour for s in NODE_STYLES.values()]
    assert all(HEX.match(c) for c in colours)
    assert len(set(colours)) == len(colours), "two labels share a colour"
    edge_colours = [s.colour for s in EDGE_STYLES.values()]
    assert all(HEX.match(c) for c in edge_colours)


def test_unknown_names_get_stable_fallback_colours() -> None:
    assert node_style("Satellite") == node_style("Satellite")
    assert HEX.match(node_style("Satellite").colour)
    assert edge_style("LAUNCHES").colour != edge_style("ORBITS").colour
    assert node_style("Company") == NODE_STYLES["Company"]


def test_text_colour_contrasts_with_the_background() -> None:
    assert text_colour("#FFFFFF") == "#000000"
    assert text_colour("#000000") == "#FFFFFF"
    assert text_colour(NODE_STYLES["Regulation"].colour) == "#FFFFFF"
