"""Drive the real Neo4j Browser (served by the managed server) in headless Chromium.

Log in through its connect form, run commands and Cypher through its editor, and read
what the result frame drew. The editor is Monaco: typing 20 kB of Cypher key by key takes
minutes and its auto-closing brackets would change the text, so text goes in as one paste
event. Browser's CSP forbids string evaluation, so waits use selectors, never JS strings.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Request, Route

TIMEOUT_MS = 180_000
RETRY_S = 45
FRAME = '[data-testid="frame"]'
PASTE = """text => {
  const area = document.querySelector('[data-testid="activeEditor"] textarea');
  const data = new DataTransfer();
  data.setData('text/plain', text);
  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
}"""
FAILED = re.compile(r"Neo\.\w*Error|ERROR")
COUNTS = re.compile(r"Displaying (\d+) nodes?, (\d+) relationships?")


class BrowserDriveError(AssertionError):
    """A step in Neo4j Browser did not happen; the message says which."""


def local_only(route: Route, request: Request) -> None:
    """Let the page reach this machine only (Browser also asks for web fonts and analytics)."""
    if request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def wait(page: Page, selector: str, what: str) -> Locator:
    """The element for ``selector``, or a failure naming the step that did not happen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        raise BrowserDriveError(
            f"Neo4j Browser: {what} (no {selector!r} after {TIMEOUT_MS // 1000} s)"
        ) from None
    return page.locator(selector)


def log_in(context: BrowserContext, url: str, bolt: str, user: str, password: str) -> Page:
    """A Browser page logged in to ``bolt`` (host:port), once chipkg's style is applied."""
    page = context.new_page()
    page.route("**/*", local_only)
    page.goto(f"{url}/browser/")
    wait(page, 'input[data-testid="boltaddress"]', "the connect form did not show")
    page.select_option('select[data-testid="bolt-scheme-select"]', "bolt://")
    page.fill('input[data-testid="boltaddress"]', bolt)
    page.fill('input[data-testid="username"]', user)
    page.fill('input[data-testid="password"]', password)
    page.click('button[data-testid="connect"]')
    wait(page, f"{FRAME} >> text=You are connected", f"could not log in to bolt://{bolt}")
    # browser.post_connect_cmd runs :style with chipkg's GraSS right after connecting.
    wait(page, '[data-testid="frameCommand"] >> text=:style', "chipkg's :style did not run")
    return page


def run(page: Page, text: str) -> Locator:
    """Run ``text`` in the editor; its result frame (the one whose command starts like it).

    Waits for one more frame showing this command, not for the n-th frame: Browser may
    close or add other frames meanwhile. On a loaded machine a paste or click can be lost
    before the editor is ready, so the command is pasted (replacing the editor's text) and
    run again every RETRY_S seconds until its frame shows or TIMEOUT_MS passes.
    """
    first = text.splitlines()[0]
    command = page.locator('[data-testid="frameCommand"]', has_text=first[:60])
    frames = page.locator(FRAME).filter(has=command)
    before = frames.count()
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        page.click('[data-testid="activeEditor"]')
        page.keyboard.press("Control+A")
        page.evaluate(PASTE, text)
        page.click('[data-testid="editor-Run"]')
        retry_at = min(deadline, time.monotonic() + RETRY_S)
        while time.monotonic() < retry_at:
            if frames.count() > before:
                return frames.first
            time.sleep(0.5)
    raise BrowserDriveError(
        f"Neo4j Browser: no result frame for {first!r} after {TIMEOUT_MS // 1000} s"
    )


@dataclass
class Drawn:
    """What a result frame's graph view shows."""

    nodes: int
    relationships: int
    reported: tuple[int, int]
    captions: list[str]
    node_fills: set[tuple[str, str, str]]
    types: list[str]
    rel_fills: dict[str, set[str]]


def drawn(frame: Locator) -> Drawn:
    """Read the rendered graph: SVG nodes and relationships, captions, colours, the overview."""
    svg = frame.locator("svg.neod3viz")
    until = time.monotonic() + TIMEOUT_MS / 1000
    while svg.locator("g.node").count() == 0:
        text = frame.inner_text()
        if FAILED.search(text) or time.monotonic() > until:
            raise BrowserDriveError(f"Neo4j Browser drew no graph; the frame says: {text[-600:]}")
        time.sleep(0.5)
    inspector = frame.locator('[data-testid="vizInspector"]')
    found = COUNTS.search(inspector.inner_text())
    if found is None:
        raise BrowserDriveError("Neo4j Browser: no 'Displaying N nodes, M relationships' line")
    fills = frame.evaluate(
        """f => [...f.querySelectorAll('svg.neod3viz g.node')].map(n => [
          n.querySelector('circle.b-outline').getAttribute('fill'),
          n.querySelector('circle.b-outline').getAttribute('stroke'),
          n.querySelector('text.caption').getAttribute('fill')])"""
    )
    rel_fills: dict[str, set[str]] = {}
    for caption, fill in frame.evaluate(
        """f => [...f.querySelectorAll('svg.neod3viz g.relationship')].map(r => [
          (r.querySelector('text') || {}).textContent || '',
          (r.querySelector('path.b-outline') || r.querySelector('path') || {getAttribute: () => ''})
            .getAttribute('fill') || ''])"""
    ):
        rel_fills.setdefault(caption.strip(), set()).add(fill.upper())
    return Drawn(
        nodes=svg.locator("g.node").count(),
        relationships=svg.locator("g.relationship").count(),
        reported=(int(found[1]), int(found[2])),
        captions=[t.strip() for t in svg.locator("g.relationship text").all_text_contents()],
        node_fills={(a.upper(), b.upper(), c.upper()) for a, b, c in fills},
        types=inspector.locator(
            '[data-testid^="property-details-overview-relationship-type-"]'
        ).all_inner_texts(),
        rel_fills=rel_fills,
    )
