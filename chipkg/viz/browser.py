"""Open views in a real headless Chromium (Debian's), for the screenshot and the tests.

Playwright drives the browser but never downloads one: we point it at the system
Chromium (``CHIPKG_CHROMIUM``, default ``/usr/bin/chromium``) with a fresh profile
and flags that keep it off the network. Playwright is a dev dependency, so it is
imported only here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chipkg.errors import ChipkgError

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Route

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1400, 860


def chromium_path() -> str:
    """The Chromium binary to drive."""
    path = os.environ.get("CHIPKG_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        raise ChipkgError(f"Chromium not found at {path} (apt-get install chromium)")
    return path


@contextmanager
def chromium() -> Iterator[BrowserContext]:
    """One headless Chromium with a throw-away profile."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise ChipkgError("driving Chromium needs playwright: pip install -e '.[dev]'") from exc
    with (
        tempfile.TemporaryDirectory(prefix="chipkg-chromium-") as profile,
        sync_playwright() as driver,
    ):
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=FLAGS,
            viewport={"width": WIDTH, "height": HEIGHT},
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class OpenedView:
    """A page showing a view, with what it logged and what it tried to fetch."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_view(context: BrowserContext, html: Path, timeout_ms: int = 30_000) -> OpenedView:
    """Load a view page, blocking every non-file request, and wait until laid out."""
    page = context.new_page()
    opened = OpenedView(page)

    def on_console(message: object) -> None:
        if getattr(message, "type", "") == "error":
            opened.errors.append(f"console: {getattr(message, 'text', '')}")

    def on_route(route: Route, request: Request) -> None:
        if request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            opened.requests.append(request.url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
    page.route("**/*", on_route)
    page.goto(html.resolve().as_uri())
    page.wait_for_function("window.chipkgView && window.chipkgView.ready", timeout=timeout_ms)
    return opened
