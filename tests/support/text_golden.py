"""The text extractor's output on every annotated text and the bundled corpus, as a snapshot.

Speed work on the extractor must not change what it finds. ``tests/data/extract_golden.jsonl``
holds the output of the extractor before that work (the lines ``chipkg extract`` prints,
each tagged with the file and the pass); ``tests/text/test_text_golden.py`` compares the current
output with it line by line.

Two passes: every file with a fresh resolver (as ``chipkg extract FILE`` does), then all
files in order through one shared resolver (as ``chipkg load`` of a folder does, where
entities made by one text are known to the next).

Regenerate (only when a change of output is intended, and say so in the commit):
``.venv/bin/python -m tests.support.text_golden``
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chipkg.cli.extract_cmd import claim_lines, entity_line
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.extractor import Extraction
from chipkg.loaders.text.loader import extract_path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "extract_golden.jsonl"
SUFFIXES = (".txt", ".md", ".html")


def inputs() -> list[tuple[Path, str]]:
    """(file, language) for every annotated text (dev and eval) and the bundled corpus."""
    found = [
        (path, path.parent.name)
        for path in sorted((ROOT / "tests" / "data" / "texts").glob("*/*"))
        if path.suffix in SUFFIXES
    ]
    found += [
        (path, path.stem.rsplit("-", 1)[-1])
        for path in sorted((ROOT / "chipkg" / "data" / "corpus").glob("*.txt"))
    ]
    return found


def _lines(found: Extraction, tag: dict[str, str]) -> Iterator[dict[str, Any]]:
    for entity in found.entities:
        yield {**tag, **entity_line(entity)}
    for claim in found.claims:
        for line in claim_lines(claim):
            yield {**tag, **line}


def snapshot() -> list[str]:
    """The JSON lines of both passes, in a fixed order."""
    out: list[str] = []
    shared = Resolver()
    for pass_name in ("fresh", "shared"):
        for path, lang in inputs():
            resolver = Resolver() if pass_name == "fresh" else shared
            found = extract_path(path, resolver, lang)
            tag = {"file": path.relative_to(ROOT).as_posix(), "pass": pass_name}
            out += [
                json.dumps(line, ensure_ascii=False, sort_keys=True) for line in _lines(found, tag)
            ]
    return out


def main() -> None:
    """Write the snapshot file."""
    lines = snapshot()
    GOLDEN.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{GOLDEN.relative_to(ROOT)}: {len(lines)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
