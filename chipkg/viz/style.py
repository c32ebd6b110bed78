"""One palette for every picture chipkg draws, so a label looks the same everywhere.

The HTML view, the matplotlib plots and the Neo4j Browser style file all read
these tables; change a colour here and regenerate the GraSS file
(``python -m chipkg.viz.grass``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    """How nodes of one label look: fill colour and a vis-network shape."""

    colour: str
    shape: str


@dataclass(frozen=True)
class EdgeStyle:
    """How relationships of one type look: line colour and width in pixels."""

    colour: str
    width: float = 1.5


DEFAULT_NODE = NodeStyle("#A5ABB6", "dot")
DEFAULT_EDGE = EdgeStyle("#A5ABB6")

NODE_STYLES: dict[str, NodeStyle] = {
    "Company": NodeStyle("#4E79A7", "dot"),
    "Country": NodeStyle("#59A14F", "square"),
    "Facility": NodeStyle("#9C755F", "triangleDown"),
    "GovernmentBody": NodeStyle("#B07AA1", "hexagon"),
    "Person": NodeStyle("#FF9DA7", "star"),
    "Product": NodeStyle("#F28E2B", "diamond"),
    "Regulation": NodeStyle("#8E1B32", "box"),
    "Source": NodeStyle("#BAB0AC", "ellipse"),
    "Technology": NodeStyle("#76B7B2", "triangle"),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    "SUPPLIES": EdgeStyle("#2F6DB5", 2.5),
    "MANUFACTURES": EdgeStyle("#E07B00", 2.0),
    "DESIGNS": EdgeStyle("#E9A93B"),
    "DEVELOPS": EdgeStyle("#8E6C8A"),
    "OWNS": EdgeStyle("#1B9E77", 2.0),
    "USES": EdgeStyle("#66A61E", 2.0),
    "INPUT_TO": EdgeStyle("#A6761D"),
    "TYPE_OF": EdgeStyle("#8C8C8C", 1.0),
    "VARIANT_OF": EdgeStyle("#B3B3B3", 1.0),
    "LOCATED_IN": EdgeStyle("#7FA77A", 1.0),
    "SUBSIDIARY_OF": EdgeStyle("#5D6D7E"),
    "COMPETES_WITH": EdgeStyle("#C9A227", 1.0),
    "OPERATES": EdgeStyle("#8C564B"),
    "ISSUED_BY": EdgeStyle("#B07AA1", 1.0),
    "TARGETS": EdgeStyle("#8E1B32", 2.0),
    "RESTRICTS": EdgeStyle("#D4627A", 2.0),
}

#: A link cut by a regulation in force: red and dashed in every picture.
CUT_COLOUR = "#D62728"
CUT_DASHES: tuple[int, int] = (8, 6)
#: Virtual relationships the Browser graph forms draw (``cypher/browser/*.graph.cypher``):
#: a cut link in the cut colour, a licence requirement in amber, what-if changes apart.
VIRTUAL_EDGE_STYLES: dict[str, EdgeStyle] = {
    "CUT": EdgeStyle(CUT_COLOUR, 3.0),
    "LICENCE_REQUIRED": EdgeStyle("#F2A900", 3.0),
    "GAINED": EdgeStyle("#2CA02C", 3.0),
    "MOVED": EdgeStyle("#9467BD", 3.0),
    "REACHES": EdgeStyle("#8E1B32", 2.0),
}
#: Claims whose modality is weaker than "reported" are drawn fainter.
FAINT_MODALITIES = frozenset({"rumored", "speculative", "negated"})

#: Regulation kinds, for the sanctions timeline.
KIND_COLOURS: dict[str, str] = {
    "entity_listing": "#8E1B32",
    "export_control_rule": "#2F6DB5",
    "foreign_direct_product_rule": "#E07B00",
    "licence_requirement": "#B07AA1",
    "sanctions_programme": "#5D6D7E",
    "other": "#8C8C8C",
}


def _hashed(name: str) -> str:
    """A stable colour for a name no table lists (a label or type added later)."""
    digest = hashlib.sha1(name.encode()).digest()
    return "#" + "".join(f"{64 + b % 128:02X}" for b in digest[:3])


def node_style(label: str) -> NodeStyle:
    """The style of a label; unknown labels get a stable hashed colour."""
    return NODE_STYLES.get(label) or NodeStyle(_hashed(label), DEFAULT_NODE.shape)


def edge_style(rel_type: str) -> EdgeStyle:
    """The style of a relationship type; unknown types get a stable hashed colour."""
    return EDGE_STYLES.get(rel_type) or EdgeStyle(_hashed(rel_type), DEFAULT_EDGE.width)


def kind_colour(kind: str | None) -> str:
    """Colour of a regulation kind on the timeline."""
    return KIND_COLOURS.get(kind or "other", KIND_COLOURS["other"])


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#RRGGBB)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.5 else "#FFFFFF"


def darker(colour: str, factor: float = 0.75) -> str:
    """The same hue, darker: used for node borders."""
    channels = (int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5))
    return "#" + "".join(f"{c:02X}" for c in channels)
