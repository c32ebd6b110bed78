"""The real Neo4j Browser draws the graph form of reachable-suppliers: logged in through its
page in headless Chromium, parameters set with ``:param``, the generated
``browser/reachable_suppliers.graph.cypher`` pasted and run for DeepSeek on 2024-06-01 on the
reference graph. The page must show as many nodes and relationships as the query returns
(SVG elements and Browser's own count), the cut links as CUT relationships, and chipkg's GraSS
colours on the nodes. A screenshot of the frame goes to ``$CHIPKG_SCREENSHOT_DIR`` (``make
browser-screenshot`` sets it to docs/img), else to the test's tmp dir.

One Chromium for the module (Debian's, driven by Playwright, nothing downloaded).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipkg.graph.neo4j_settings import Neo4jSettings
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.graph.server import ManagedNeo4j
from chipkg.graph.server.config import grass_rules
from chipkg.queries.neo4j_runner import cypher_text, run_file
from chipkg.viz.browser import chromium
from chipkg.viz.grass import GRASS_PATH
from tests.support.neo4j_browser import Drawn, drawn, log_in, run
from tests.support.neo4j_reference import load_reference_graph

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

FORM = "browser/reachable_suppliers.graph"
PARAMS = {"buyer": "company/deepseek", "on": "2024-06-01"}
SHOT = "browser-reachable-deepseek.png"


@pytest.fixture(scope="module")
def graph(neo4j_session_store: Neo4jStore) -> Neo4jStore:
    """The test Neo4j holding the reference graph."""
    return load_reference_graph(neo4j_session_store)


def browser_params() -> list[str]:
    """The form's ``:param`` header as Browser commands, with DeepSeek and 2024-06-01."""
    out = []
    for line in cypher_text(FORM).splitlines():
        if line.startswith("// :param "):
            name = line.split()[2]
            out.append(f":param {name} => '{PARAMS[name]}'" if name in PARAMS else line[3:])
    return out


@pytest.fixture(scope="module")
def result(graph: Neo4jStore, neo4j_settings: Neo4jSettings) -> Iterator[tuple[Any, Drawn]]:
    """The graph form's result frame in Browser, and what it drew."""
    if os.environ.get("NEO4J_URI"):
        pytest.skip("drives the managed server's Browser; NEO4J_URI points elsewhere")
    server = ManagedNeo4j()
    with chromium() as context:
        page = log_in(
            context,
            server.http_url,
            f"127.0.0.1:{server.bolt_port}",
            neo4j_settings.user,
            neo4j_settings.password,
        )
        run(page, ":config autoComplete: false")  # draw only what the query returns
        for command in browser_params():
            run(page, command)
        frame = run(page, cypher_text(FORM))
        yield frame, drawn(frame)


@pytest.fixture(scope="module")
def expected(graph: Neo4jStore) -> dict[str, Any]:
    """What the same form returns through the driver, and the canned answer."""
    params = {"item": None, "max_hops": 4, "entity_only": False, **PARAMS}
    rows = run_file(graph, FORM, params)
    [answer] = run_file(graph, "reachable_suppliers", params)
    nodes = {n.element_id for row in rows for n in row["path"].nodes}
    rels = {r.element_id: r.type for row in rows for r in row["path"].relationships}
    return {
        "nodes": len(nodes),
        "rels": len(rels),
        "answer": answer,
        "cut": sum(1 for t in rels.values() if t == "CUT"),
    }


def test_browser_draws_every_node_and_relationship(
    result: tuple[Any, Drawn], expected: dict[str, Any]
) -> None:
    shown = result[1]
    assert (shown.nodes, shown.relationships) == (expected["nodes"], expected["rels"])
    assert shown.reported == (expected["nodes"], expected["rels"])


def test_browser_shows_the_cut_links(result: tuple[Any, Drawn], expected: dict[str, Any]) -> None:
    shown = result[1]
    blocked = expected["answer"]["blocked"]
    assert blocked and expected["cut"] == len(blocked)
    assert shown.captions.count("CUT") == len(blocked)
    assert f"CUT ({len(blocked)})" in shown.types


def test_browser_applies_chipkg_colours(result: tuple[Any, Drawn]) -> None:
    company = grass_rules(GRASS_PATH.read_text(encoding="utf-8"))["node.Company"]
    want = (company["color"], company["border-color"], company["text-color-internal"])
    assert result[1].node_fills == {tuple(c.upper() for c in want)}
    cut = grass_rules(GRASS_PATH.read_text(encoding="utf-8"))["relationship.CUT"]
    assert result[1].rel_fills["CUT"] == {cut["color"].upper()}


def test_browser_screenshot(result: tuple[Any, Drawn], tmp_path: Path) -> None:
    folder = Path(os.environ.get("CHIPKG_SCREENSHOT_DIR") or tmp_path)
    path = folder / SHOT
    result[0].screenshot(path=str(path))
    assert path.stat().st_size > 20_000, "the screenshot of the frame is (nearly) blank"
