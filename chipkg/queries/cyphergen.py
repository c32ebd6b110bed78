"""Shared Cypher blocks written once and copied into every runnable query file.

Each ``.cypher`` file stays runnable as-is in Neo4j Browser, so the blocks the
queries share (regulations in force, the cut rule, supply links...) are pasted
into them between ``// -- shared: NAME`` and ``// -- end shared: NAME`` markers.
The text of each block lives once in ``cypher/fragments/<slug>.cypher``;
``python -m chipkg.queries.cyphergen`` rewrites the copies (re-indented to their
marker) and ``--check`` fails when a file is stale, like the ontology's generated files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
FRAGMENT_DIR = CYPHER_DIR / "fragments"
START = re.compile(r"^(?P<indent>\s*)// -- shared: (?P<name>.+?) -+\s*$")


def slug(name: str) -> str:
    """The fragment file stem of a block name (``cut rule`` -> ``cut_rule``)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def fragments() -> dict[str, list[str]]:
    """Every fragment's lines (without indentation), by block name."""
    out = {}
    for path in sorted(FRAGMENT_DIR.glob("*.cypher")):
        lines = path.read_text(encoding="utf-8").splitlines()
        name = START.match(lines[0])
        if name is None:
            raise ValueError(f"{path}: line 1 must be the '// -- shared: NAME' marker")
        out[name["name"]] = lines
    return {name: _nested(lines, out) for name, lines in out.items()}


def _nested(lines: list[str], blocks: dict[str, list[str]]) -> list[str]:
    """A fragment with the fragments it names (one level down) pasted in."""
    inner = render("\n".join(lines[1:-1]), blocks).splitlines()
    return [lines[0], *inner, lines[-1]]


def render(text: str, blocks: dict[str, list[str]]) -> str:
    """``text`` with every shared block replaced by its fragment at the marker's indent."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        found = START.match(lines[i])
        if found is None or found["name"] not in blocks:
            out.append(lines[i])
            i += 1
            continue
        end = next(j for j in range(i, len(lines)) if f"end shared: {found['name']}" in lines[j])
        pad = found["indent"]
        out.extend((pad + line) if line else "" for line in blocks[found["name"]])
        i = end + 1
    return "\n".join(out) + "\n"


def stale() -> list[Path]:
    """Query files whose shared blocks differ from the fragments."""
    blocks = fragments()
    return [
        p
        for p in sorted(CYPHER_DIR.glob("*.cypher"))
        if render(p.read_text(encoding="utf-8"), blocks) != p.read_text(encoding="utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    """Regenerate the query files (or only check them with ``--check``)."""
    parser = argparse.ArgumentParser(description="Copy shared Cypher fragments into query files.")
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    blocks = fragments()
    if args.check:
        old = stale()
        for path in old:
            print(f"{path}: stale shared Cypher block; run python -m chipkg.queries.cyphergen")
        return 1 if old else 0
    for path in sorted(CYPHER_DIR.glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        new = render(text, blocks)
        if new != text:
            path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
