"""Text that fits: wrap or shorten labels to a width measured in pixels, not characters.

Constrained layout makes room for tick labels and titles but never shortens them, so a
long product name or title would run off the figure. These helpers measure with the
figure's own Agg renderer (same fonts as the PNG) before the text is placed.
"""

from __future__ import annotations

from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

ELLIPSIS = "…"


def renderer_of(figure: Figure) -> RendererBase:
    """The Agg renderer the PNG will be drawn with (attaching an Agg canvas if needed)."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    renderer: RendererBase = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def width_px(renderer: RendererBase, text: str, size: float, weight: str = "normal") -> float:
    """Width in pixels of the widest line of ``text`` at ``size`` points."""
    font = FontProperties(size=size, weight=weight)
    widths = [
        renderer.get_text_width_height_descent(line or " ", font, ismath=False)[0]
        for line in text.split("\n")
    ]
    return max(widths, default=0.0)


def shorten(
    renderer: RendererBase, text: str, size: float, max_px: float, weight: str = "normal"
) -> str | None:
    """``text`` cut at a word (or letter) with an ellipsis to fit ``max_px``; None if nothing fits."""
    if width_px(renderer, text, size, weight) <= max_px:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:") + ELLIPSIS
        if width_px(renderer, candidate, size, weight) <= max_px:
            return candidate
    letters = text
    while letters:
        letters = letters[:-1]
        candidate = letters + ELLIPSIS
        if width_px(renderer, candidate, size, weight) <= max_px:
            return candidate
    return None


def wrap(
    renderer: RendererBase,
    text: str,
    size: float,
    max_px: float,
    max_lines: int = 3,
    weight: str = "normal",
) -> str:
    """``text`` wrapped at words to lines of at most ``max_px``; the last line shortened."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and width_px(renderer, candidate, size, weight) > max_px:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return "\n".join(shorten(renderer, line, size, max_px, weight) or ELLIPSIS for line in lines)
