"""Hypothesis fuzz of every loader format: hostile input fails with one error, or loads whole.

Two kinds of checks. JSON lines are generated from scratch, so the exact graph is
known: every entity, every claim and every piece of evidence must be in the store.
The other formats start from the repository's sample files and are mutated (bytes
cut, inserted, lines repeated): a load either raises a ``ChipkgError`` (one line,
exit 1/2) or succeeds, and then everything it produced reaches the store, every
piece of evidence included. Any other exception is a bug.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipkg.errors import ChipkgError
from chipkg.graph import EmbeddedStore
from chipkg.graph.store import merge_batch
from chipkg.loaders.base import LoadResult, load_path
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from tests.support.paths import DATA

# Few examples per run (hypothesis keeps failing ones in its database and replays them).
FUZZ = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# -- JSON lines, generated -------------------------------------------------------------

NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12
).filter(str.strip)
CLAIM = st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 40))


@FUZZ
@given(names=st.lists(NAMES, min_size=6, max_size=6), claims=st.lists(CLAIM, max_size=30))
def test_jsonl_every_record_and_piece_of_evidence_arrives(
    names: list[str], claims: list[tuple[int, int, int]]
) -> None:
    lines = [{"kind": "entity", "id": "source/s", "label": "Source", "name": "S"}]
    lines += [
        {"kind": "entity", "id": f"company/c{i}", "label": "Company", "name": name}
        for i, name in enumerate(names)
    ]
    lines += [
        {
            "kind": "claim",
            "subject": f"company/c{s}",
            "predicate": "SUPPLIES",
            "object": f"company/c{o}",
            "evidence": [{"source": "source/s", "row": row}],
        }
        for s, o, row in claims
    ]
    expected: dict[tuple[str, str], set[int]] = {}
    for s, o, row in claims:
        expected.setdefault((f"company/c{s}", f"company/c{o}"), set()).add(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
        result = load_path(path, Resolver(), "jsonl")
        store = EmbeddedStore(Path(tmp) / "db")
        store.write(result.entities, result.claims)
        reopened = EmbeddedStore(Path(tmp) / "db")
        assert {e.id: e.name for e in reopened.entities("Company")} == {
            f"company/c{i}": name for i, name in enumerate(names)
        }
        got = {(c.subject, c.object): {ev.row for ev in c.evidence} for c in reopened.claims()}
        assert got == expected


# -- the other formats, mutated -----------------------------------------------------------

SAMPLES = {
    "csl": DATA / "csl" / "consolidated.csv",
    "csl-json": DATA / "csl" / "consolidated.json",
    "ftm": DATA / "ftm" / "entities.ftm.json",
    "eto": DATA / "eto" / "sample",
    "text": DATA / "texts" / "en" / "dev-nvidia-china.txt",
}
FORMAT = {"csl-json": "csl"}
MUTATION = st.tuples(
    st.sampled_from(["cut", "insert", "repeat-line"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=8)
    | st.sampled_from([b'"', b",", b"\n", b"{", b"]", b"\xff", b";", b"\r\n"]),
)


def mutate(data: bytes, mutations: list[tuple[str, float, float, bytes]]) -> bytes:
    for kind, a, b, extra in mutations:
        i, j = sorted((int(a * len(data)), int(b * len(data))))
        if kind == "cut":
            data = data[:i] + data[j:]
        elif kind == "insert":
            data = data[:i] + extra + data[i:]
        else:
            lines = data.splitlines(keepends=True)
            if lines:
                k = int(a * (len(lines) - 1))
                lines.insert(k, lines[k])
            data = b"".join(lines)
    return data


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the curated reference data, which the datasets' claims point at."""
    db = tmp_path_factory.mktemp("reference") / "db"
    reference = load_reference()
    EmbeddedStore(db).write(reference.entities, reference.claims)
    return db


def mutated_copy(
    sample: Path, target: Path, mutations: list[tuple[str, float, float, bytes]]
) -> Path:
    if sample.is_dir():
        shutil.copytree(sample, target)
        files = sorted(target.iterdir())
        victim = files[int(mutations[0][1] * (len(files) - 1))] if mutations else files[0]
        victim.write_bytes(mutate(victim.read_bytes(), mutations))
        return target
    target = target.with_name(target.name + "".join(sample.suffixes))
    target.write_bytes(mutate(sample.read_bytes(), mutations))
    return target


def assert_everything_arrives(result: LoadResult, db: Path) -> None:
    """All the load's entities and every piece of evidence of its claims are in the store."""
    store = EmbeddedStore(db)
    store.write(result.entities, result.claims)
    stored = EmbeddedStore(db)
    entities, claims = merge_batch(result.entities, result.claims)
    for entity in entities:
        assert stored.get(entity.id) is not None, entity.id
    held = {c.key: {ev.key for ev in c.evidence} for c in stored.claims()}
    for claim in claims:
        assert claim.evidence, claim.key
        assert {ev.key for ev in claim.evidence} <= held[claim.key], claim.key


@pytest.mark.parametrize("name", sorted(SAMPLES))
@FUZZ
@given(mutations=st.lists(MUTATION, max_size=3), skip_invalid=st.booleans())
def test_mutated_input_fails_cleanly_or_loads_whole(
    name: str,
    mutations: list[tuple[str, float, float, bytes]],
    skip_invalid: bool,
    reference_db: Path,
) -> None:
    sample = SAMPLES[name]
    with tempfile.TemporaryDirectory() as tmp:
        path = mutated_copy(sample, Path(tmp) / "input", mutations)
        db = Path(tmp) / "db"
        shutil.copytree(reference_db, db)
        resolver = Resolver.of(EmbeddedStore(db).entities())
        try:
            result = load_path(path, resolver, FORMAT.get(name, name), skip_invalid=skip_invalid)
            assert_everything_arrives(result, db)
        except ChipkgError as exc:
            message = str(exc)
            assert message and "\n" not in message.strip(), message
