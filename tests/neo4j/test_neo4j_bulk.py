"""``chipkg load --neo4j --bulk``: neo4j-admin import into an empty database, all or nothing.

The Neo4j tests run a throwaway managed instance (home under tmp, free ports, the
already-downloaded distribution), because the bulk path stops and restarts its server.
"""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipkg.graph.neo4j_settings import Neo4jSettings, connect
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.graph.server import ManagedNeo4j
from tests.support.neo4j_instance import managed, reconnect, run, stored_password, throwaway_neo4j


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "set"
    result = run("synth", "--links", "300", "--seed", "7", "-o", str(out), "-q", env={})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A managed instance of its own; the env that points ``chipkg`` at it."""
    with throwaway_neo4j(tmp_path_factory.mktemp("bulk-neo4j")) as env:
        yield env


@pytest.fixture
def store(server_env: dict[str, str]) -> Iterator[Neo4jStore]:
    """The throwaway database, emptied (nodes, schema stays) before each test."""
    with managed(server_env) as server:
        server.start()  # a no-op unless an earlier test left it down
        settings = Neo4jSettings(uri=server.bolt_uri, password=server.password())
    opened = Neo4jStore(connect(settings), settings.database, settings.uri)
    opened.clear()
    yield opened
    opened.close()


def snapshot(store: Neo4jStore) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """Counts, then every entity and claim (evidence, provenance, validity) as plain data."""
    entities = sorted((e.model_dump(mode="json") for e in store.entities()), key=lambda e: e["id"])
    claims = sorted((c.model_dump(mode="json") for c in store.claims()), key=lambda c: json_key(c))
    return store.counts().to_json(), entities, claims


def json_key(claim: dict[str, Any]) -> str:
    return f"{claim['predicate']}|{claim['subject']}|{claim['object']}|{sorted(claim.items())}"


def load_args(synth: Path, *extra: str) -> list[str]:
    files = [str(synth / "entities.jsonl"), str(synth / "claims.jsonl")]
    return ["load", *files, "--neo4j", "-q", *extra]


@pytest.mark.neo4j
@pytest.mark.parametrize("held", ["--in-memory", "--stream"])
def test_bulk_load_equals_transactional_load(
    synth_dir: Path, server_env: dict[str, str], store: Neo4jStore, held: str
) -> None:
    """Records held in lists, or parked on disk and merged bucket by bucket: same graph."""
    result = run(*load_args(synth_dir, "--no-bulk"), env=server_env)
    assert result.returncode == 0, result.stderr
    written = snapshot(store)
    assert written[0]["relationships"]["SUPPLIES"] >= 300
    assert any(claim["evidence"] for claim in written[2])
    store.clear()

    bulk_run = run(*load_args(synth_dir, "--bulk", held), env=server_env)
    assert bulk_run.returncode == 0, bulk_run.stderr
    assert "neo4j-admin import took" in bulk_run.stderr
    assert ("merged, checked and wrote" in bulk_run.stderr) == (held == "--stream")
    assert bulk_run.stdout.splitlines()[-1] == result.stdout.splitlines()[-1]
    bulk = reconnect(server_env)
    try:
        assert snapshot(bulk) == written
        constraints = bulk.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")[0]
        assert constraints, "after_import.cypher did not install the schema"
    finally:
        bulk.close()


@pytest.mark.neo4j
def test_bulk_refuses_a_database_with_data(
    synth_dir: Path, server_env: dict[str, str], store: Neo4jStore
) -> None:
    result = run(*load_args(synth_dir, "--no-bulk"), env=server_env)
    assert result.returncode == 0, result.stderr
    before = snapshot(store)
    result = run(*load_args(synth_dir, "--bulk"), env=server_env)
    assert result.returncode == 2
    assert "needs an empty database" in result.stderr
    assert snapshot(store) == before


def broken_copy(synth: Path, out: Path, fault: str) -> Path:
    """The synth set with one bad claim line appended: invalid JSON, or an unknown entity."""
    out.mkdir()
    shutil.copy(synth / "entities.jsonl", out / "entities.jsonl")
    lines = (synth / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    if fault == "dangling":
        claim = json.loads(lines[-1])
        claim["object"] = "company/nowhere-at-all"
        bad = json.dumps(claim)
    else:
        bad = lines[-1][: len(lines[-1]) // 2]
    (out / "claims.jsonl").write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    return out


@pytest.mark.neo4j
@pytest.mark.parametrize("fault", ["dangling", "truncated"])
def test_streamed_bulk_load_of_bad_input_fails_in_one_line_and_changes_nothing(
    synth_dir: Path, server_env: dict[str, str], store: Neo4jStore, tmp_path: Path, fault: str
) -> None:
    bad = broken_copy(synth_dir, tmp_path / "bad", fault)
    before = snapshot(store)
    result = run(*load_args(bad, "--bulk", "--stream"), env=server_env)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    expected = "company/nowhere-at-all" if fault == "dangling" else "claims.jsonl:"
    assert expected in result.stderr
    assert "neo4j-admin" not in result.stderr
    assert snapshot(store) == before


@pytest.mark.neo4j
def test_streamed_bulk_write_checks_endpoints_itself_before_stopping_the_server(
    server_env: dict[str, str], store: Neo4jStore
) -> None:
    """Records that skipped the loader's check still fail the bulk path's own, server untouched."""
    from chipkg.errors import OntologyError
    from chipkg.graph import bulk
    from chipkg.ontology import Entity
    from tests.support.records import make_claim

    ents = [
        Entity(id=i, label=label, name=i)
        for i, label in [("company/a", "Company"), ("source/test-a", "Source")]
    ]
    claims = [make_claim("company/a", "SUPPLIES", "company/missing")]
    with pytest.MonkeyPatch.context() as patch:
        for name, value in server_env.items():
            patch.setenv(name, value)
        target = bulk.BulkTarget(store.database, ManagedNeo4j(), store.uri)
        with pytest.raises(OntologyError, match="unknown entity 'company/missing'"):
            bulk.bulk_write_streamed(store, iter(ents), iter(claims), (2, 1), target)
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}  # still up, empty


@pytest.mark.neo4j
def test_failed_bulk_load_restores_the_database(
    synth_dir: Path, server_env: dict[str, str], store: Neo4jStore, tmp_path: Path
) -> None:
    """The import replaced the files, then the next step failed: the old graph comes back."""
    from chipkg.export.neo4j_csv import write_neo4j_csv
    from chipkg.graph import bulk

    result = run(*load_args(synth_dir, "--no-bulk"), env=server_env)
    assert result.returncode == 0, result.stderr
    before = snapshot(store)
    one = next(iter(store.entities()))
    export = write_neo4j_csv([one], [], tmp_path / "csv")
    store.close()

    def broken(server: ManagedNeo4j, database: str) -> None:
        raise RuntimeError("schema step broke")

    with pytest.MonkeyPatch.context() as patch:
        for name, value in server_env.items():
            patch.setenv(name, value)
        patch.setattr(bulk, "after_import", broken)
        with pytest.raises(Exception, match="left as it was: schema step broke"):
            bulk.replace_database(ManagedNeo4j(), export, "neo4j", lambda _: None)
    again = reconnect(server_env)
    try:
        assert snapshot(again) == before
    finally:
        again.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("held", ["--in-memory", "--stream"])
def test_external_server_gets_the_commands(
    synth_dir: Path, server_env: dict[str, str], store: Neo4jStore, held: str
) -> None:
    """With ``NEO4J_URI`` chipkg cannot stop the server: it keeps the CSV and prints how."""
    env = {**server_env, "NEO4J_URI": store.uri, "NEO4J_PASSWORD": stored_password(server_env)}
    result = run(*load_args(synth_dir, "--bulk", held), env=env)
    assert result.returncode == 1
    assert "is not the managed server" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    first, second = result.stdout.strip().splitlines()[-2:]
    directory = Path(shlex.split(first)[1])
    try:
        assert "database import full neo4j --overwrite-destination=true" in first
        assert (directory / "rels_SUPPLIES.csv").is_file()
        assert second.endswith(str(directory / "after_import.cypher"))
        assert store.counts().to_json() == {"nodes": {}, "relationships": {}}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_bulk_needs_neo4j(synth_dir: Path, tmp_path: Path) -> None:
    files = [str(synth_dir / "entities.jsonl"), str(synth_dir / "claims.jsonl")]
    result = run("load", *files, "--db", str(tmp_path / "db"), "--bulk", env={})
    assert result.returncode == 2
    assert "--bulk applies to Neo4j only" in result.stderr


def test_automatic_bulk_only_for_big_loads_into_an_empty_managed_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--bulk``/``--no-bulk`` decide; unset: managed server, empty, enough claims."""
    from chipkg.graph import bulk

    store: Any = object()  # the rule asks the database only through database_empty
    big, small = bulk.AUTO_BULK_MIN_CLAIMS, bulk.AUTO_BULK_MIN_CLAIMS - 1
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr(bulk, "database_empty", lambda _store: True)
    assert bulk.want_bulk(None, store, big)
    assert not bulk.want_bulk(None, store, small)
    assert not bulk.want_bulk(False, store, big)
    assert bulk.want_bulk(True, store, 1)
    monkeypatch.setattr(bulk, "database_empty", lambda _store: False)
    assert not bulk.want_bulk(None, store, big)
    monkeypatch.setattr(bulk, "database_empty", lambda _store: True)
    monkeypatch.setenv("NEO4J_URI", "bolt://elsewhere:7687")
    assert not bulk.want_bulk(None, store, big)
