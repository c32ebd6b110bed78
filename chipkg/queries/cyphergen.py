"""Shared Cypher blocks written once and copied into every runnable query file.

Each ``.cypher`` file stays runnable as-is in Neo4j Browser, so the blocks the
queries share (regulations in force, the cut rule, supply links...) are pasted
into them between ``// -- shared: NAME`` and ``// -- end shared: NAME`` markers.
The text of each block lives once in ``cypher/fragments/<slug>.cypher``;
``python -m chipkg.queries.cyphergen`` rewrites the copies (re-indented to their
marker) and ``--check`` fails when a file is stale, like the ontology's generated files.

A block may take arguments, so that one text serves a query and its mirror (upstream and
downstream): the marker ``// -- shared: witness tree (far: s, near: c) ---`` pastes the
fragment ``witness tree`` with every ``{{far}}`` replaced by ``s`` and ``{{near}}`` by ``c``.

It also writes the Browser forms ``cypher/browser/<query>.<form>.cypher``: the canned query,
unchanged, inside ``CALL () { ... }``, followed by the form's tail from
``cypher/browser/tails/`` that turns the JSON answer into table rows or drawable paths. So a
form can never disagree with its query, and a change to a fragment reaches every form.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
FRAGMENT_DIR = CYPHER_DIR / "fragments"
BROWSER_DIR = CYPHER_DIR / "browser"
TAIL_DIR = BROWSER_DIR / "tails"
START = re.compile(r"^(?P<indent>\s*)// -- shared: (?P<name>.+?) -+\s*$")
CALL_NAME = re.compile(r"(?P<base>[^(]+?)(?: \((?P<args>[^)]*)\))?")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


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
        call = CALL_NAME.fullmatch(found["name"]) if found else None
        if found is None or call is None or call["base"] not in blocks:
            out.append(lines[i])
            i += 1
            continue
        end = next(j for j in range(i, len(lines)) if f"end shared: {found['name']}" in lines[j])
        pad = found["indent"]
        block = blocks[call["base"]]
        inner = _filled(block[1:-1], call["base"], _arguments(call["args"]))
        # a call with arguments keeps its own markers (they name the arguments)
        own = call["args"] is not None
        first, last = (lines[i], lines[end]) if own else (block[0], block[-1])
        first, last = first.strip(), last.strip()
        out.extend((pad + line) if line else "" for line in [first, *inner, last])
        i = end + 1
    return "\n".join(out) + "\n"


def _arguments(text: str | None) -> dict[str, str]:
    """``far: s, near: c`` as a mapping; no arguments when the marker names none."""
    pairs = [part.split(":", 1) for part in (text or "").split(",") if part.strip()]
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"shared block arguments must read 'name: value, ...', not {text!r}")
    return {key.strip(): value.strip() for key, value in pairs}


def _filled(lines: list[str], name: str, args: dict[str, str]) -> list[str]:
    """A fragment's lines with its ``{{placeholders}}`` replaced; a missing argument is an error."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in args:
            raise ValueError(f"shared block {name!r} needs the argument {match[1]!r}")
        return args[match[1]]

    return [PLACEHOLDER.sub(value, line) for line in lines]


def header(text: str) -> tuple[list[str], list[str], list[str]]:
    """A Cypher file's leading comment block, its ``// :param`` lines, and the body after."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
    params = [line for line in lines[:first] if line.startswith("// :param ")]
    body = lines[first:]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return lines[:first], params, body


def browser_form(query: str, form: str, blocks: dict[str, list[str]], tail: str) -> str:
    """The Browser form: the tail's comment, the query's params, the query in ``CALL () {}``,
    then the tail's Cypher."""
    params, body = header(render((CYPHER_DIR / f"{query}.cypher").read_text("utf-8"), blocks))[1:]
    about, _, after = header(render(tail, blocks))
    notice = [
        f"// Generated by python -m chipkg.queries.cyphergen from ../{query}.cypher and",
        f"// tails/{query}.{form}.cypher: edit those, never this file. Needs APOC Core.",
    ]
    inner = ["  " + line if line.strip() else "" for line in body]
    return "\n".join([*about, *notice, *params, "", "CALL () {", *inner, "}", *after]) + "\n"


def browser_forms() -> dict[Path, str]:
    """Every Browser form's path and expected text, from its query and tail."""
    blocks = fragments()
    out = {}
    for tail in sorted(TAIL_DIR.glob("*.cypher")):
        query, form = tail.stem.split(".", 1)
        text = tail.read_text(encoding="utf-8")
        out[BROWSER_DIR / f"{query}.{form}.cypher"] = browser_form(query, form, blocks, text)
    return out


def stale() -> list[Path]:
    """Query files whose shared blocks differ from the fragments, and stale Browser forms."""
    blocks = fragments()
    old = [
        p
        for p in sorted(CYPHER_DIR.glob("*.cypher"))
        if render(p.read_text(encoding="utf-8"), blocks) != p.read_text(encoding="utf-8")
    ]
    for path, text in browser_forms().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            old.append(path)
    return old


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
    for path, text in browser_forms().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
