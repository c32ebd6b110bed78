"""Text extraction throughput on one core: ``python -m bench.bench_extract [--mb 2] [--json]``.

The corpus is chipkg's own annotated test texts and demo corpus (it, en, de, fr), repeated
until each language has ``--mb`` megabytes; ``--extra DIR`` adds other articles (rows
``extra-<lang>``). Two ways of feeding it are timed:

* ``documents``: every text extracted on its own, as ``chipkg load`` does for a folder of
  articles (includes the per-document set-up);
* ``one file``: each language's texts joined into one large document.

Times are CPU seconds of this process (``time.process_time``), so other load on the
machine does not count. The goal is at least 1 MB/s (1024 KB/s).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import parse_document
from chipkg.loaders.text.extractor import RuleExtractor
from chipkg.loaders.text.language import detect_language

ROOT = Path(__file__).resolve().parent.parent
GOAL_KB_S = 1024.0


def corpus() -> dict[str, list[tuple[str, str]]]:
    """(name, text) pairs per language from the test texts and the demo corpus."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted((ROOT / "tests" / "data" / "texts").glob("*/*.txt")):
        out[path.parent.name].append((path.name, path.read_text("utf-8")))
    for path in sorted((ROOT / "chipkg" / "data" / "corpus").glob("*.txt")):
        lang = path.stem.rsplit("-", 1)[-1]
        if lang in ("it", "en", "de", "fr"):
            out[lang].append((path.name, path.read_text("utf-8")))
    return dict(out)


def _kb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1024


def extra_corpus(dirs: list[Path]) -> dict[str, list[tuple[str, str]]]:
    """Texts from other folders (``--extra``), grouped by detected language."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for folder in dirs:
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".md", ".html"):
                text = path.read_text("utf-8")
                out[f"extra-{detect_language(text)}"].append((path.name, text))
    return dict(out)


def run(mb: float, extra: list[Path] | None = None) -> dict[str, Any]:
    """Time both modes per language; return a flat result dict."""
    extractor = RuleExtractor()
    resolver = Resolver()
    texts = {**corpus(), **extra_corpus(extra or [])}
    start = time.process_time()
    for lang, items in texts.items():  # warm-up: compile patterns, read reference data
        extractor.extract(parse_document(items[0][1], "warm.txt"), resolver, lang[-2:])
    result: dict[str, Any] = {"startup_s": round(time.process_time() - start, 2)}
    totals = {"documents": [0.0, 0.0, 0], "one file": [0.0, 0.0, 0]}
    for lang, items in sorted(texts.items()):
        repeat = max(1, int(mb * 1024 / _kb([t for _, t in items])))
        docs = [(f"{i}-{name}", text) for i in range(repeat) for name, text in items]
        t0 = time.process_time()
        claims = sum(
            len(extractor.extract(parse_document(text, name), resolver, lang[-2:]).claims)
            for name, text in docs
        )
        _add(result, totals, "documents", lang, _kb([t for _, t in docs]), t0, claims)
        big = "\n\n".join(t for _, t in docs)
        t0 = time.process_time()
        claims = len(extractor.extract(parse_document(big, "big.txt"), resolver, lang[-2:]).claims)
        _add(result, totals, "one file", lang, _kb([big]), t0, claims)
    for mode, (kb, seconds, _claims) in totals.items():
        result[f"{mode} all kb_per_s"] = round(kb / seconds) if seconds else 0
    result["goal kb_per_s"] = GOAL_KB_S
    return result


def _add(result: dict[str, Any], totals: dict[str, list[Any]], mode: str, lang: str,
         kb: float, t0: float, claims: int) -> None:  # fmt: skip
    seconds = time.process_time() - t0
    result[f"{mode} {lang} kb"] = round(kb)
    result[f"{mode} {lang} s"] = round(seconds, 2)
    result[f"{mode} {lang} kb_per_s"] = round(kb / seconds) if seconds else 0
    result[f"{mode} {lang} claims"] = claims
    totals[mode][0] += kb
    totals[mode][1] += seconds
    totals[mode][2] += claims


def table(result: dict[str, Any]) -> Table:
    """The result as a rich table: one row per mode and language."""
    out = Table(title=f"Text extraction, one core (goal {GOAL_KB_S:.0f} KB/s)")
    for column in ("mode", "language", "KB", "CPU s", "KB/s", "claims"):
        out.add_column(column, justify="left" if column in ("mode", "language") else "right")
    for key in sorted(k for k in result if k.endswith(" kb")):
        mode, lang = key.rsplit(" ", 2)[:2]
        prefix = f"{mode} {lang}"
        out.add_row(
            mode, lang, str(result[key]), str(result[f"{prefix} s"]),
            str(result[f"{prefix} kb_per_s"]), str(result[f"{prefix} claims"]),
        )  # fmt: skip
    for mode in ("documents", "one file"):
        out.add_row(mode, "all", "", "", str(result[f"{mode} all kb_per_s"]), "")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes per language and mode")
    parser.add_argument("--json", action="store_true", help="also print the result as JSON")
    parser.add_argument(
        "--extra", type=Path, action="append", default=[],
        help="also time the texts of this folder (rows 'extra-<lang>'); repeatable",
    )  # fmt: skip
    args = parser.parse_args(argv)
    result = run(args.mb, args.extra)
    Console().print(table(result))
    print(f"start-up (pattern compilation, reference data): {result['startup_s']} s")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
