"""Matplotlib pictures: a sanctions timeline and provider shares per input.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global state,
no display needed) at a fixed pixel size, and written atomically.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from datetime import date
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from chipkg.errors import ChipkgError
from chipkg.viz.plotdata import InputRow, TimelineRow
from chipkg.viz.style import CUT_COLOUR, kind_colour, node_style

DPI = 100
SIZE = (1200, 800)
OTHERS = "#E6E6E6"


def new_figure(size: tuple[int, int] = SIZE) -> Figure:
    """A figure of exactly ``size`` pixels."""
    return Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, layout="constrained")


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
    years = range(first, last + 1, step)
    axes.set_xticks(
        [float(date(y, 1, 1).toordinal()) for y in years], labels=[str(y) for y in years]
    )
    axes.set_xlim(low - 30, high + 30)


def timeline_figure(title: str, rows: list[TimelineRow], today: str) -> Figure:
    """One bar per regulation from its first to its last day in force (or today)."""
    figure = new_figure()
    axes: Axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=14, fontweight="bold")
    if not rows:
        axes.text(0.5, 0.5, "no listing or rule reaches this entity in the graph", ha="center")
        axes.set_axis_off()
        return figure
    end_of_view = _day(today)
    for y, row in enumerate(rows):
        start = _day(row.start) if row.start else end_of_view
        end = _day(row.end, high=True) if row.end else end_of_view
        colour = kind_colour(row.kind)
        axes.barh(y, max(end - start, 2.0), left=start, height=0.35, color=colour, alpha=0.85)
        axes.plot([start], [y], marker="D", color="black", markersize=5)
        open_end = "" if row.end else " → in force"
        when = f"{row.start or 'date unknown'}{open_end}"
        axes.text(start, y - 0.22, f"{when}: {row.why}", fontsize=8, color="#333333")
    labels = [textwrap.shorten(r.name, 60, placeholder="…") for r in rows]
    axes.set_yticks(range(len(rows)), labels=labels, fontsize=8)
    axes.invert_yaxis()
    starts = [_day(r.start) for r in rows if r.start] or [end_of_view - 365]
    _year_ticks(axes, min(starts) - 120, end_of_view)
    axes.axvline(end_of_view, color="#57606a", linestyle=":", linewidth=1)
    axes.grid(axis="x", color="#dddddd")
    kinds = sorted({r.kind or "other" for r in rows})
    handles = [Patch(color=kind_colour(k), label=k.replace("_", " ")) for k in kinds]
    axes.legend(handles=handles, loc="lower left", fontsize=8, title="kind", title_fontsize=8)
    return figure


def _bar(axes: Axes, y: int, row: InputRow) -> bool:
    """Draw one input's stacked shares; True when a provider on it is cut."""
    left, any_cut = 0.0, False
    palette = node_style("Company").colour
    for i, provider in enumerate(row.providers):
        share = provider.share if provider.share is not None else 0.0
        cut = bool(provider.cut_by)
        any_cut = any_cut or cut
        width = share if share > 0 else 0.02
        shade = 0.55 + 0.45 * ((i + 1) % 3) / 2
        axes.barh(
            y,
            width,
            left=left,
            height=0.6,
            color=palette if not cut else "#F4C7C7",
            alpha=shade if not cut else 1.0,
            edgecolor=CUT_COLOUR if cut else "white",
            hatch="//" if cut else None,
            linewidth=1.5 if cut else 0.8,
        )
        share_text = f"{share:.0%}" if provider.share is not None else "share ?"
        text = f"{provider.name}{' ✕' if cut else ''}\n{share_text}"
        if width >= 0.08:
            axes.text(left + width / 2, y, text, ha="center", va="center", fontsize=7)
        else:
            axes.text(left + width + 0.005, y, text, ha="left", va="center", fontsize=7)
        left += width
    if left < 1.0:
        axes.barh(y, 1.0 - left, left=left, height=0.6, color=OTHERS)
    return any_cut


def _input_label(row: InputRow) -> str:
    """The input's name, with the chokepoint verdict when there is one."""
    name = textwrap.shorten(row.name, 36, placeholder="…")
    return f"{name}\n[{', '.join(row.reasons)}]" if row.reasons else name


def chokepoints_figure(title: str, rows: list[InputRow]) -> Figure:
    """Stacked market shares per input; providers cut off are red and hatched."""
    figure = new_figure()
    axes: Axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=14, fontweight="bold")
    shown = [r for r in rows if r.providers]
    if not shown:
        axes.text(0.5, 0.5, "no provider of this product or its inputs in the graph", ha="center")
        axes.set_axis_off()
        return figure
    for y, row in enumerate(shown):
        _bar(axes, y, row)
    labels = [_input_label(r) for r in shown]
    axes.set_yticks(range(len(shown)), labels=labels, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, max(1.0, *(sum(p.share or 0.02 for p in r.providers) for r in shown)))
    axes.set_xlabel("share of world supply")
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    axes.axvline(0.5, color="#57606a", linestyle=":", linewidth=1)
    handles = [
        Patch(color=node_style("Company").colour, label="provider"),
        Patch(facecolor="#F4C7C7", edgecolor=CUT_COLOUR, hatch="//", label="cut off (✕)"),
        Patch(color=OTHERS, label="others / unknown"),
    ]
    axes.legend(handles=handles, loc="lower right", fontsize=8)
    return figure
