"""The public-record answer key, asked of the reference data on both backends.

Each question of ``tests/answer_key/*.yaml`` is one test on the embedded store (plain
unit test) and one on Neo4j (``neo4j`` marker); see ``answer_key_runner``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipkg.graph import Store
from chipkg.graph.embedded import EmbeddedStore
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from tests.support.answer_key_runner import KNOWN_GAPS, Question, check, load_questions, skip_reason

QUESTIONS = [
    pytest.param(q, id=q.id, marks=pytest.mark.xfail(reason=KNOWN_GAPS[q.id], strict=True))
    if q.id in KNOWN_GAPS
    else pytest.param(q, id=q.id)
    for q in load_questions()
]


def _load(store: Store) -> Store:
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    return store


@pytest.fixture(scope="module")
def embedded_ref(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _load(EmbeddedStore(Path(tmp_path_factory.mktemp("key")) / "key.db"))


@pytest.fixture(scope="module")
def neo4j_ref(neo4j_session_store: Neo4jStore) -> Iterator[Store]:
    neo4j_session_store.clear()
    yield _load(neo4j_session_store)
    neo4j_session_store.clear()


def _ask(question: Question, store: Store) -> None:
    reason = skip_reason(question, store)
    if reason is not None:
        pytest.skip(reason)
    failures = check(question, store)
    assert not failures, f"{question.file}:{question.id}: " + "; ".join(failures)


def test_key_has_questions_with_unique_ids() -> None:
    ids = [q.id for q in load_questions()]
    assert len(ids) == len(set(ids))
    assert set(KNOWN_GAPS) <= set(ids), "a known gap names no question"


@pytest.mark.parametrize("question", QUESTIONS)
def test_answer_key_embedded(question: Question, embedded_ref: Store) -> None:
    _ask(question, embedded_ref)


@pytest.mark.neo4j
@pytest.mark.parametrize("question", QUESTIONS)
def test_answer_key_neo4j(question: Question, neo4j_ref: Store) -> None:
    _ask(question, neo4j_ref)
