"""Matplotlib pictures: a sanctions timeline and provider shares per input.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global state,
no display needed) at a fixed pixel size, and written atomically. Titles and labels
are wrapped or shortened to widths measured in pixels (:mod:`chipkg.viz.textfit`);
texts inside the axes are placed after constrained layout has fixed the axes, so
nothing runs off the figure. An unknown market share is never drawn as a value: it
is a full-width hatched bar labelled "share unknown".
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from chipkg.errors import ChipkgError
from chipkg.viz.plotdata import InputRow, Provider, TimelineRow
from chipkg.viz.style import CUT_COLOUR, kind_colour, node_style
from chipkg.viz.textfit import renderer_of, shorten, width_px, wrap

DPI = 100
SIZE = (1200, 800)
OTHERS = "#E6E6E6"
UNKNOWN = "#F6F8FA"
UNKNOWN_EDGE = "#8C959F"
CUT_FILL = "#F4C7C7"
#: ``gid`` of the bars that stand for providers whose share is unknown.
UNKNOWN_GID = "share-unknown"
TITLE_SIZE = 14
LABEL_SIZE = 8
INPUT_SIZE = 9
NOTE_SIZE = 7.5
MARGIN_PX = 12


def new_figure(size: tuple[int, int] = SIZE) -> Figure:
    """A figure of exactly ``size`` pixels."""
    return Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, layout="constrained")


def set_title(figure: Figure, title: str, subtitle: str | None = None) -> None:
    """A bold title (two lines at most) and a one-line subtitle, fitted to the figure's width."""
    renderer = renderer_of(figure)
    room = figure.bbox.width - 2 * MARGIN_PX
    text = wrap(renderer, title, TITLE_SIZE, room, max_lines=2, weight="bold")
    if subtitle:
        text += "\n" + wrap(renderer, subtitle, TITLE_SIZE, room, max_lines=1, weight="bold")
    x = MARGIN_PX / figure.bbox.width
    figure.suptitle(text, x=x, ha="left", fontsize=TITLE_SIZE, fontweight="bold")


def freeze(figure: Figure) -> None:
    """Run constrained layout once and keep its result, so texts placed next fit the axes."""
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def empty(figure: Figure, message: str) -> Figure:
    """An answer with nothing to draw still says so inside the figure."""
    axes: Axes = figure.add_subplot()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=11)
    axes.set_axis_off()
    return figure


def save_png(figure: Figure, path: Path) -> None:
    """Write the PNG next to ``path`` first, then move it in place: no half-written file."""
    if path.suffix.lower() != ".png":
        raise ChipkgError(f"{path}: plots are written as PNG, give a .png file name")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ChipkgError(f"{path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=folder)
    os.close(fd)
    try:
        figure.savefig(tmp, format="png", dpi=DPI)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _day(text: str, high: bool = False) -> float:
    """A partial date as a day number: its first day, or its last with ``high``."""
    pads = ("-12-31", "-12", "") if high else ("-01-01", "-01", "")
    value = text + pads[min(text.count("-"), 2)]
    year, month, day = (int(x) for x in value.split("-"))
    return float(date(year, month, min(day, 28 if month == 2 else 30)).toordinal())


def _year_ticks(axes: Axes, low: float, high: float) -> None:
    """Label the time axis with years (x values are proleptic ordinals)."""
    first, last = date.fromordinal(int(low)).year, date.fromordinal(int(high)).year + 1
    step = max(1, (last - first) // 10)
    years = [y for y in range(first, last + 1, step) if low - 30 <= date(y, 1, 1).toordinal()]
    years = [y for y in years if date(y, 1, 1).toordinal() <= high + 30]
    axes.set_xticks(
        [float(date(y, 1, 1).toordinal()) for y in years], labels=[str(y) for y in years]
    )
    axes.set_xlim(low - 30, high + 30)


def _row_labels(
    figure: Figure, names: list[str], max_px: float, size: float = LABEL_SIZE
) -> list[str]:
    """Names wrapped to two lines of at most ``max_px`` (the y axis never takes the figure)."""
    renderer = renderer_of(figure)
    return [wrap(renderer, name, size, max_px, max_lines=2) for name in names]


def timeline_figure(title: str, rows: list[TimelineRow], today: str) -> Figure:
    """One bar per regulation from its first to its last day in force (or today)."""
    figure = new_figure()
    set_title(figure, title)
    if not rows:
        return empty(figure, "no listing or rule reaches this entity in the graph")
    axes: Axes = figure.add_subplot()
    end_of_view = _day(today)
    spans = []
    for y, row in enumerate(rows):
        start = _day(row.start) if row.start else end_of_view
        end = _day(row.end, high=True) if row.end else end_of_view
        axes.barh(y, max(end - start, 2.0), left=start, height=0.35, color=kind_colour(row.kind))
        axes.plot([start], [y], marker="D", color="black", markersize=5)
        spans.append(start)
    labels = _row_labels(figure, [r.name for r in rows], figure.bbox.width * 0.28)
    axes.set_yticks(range(len(rows)), labels=labels, fontsize=LABEL_SIZE)
    axes.set_ylim(len(rows) - 0.5, -0.8)
    starts = [_day(r.start) for r in rows if r.start] or [end_of_view - 365]
    _year_ticks(axes, min(starts) - 120, end_of_view)
    axes.axvline(end_of_view, color="#57606a", linestyle=":", linewidth=1)
    axes.grid(axis="x", color="#dddddd")
    kinds = sorted({r.kind or "other" for r in rows})
    handles = [Patch(color=kind_colour(k), label=k.replace("_", " ")) for k in kinds]
    figure.legend(
        handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=8
    )
    freeze(figure)
    for y, (row, start) in enumerate(zip(rows, spans, strict=True)):
        when = f"{row.start or 'date unknown'}{'' if row.end else ' → in force'}"
        _note(figure, axes, start, y - 0.3, f"{when}: {row.why}")
    return figure


def _note(figure: Figure, axes: Axes, x: float, y: float, text: str) -> None:
    """A small note starting at ``x``, or ending at the axes' right edge when it would pass it."""
    renderer = renderer_of(figure)
    box = axes.bbox
    fitted = shorten(renderer, text, NOTE_SIZE, box.width - 8) or ""
    start_px = axes.transData.transform((x, y))[0]
    if start_px + width_px(renderer, fitted, NOTE_SIZE) + 4 <= box.x1:
        axes.text(x, y, fitted, fontsize=NOTE_SIZE, color="#333333", va="center")
    else:
        right = axes.get_xlim()[1]
        axes.text(
            right, y, fitted + " ", fontsize=NOTE_SIZE, color="#333333", ha="right", va="center"
        )


@dataclass
class Segment:
    """A drawn bar piece and the labels to try in it, longest first."""

    left: float
    width: float
    y: float
    height: float
    labels: list[str]
    always: bool = False


def _known_bar(axes: Axes, y: float, height: float, known: list[Provider]) -> list[Segment]:
    """Stacked shares of the providers whose share is known; the rest is 'others'."""
    left, found = 0.0, []
    palette = node_style("Company").colour
    for i, provider in enumerate(known):
        share = provider.share or 0.0
        cut = bool(provider.cut_by)
        axes.barh(
            y, share, left=left, height=height,
            color=CUT_FILL if cut else palette,
            alpha=1.0 if cut else 0.55 + 0.45 * ((i + 1) % 3) / 2,
            edgecolor=CUT_COLOUR if cut else "white",
            hatch="//" if cut else None,
            linewidth=1.5 if cut else 0.8,
            gid=f"share:{provider.id}",
        )  # fmt: skip
        mark = " ✕" if cut else ""
        name = f"{provider.name}{mark}"
        labels = [f"{name}\n{share:.0%}", f"{name} {share:.0%}", f"{share:.0%}{mark}"]
        found.append(Segment(left, share, y, height, labels))
        left += share
    if left < 1.0:
        axes.barh(y, 1.0 - left, left=left, height=height, color=OTHERS, gid="others")
    return found


def _unknown_bar(
    axes: Axes, y: float, height: float, unknown: list[Provider], width: float
) -> Segment:
    """One full-width hatched bar for the providers whose share is unknown: never a small value."""
    cut = [p for p in unknown if p.cut_by]
    axes.barh(
        y, width, left=0.0, height=height,
        color=CUT_FILL if cut and len(cut) == len(unknown) else UNKNOWN,
        edgecolor=CUT_COLOUR if cut else UNKNOWN_EDGE,
        hatch="..", linewidth=1.0, gid=UNKNOWN_GID,
    )  # fmt: skip
    names = ", ".join(f"{p.name}{' ✕' if p.cut_by else ''}" for p in unknown)
    many = f"share unknown: {len(unknown)} providers"
    return Segment(0.0, width, y, height, [f"share unknown: {names}", many], always=True)


def _fits(renderer: RendererBase, text: str, width: float, height: float) -> bool:
    """Whether ``text`` fits a box of ``width`` x ``height`` pixels at the note size."""
    line = float(renderer.points_to_pixels(NOTE_SIZE * 1.3))  # type: ignore[arg-type]
    return width_px(renderer, text, NOTE_SIZE) <= width and line * len(text.split("\n")) <= height


def _label(figure: Figure, axes: Axes, segment: Segment) -> None:
    """The first label that fits inside its bar (or a shortened one for unknown shares)."""
    renderer = renderer_of(figure)
    x0, y0 = axes.transData.transform((segment.left, segment.y - segment.height / 2))
    x1, y1 = axes.transData.transform(
        (segment.left + segment.width, segment.y + segment.height / 2)
    )
    room, tall = abs(x1 - x0) - 8, abs(y1 - y0)
    text = next((t for t in segment.labels if _fits(renderer, t, room, tall)), None)
    if text is None and segment.always:
        text = shorten(renderer, segment.labels[-1], NOTE_SIZE, room)
    if text:
        axes.text(
            segment.left + segment.width / 2, segment.y, text,
            ha="center", va="center", fontsize=NOTE_SIZE,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1},
        )  # fmt: skip


def _input_label(figure: Figure, row: InputRow) -> str:
    """The input's name (at most two lines), with the chokepoint verdict when there is one."""
    [name] = _row_labels(figure, [row.name], figure.bbox.width * 0.22, INPUT_SIZE)
    return f"{name}\n[{', '.join(row.reasons)}]" if row.reasons else name


def _rows(axes: Axes, shown: list[InputRow], width: float) -> list[Segment]:
    """Each input's bars: known shares on top, unknown shares below (full width), or one of them."""
    segments = []
    for y, row in enumerate(shown):
        known = [p for p in row.providers if p.share is not None]
        unknown = [p for p in row.providers if p.share is None]
        both = bool(known and unknown)
        height = 0.36 if both else 0.6
        if known:
            segments += _known_bar(axes, y - 0.2 if both else y, height, known)
        if unknown:
            segments.append(_unknown_bar(axes, y + 0.2 if both else y, height, unknown, width))
    return segments


def chokepoints_figure(title: str, rows: list[InputRow], subtitle: str | None = None) -> Figure:
    """Stacked market shares per input; cut-off providers red and hatched, unknown shares dotted."""
    figure = new_figure()
    set_title(figure, title, subtitle)
    shown = [r for r in rows if r.providers]
    if not shown:
        return empty(figure, "no provider of this product or its inputs in the graph")
    axes: Axes = figure.add_subplot()
    width = max(1.0, *(sum(p.share or 0.0 for p in r.providers) for r in shown))
    segments = _rows(axes, shown, width)
    labels = [_input_label(figure, r) for r in shown]
    axes.set_yticks(range(len(shown)), labels=labels, fontsize=INPUT_SIZE)
    axes.set_ylim(len(shown) - 0.5, -0.5)
    axes.set_xlim(0, width)
    axes.set_xlabel("share of world supply")
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    axes.axvline(0.5, color="#57606a", linestyle=":", linewidth=1)
    handles = [
        Patch(color=node_style("Company").colour, label="provider (known share)"),
        Patch(facecolor=CUT_FILL, edgecolor=CUT_COLOUR, hatch="//", label="cut off (✕)"),
        Patch(color=OTHERS, label="others / not in the graph"),
        Patch(facecolor=UNKNOWN, edgecolor=UNKNOWN_EDGE, hatch="..", label="share unknown"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8)
    freeze(figure)
    for segment in segments:
        _label(figure, axes, segment)
    return figure
