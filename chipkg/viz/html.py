"""Render a :class:`ViewGraph` as one self-contained HTML page drawn by vis-network.

vis-network is not committed here: it comes from the ``pyvis`` package, which
ships the library's build in its package data. We read that file at render time
and inline it (with our own script and style), so the page opens offline and the
repository holds no third-party code.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import textwrap
from pathlib import Path
from typing import Any

from chipkg.errors import ChipkgError
from chipkg.viz.model import ViewEdge, ViewGraph, ViewNode
from chipkg.viz.style import (
    CUT_COLOUR,
    CUT_DASHES,
    FAINT_MODALITIES,
    darker,
    edge_style,
    node_style,
    text_colour,
)

ASSETS = Path(__file__).resolve().parent / "assets"
INSIDE_LABEL_SHAPES = frozenset({"box", "ellipse", "circle", "database", "text"})
SYMMETRIC = frozenset({"COMPETES_WITH"})


def vis_network_files() -> tuple[Path, Path]:
    """The vis-network script and stylesheet inside the installed pyvis package."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ChipkgError("the HTML view needs the pyvis package: pip install pyvis")
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    builds = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not builds:
        raise ChipkgError(f"no vis-network build found under {lib}")
    script = builds[-1]
    return script, script.with_name("vis-network.css")


def _script_safe(text: str) -> str:
    """Inline text cannot close its own <script>/<style> element early."""
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)


def _json_safe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _node_title(node: ViewNode) -> str:
    lines = [f"{node.name} ({node.label})", node.id]
    if node.note:
        lines.append(node.note)
    if node.aliases:
        lines.append("also: " + ", ".join(node.aliases[:6]))
    lines += [f"{k}: {_show(v)}" for k, v in sorted(node.properties.items()) if k != "url"]
    return "\n".join(lines)


def _show(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _edge_title(view: ViewGraph, edge: ViewEdge) -> str:
    lines = [f"{view.name(edge.source)} {edge.type} {view.name(edge.target)}"]
    lines += [f"{k}: {view.name(str(v))}" for k, v in sorted(edge.properties.items())]
    lines.append(f"modality: {edge.modality}, confidence {edge.confidence:.2f}")
    if edge.valid_from or edge.valid_to:
        lines.append(f"valid: {edge.valid_from or '…'} to {edge.valid_to or '…'}")
    if edge.derived:
        lines.append("derived from other claims")
    lines.append("sources: " + "; ".join(view.name(s) for s in edge.sources))
    for cut in edge.cuts:
        lines.append(f"CUT by {view.name(cut.regulation)} ({cut.regulation}): {cut.reason}")
    return "\n".join(lines)


def vis_node(node: ViewNode) -> dict[str, Any]:
    """One vis-network node item, with the record kept under ``chipkg``."""
    style = node_style(node.label)
    inside = style.shape in INSIDE_LABEL_SHAPES
    colour = {"background": style.colour, "border": darker(style.colour)}
    return {
        "id": node.id,
        "label": textwrap.shorten(node.name, 34, placeholder="…"),
        "title": _node_title(node),
        "shape": style.shape,
        "color": {**colour, "highlight": colour, "hover": colour},
        "font": {"color": text_colour(style.colour) if inside else "#1F2328"},
        "size": 26 if node.focus else 16,
        "borderWidth": 4 if node.focus else 1,
        "chipkg": {
            "label": node.label,
            "name": node.name,
            "aliases": node.aliases,
            "note": node.note,
            "properties": node.properties,
            "focus": node.focus,
        },
    }


def _edge_record(view: ViewGraph, edge: ViewEdge) -> dict[str, Any]:
    return {
        "type": edge.type,
        "source": {"id": edge.source, "name": view.name(edge.source)},
        "target": {"id": edge.target, "name": view.name(edge.target)},
        "modality": edge.modality,
        "confidence": edge.confidence,
        "valid_from": edge.valid_from,
        "valid_to": edge.valid_to,
        "derived": edge.derived,
        "properties": {k: view.name(str(v)) for k, v in edge.properties.items()},
        "sources": [{"id": s, "name": view.name(s), "url": view.urls.get(s)} for s in edge.sources],
        "quotes": [{"source": view.name(s), "quote": q} for s, q in edge.quotes],
        "cuts": [
            {"regulation": c.regulation, "name": view.name(c.regulation), "reason": c.reason}
            for c in edge.cuts
        ],
    }


def vis_edge(view: ViewGraph, edge: ViewEdge, bend: int) -> dict[str, Any]:
    """One vis-network edge item; cut links are red and dashed, weak ones faint."""
    style = edge_style(edge.type)
    colour = CUT_COLOUR if edge.cuts else style.colour
    roundness = 0.08 + 0.14 * (bend // 2)
    items = edge.properties.get("items") if view.item_labels else None
    label = {"label": textwrap.shorten(str(items), 30, placeholder="…")} if items else {}
    return {
        **label,
        "font": {"size": 11, "color": colour, "background": "#FFFFFF", "align": "middle"},
        "id": edge.id,
        "from": edge.source,
        "to": edge.target,
        "title": _edge_title(view, edge),
        "arrows": "" if edge.type in SYMMETRIC else "to",
        "color": {
            "color": colour,
            "highlight": colour,
            "hover": colour,
            "opacity": 0.45 if edge.modality in FAINT_MODALITIES else 1.0,
        },
        "width": style.width + (1.0 if edge.cuts else 0.0),
        "dashes": list(CUT_DASHES) if edge.cuts else False,
        "smooth": {"type": "curvedCW" if bend % 2 == 0 else "curvedCCW", "roundness": roundness},
        "chipkg": _edge_record(view, edge),
    }


def page_data(view: ViewGraph) -> dict[str, Any]:
    """Everything the page script needs: vis items, the legend and the titles."""
    bends: dict[frozenset[str], int] = {}
    edges = []
    for edge in sorted(view.edges.values(), key=lambda e: e.id):
        pair = frozenset((edge.source, edge.target))
        bends[pair] = bends.get(pair, -1) + 1
        edges.append(vis_edge(view, edge, bends[pair]))
    labels = sorted({n.label for n in view.nodes.values()})
    types = sorted({e.type for e in view.edges.values()})
    return {
        "title": view.title,
        "subtitle": view.subtitle,
        "nodes": [vis_node(n) for n in sorted(view.nodes.values(), key=lambda n: n.id)],
        "edges": edges,
        "legend": {
            "labels": [
                {"name": lab, "colour": node_style(lab).colour, "shape": node_style(lab).shape}
                for lab in labels
            ],
            "types": [{"name": t, "colour": edge_style(t).colour} for t in types],
            "cut": {"colour": CUT_COLOUR, "dashes": list(CUT_DASHES)},
        },
    }


def render(view: ViewGraph) -> str:
    """The whole page as one string: no external script, style, font or image."""
    vis_js, vis_css = vis_network_files()
    parts = {
        "TITLE": html.escape(view.title),
        "VIS_CSS": _script_safe(vis_css.read_text(encoding="utf-8")),
        "VIS_JS": _script_safe(vis_js.read_text(encoding="utf-8")),
        "VIEW_JS": _script_safe((ASSETS / "view.js").read_text(encoding="utf-8")),
        "DATA": _json_safe(page_data(view)),
    }
    template = (ASSETS / "page.html").read_text(encoding="utf-8")
    return re.sub(r"@@CHIPKG_([A-Z_]+)@@", lambda m: parts[m.group(1)], template)
