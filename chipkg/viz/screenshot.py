"""Make the screenshot of docs/viz.md: the demo graph around an entity, shot in headless Chromium.

``python -m chipkg.viz.screenshot -o docs/img/demo-view.png`` (or ``make screenshot``)
builds the demo graph in a temporary embedded store, renders the view and saves
a PNG of the page once the layout has settled.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from chipkg.demo import build_demo
from chipkg.errors import ChipkgError
from chipkg.graph import EmbeddedStore
from chipkg.viz.browser import chromium, open_view
from chipkg.viz.graph import find_entity, neighbourhood
from chipkg.viz.html import render
from chipkg.viz.model import ViewGraph

DEFAULT_OUT = Path("docs/img/demo-view.png")


def demo_view(folder: Path, entity: str, hops: int, on: str | None, query: str | None) -> ViewGraph:
    """The view of ``entity`` on a freshly built demo graph in ``folder``."""
    store = EmbeddedStore(folder / "db")
    try:
        build_demo(store)
        found = find_entity(store, entity)
        if query == "reachable-suppliers":
            from chipkg.viz.answers import reachable_suppliers_view

            return reachable_suppliers_view(store, found.id, on)
        return neighbourhood(store, found.id, hops, on)
    finally:
        store.close()


def shoot(html: Path, out: Path) -> None:
    """Open the page in Chromium and save a screenshot; fail on any page error."""
    with chromium() as context:
        opened = open_view(context, html)
        if opened.errors or opened.requests:
            raise ChipkgError(f"the page misbehaved: {opened.errors + opened.requests}")
        opened.page.screenshot(path=str(out))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m chipkg.viz.screenshot", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--entity", default="DeepSeek")
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--on", default="2024-06-01")
    parser.add_argument("--query", choices=["reachable-suppliers"], default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chipkg-shot-") as tmp:
        folder = Path(tmp)
        view = demo_view(folder, args.entity, args.hops, args.on, args.query)
        html = folder / "view.html"
        html.write_text(render(view), encoding="utf-8")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        try:
            shoot(html, args.output)
        except ChipkgError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"wrote {args.output} ({view.title}; {len(view.nodes)} nodes, {len(view.edges)} links)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
