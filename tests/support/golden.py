"""Golden answers: every canned query on the reference graph, as ``chipkg ask --json`` prints it.

``tests/golden/cases.yaml`` lists the cases (id, query, args, options); each case's answer
is stored in ``tests/golden/<query>/<id>.json``. A change to query semantics is made once:
change the rule, run ``python -m tests.support.golden --write`` (or ``make golden``), review
the diff of ``tests/golden/`` and commit it with the change. ``--check`` lists stale,
missing and orphaned files and exits 1 when there are any.

Only the public query API (:func:`chipkg.queries.run`) is used, so the answers do not
depend on how the query modules are laid out.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chipkg import queries
from chipkg.errors import ChipkgError, InputError
from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from tests.support.answer_key_runner import option_key, option_value
from tests.support.paths import TESTS

GOLDEN = TESTS / "golden"
CASES = GOLDEN / "cases.yaml"
REGENERATE = "python -m tests.support.golden --write  (or: make golden)"


@dataclass(frozen=True)
class Case:
    """One query with its arguments and options, answered on the reference graph."""

    id: str
    query: str
    args: list[str]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return GOLDEN / self.query / f"{self.id}.json"

    def key(self) -> tuple[str, str, str]:
        """What the case asks, independent of its id (to match answer-key questions)."""
        return self.query, json.dumps(self.args), json.dumps(self.options, sort_keys=True)


def cli_args(case: Case) -> list[str]:
    """The case as ``chipkg ask`` arguments (without ``--json`` and the store)."""
    flags = [case.query, *case.args]
    for name, value in case.options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif value is not False and value is not None:
            flags += [flag, str(value)]
    return flags


def load_cases(path: Path = CASES) -> list[Case]:
    """The cases of ``cases.yaml``, in file order."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    cases = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not {"id", "query"} <= set(row):
            raise InputError(f"case {n} needs at least an id and a query", str(path))
        options = row.get("options") or {}
        cases.append(
            Case(
                id=str(row["id"]),
                query=str(row["query"]),
                args=[str(a) for a in row.get("args") or []],
                options={option_key(k): option_value(v) for k, v in options.items()},
            )
        )
    return cases


def load_into(store: Store) -> Store:
    """The curated reference graph written into ``store``."""
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    return store


@contextmanager
def reference_store() -> Iterator[Store]:
    """An embedded store holding the reference graph, in a folder removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db")
        try:
            yield load_into(store)
        finally:
            store.close()


def answer_text(store: Store, case: Case) -> str:
    """The case's answer serialised like ``chipkg ask ... --json`` (plus a final newline)."""
    try:
        answer = queries.run(store, case.query, *case.args, **case.options)
    except (ChipkgError, TypeError) as exc:  # unknown query, entity or option in cases.yaml
        raise InputError(f"case {case.id}: {exc}", str(CASES)) from exc
    return json.dumps(answer.to_json(), indent=2, ensure_ascii=False) + "\n"


def stored_text(case: Case) -> str | None:
    """The case's golden file, or None when it does not exist yet."""
    return case.path.read_text(encoding="utf-8") if case.path.exists() else None


def orphans(cases: list[Case]) -> list[Path]:
    """Golden JSON files that belong to no case."""
    wanted = {c.path for c in cases}
    return sorted(p for p in GOLDEN.glob("*/*.json") if p not in wanted)


# -- diff ---------------------------------------------------------------------------------

MAX_DIFF_LINES = 40


def _short(value: Any, width: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def _entry(value: Any) -> str:
    """A list entry by what names it: its entity references, then its short scalar fields."""
    if not isinstance(value, dict):
        return _short(value)
    refs = [f"{k}={v['id']}" for k, v in value.items() if isinstance(v, dict) and "id" in v]
    scalars = [
        f"{k}={_short(v)}"
        for k, v in value.items()
        if isinstance(v, str | int | float | bool) and len(_short(v)) <= 40
    ]
    text = "{" + ", ".join([*refs, *scalars]) + ", ...}"
    return text if len(text) <= 160 else text[:157] + "..."


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _diff_lists(path: str, want: list[Any], got: list[Any]) -> list[str]:
    if len(want) == len(got):
        paired = [(i, w, g) for i, (w, g) in enumerate(zip(want, got, strict=True)) if w != g]
        if all(_canon(w) != _canon(g) for _, w, g in paired):
            moved = sorted(map(_canon, want)) == sorted(map(_canon, got))
            if moved:
                return [f"{path}: same entries in another order"]
        if len(paired) <= 3:
            return [line for i, w, g in paired for line in json_diff(w, g, f"{path}[{i}]")]
    want_keys, got_keys = [_canon(w) for w in want], [_canon(g) for g in got]
    gone = [w for w, k in zip(want, want_keys, strict=True) if k not in got_keys]
    new = [g for g, k in zip(got, got_keys, strict=True) if k not in want_keys]
    if len(gone) == 1 and len(new) == 1:
        return json_diff(gone[0], new[0], f"{path}[~]")
    lines = [f"{path}: {len(want)} entries expected, {len(got)} found"]
    lines += [f"  - {_entry(w)}" for w in gone]
    lines += [f"  + {_entry(g)}" for g in new]
    return lines


def json_diff(want: Any, got: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ, one line a difference (keys, list entries, values)."""
    if isinstance(want, dict) and isinstance(got, dict):
        lines = [f"{path}.{k}: missing (expected {_short(want[k])})" for k in want if k not in got]
        lines += [f"{path}.{k}: unexpected {_short(got[k])}" for k in got if k not in want]
        for k in want:
            if k in got and want[k] != got[k]:
                lines += json_diff(want[k], got[k], f"{path}.{k}")
        return lines
    if isinstance(want, list) and isinstance(got, list):
        return _diff_lists(path, want, got)
    if want != got:
        return [f"{path}: expected {_short(want)}, found {_short(got)}"]
    return []


def mismatch_report(case: Case, expected: str | None, actual: str) -> str:
    """Why the answer does not match its golden file, compactly, and how to regenerate."""
    where = case.path.relative_to(TESTS.parent)
    if expected is None:
        return f"{case.id}: no golden file {where}; run {REGENERATE}"
    lines = json_diff(json.loads(expected), json.loads(actual))
    if not lines:
        lines = ["same JSON value, different text (indentation or key order)"]
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... and {len(lines) - MAX_DIFF_LINES} more lines"]
    body = "\n  ".join(lines)
    return (
        f"{case.id} ({case.query} {' '.join(case.args)} {case.options}) differs from {where}:\n"
        f"  {body}\nIf the change is intended: {REGENERATE}, then review `git diff tests/golden`."
    )


# -- command ------------------------------------------------------------------------------


def write(cases: list[Case], store: Store) -> tuple[int, int]:
    """Write every case's answer; remove orphans. (files changed, orphans removed)."""
    changed = 0
    for case in cases:
        text = answer_text(store, case)
        if stored_text(case) != text:
            case.path.parent.mkdir(parents=True, exist_ok=True)
            case.path.write_text(text, encoding="utf-8")
            changed += 1
    stale = orphans(cases)
    for path in stale:
        path.unlink()
    return changed, len(stale)


def check(cases: list[Case], store: Store) -> list[str]:
    """One line a stale, missing or orphaned golden file (empty: all current)."""
    problems = []
    for case in cases:
        expected = stored_text(case)
        if expected is None:
            problems.append(f"missing: {case.path.relative_to(TESTS.parent)}")
        elif expected != answer_text(store, case):
            problems.append(f"stale: {case.path.relative_to(TESTS.parent)}")
    problems += [f"orphan: {p.relative_to(TESTS.parent)}" for p in orphans(cases)]
    return problems


def duplicate_ids(cases: list[Case]) -> list[str]:
    """Case ids used more than once (each id names one file)."""
    counts = Counter(c.id for c in cases)
    return sorted(i for i, n in counts.items() if n > 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.golden",
        description=__doc__.splitlines()[0] if __doc__ else "",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate every golden file")
    mode.add_argument("--check", action="store_true", help="list stale files; exit 1 if any")
    ns = parser.parse_args(argv)
    try:
        return _run(ns.write)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(write_files: bool) -> int:
    """Write or check every file; the exit status."""
    cases = load_cases()
    if dupes := duplicate_ids(cases):
        print(f"{CASES}: duplicate case ids: {', '.join(dupes)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with reference_store() as store:
        if write_files:
            changed, removed = write(cases, store)
            took = time.perf_counter() - started
            print(f"{len(cases)} cases: {changed} files written, {removed} orphans removed "
                  f"({took:.1f} s)")  # fmt: skip
            return 0
        problems = check(cases, store)
    for line in problems:
        print(line)
    took = time.perf_counter() - started
    print(f"{len(cases)} cases: {len(problems)} stale, missing or orphaned ({took:.1f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
