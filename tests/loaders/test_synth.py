"""The synthetic generator: deterministic, exact in size, fully sourced, loadable, streamed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipkg.graph import EmbeddedStore, Store
from chipkg.loaders.jsonl import load_jsonl
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import to_line
from chipkg.synth import generate
from chipkg.synth.output import load_into, write_dir


def split(links: int, seed: int = 0) -> tuple[list[Entity], list[Claim]]:
    entities: list[Entity] = []
    claims: list[Claim] = []
    for record in generate(links, seed):
        (entities if isinstance(record, Entity) else claims).append(record)  # type: ignore[arg-type]
    return entities, claims


@pytest.fixture(scope="module")
def graph() -> tuple[list[Entity], list[Claim]]:
    return split(3000, seed=7)


def test_same_seed_same_lines_other_seed_other_graph() -> None:
    first = [to_line(r) for r in generate(800, seed=3)]
    again = [to_line(r) for r in generate(800, seed=3)]
    other = [to_line(r) for r in generate(800, seed=4)]
    assert first == again
    assert first != other


@pytest.mark.parametrize("links", [1, 37, 1000, 4321])
def test_exactly_the_requested_number_of_distinct_links(links: int) -> None:
    _, claims = split(links)
    supplies = [c for c in claims if c.predicate == "SUPPLIES"]
    assert len(supplies) == links
    assert len({c.key for c in supplies}) == links


def test_every_claim_cites_a_generated_source(graph: tuple[list[Entity], list[Claim]]) -> None:
    entities, claims = graph
    source_ids = {e.id for e in entities if e.label == "Source"}
    assert source_ids
    for claim in claims:
        assert claim.evidence, claim.key
        assert set(claim.sources) <= source_ids, claim.key
    kinds = {e.properties.get("kind") for e in entities if e.label == "Source"}
    assert kinds == {"synthetic"}


def test_entities_come_before_claims_and_ids_are_unique() -> None:
    seen_claim = False
    ids: list[str] = []
    for record in generate(500):
        if isinstance(record, Entity):
            assert not seen_claim, f"entity {record.id} after a claim"
            ids.append(record.id)
        else:
            seen_claim = True
    assert len(ids) == len(set(ids))


def test_tiers_roles_and_countries_are_varied(graph: tuple[list[Entity], list[Claim]]) -> None:
    entities, claims = graph
    roles = Counter(e.properties["roles"][0] for e in entities if e.label == "Company")
    assert {"ai_developer", "chip_designer", "foundry", "equipment_maker"} <= set(roles)
    located = Counter(c.object for c in claims if c.predicate == "LOCATED_IN")
    assert len(located) >= 8
    predicates = {c.predicate for c in claims}
    assert {"INPUT_TO", "TYPE_OF", "VARIANT_OF", "MANUFACTURES", "DESIGNS", "USES"} <= predicates


def test_supply_items_are_what_the_supplier_makes(
    graph: tuple[list[Entity], list[Claim]],
) -> None:
    _, claims = graph
    makes = defaultdict(set)
    for claim in claims:
        if claim.predicate in ("MANUFACTURES", "DESIGNS"):
            makes[claim.subject].add(claim.object)
    supplies = [c for c in claims if c.predicate == "SUPPLIES"]
    for claim in supplies:
        assert claim.properties["item"] in makes[claim.subject], claim.key
        assert claim.valid_from is not None
        assert claim.valid_to is None or claim.valid_to > claim.valid_from
    assert any(c.valid_to for c in supplies)


def test_market_shares_are_shares(graph: tuple[list[Entity], list[Claim]]) -> None:
    _, claims = graph
    totals: dict[str, float] = defaultdict(float)
    for claim in claims:
        if claim.predicate == "MANUFACTURES":
            share = claim.properties["market_share"]
            assert 0 < share <= 1
            totals[claim.object] += share
    assert totals and all(total <= 1.0001 for total in totals.values())
    assert any(total > 0 for total in totals.values())


def test_regulations_are_well_formed(graph: tuple[list[Entity], list[Claim]]) -> None:
    entities, claims = graph
    by_id = {e.id: e for e in entities}
    regulations = [e for e in entities if e.label == "Regulation"]
    assert regulations
    issued = defaultdict(list)
    targets = defaultdict(list)
    located = {c.subject: c.object for c in claims if c.predicate == "LOCATED_IN"}
    for claim in claims:
        if claim.predicate == "ISSUED_BY":
            issued[claim.subject].append(claim.object)
        elif claim.predicate == "TARGETS":
            targets[claim.subject].append(claim.object)
    for reg in regulations:
        props = reg.properties
        assert props["kind"] and props["effective_from"]
        assert by_id[props["jurisdiction"]].label == "Country"
        assert isinstance(props["fdpr"], bool)
        assert not props["fdpr"] or props["jurisdiction"] == "country/us"
        assert "effective_to" not in props or props["effective_to"] > props["effective_from"]
        (body,) = issued[reg.id]
        assert by_id[body].label == "GovernmentBody"
        assert located[body] == props["jurisdiction"]
        assert targets[reg.id], f"{reg.id} targets nobody"
    restricted = [c for c in claims if c.predicate == "RESTRICTS"]
    assert restricted and all(by_id[c.object].label == "Product" for c in restricted)


def test_files_load_into_the_embedded_store(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    summary = write_dir(generate(1500, seed=2), out, {"links": 1500, "seed": 2}, lambda n: None)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["relationships"]["SUPPLIES"] == 1500
    resolver = Resolver()
    store = EmbeddedStore(tmp_path / "db")
    for name in ("entities.jsonl", "claims.jsonl"):
        result = load_jsonl(out / name, resolver)
        store.write(result.entities, result.claims)
    counts = store.counts().to_json()
    assert counts["nodes"] == manifest["nodes"]
    assert counts["relationships"] == manifest["relationships"]
    assert summary.claims == manifest["claims"]
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.jsonl",
        "entities.jsonl",
        "manifest.json",
    ]


def test_loading_in_small_batches_equals_loading_files(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "db")
    summary = load_into(store, generate(600, seed=5), batch_size=97, tick=lambda n: None)
    assert summary.report is not None
    assert summary.report.new_claims == summary.claims
    reopened = EmbeddedStore(tmp_path / "db").counts().to_json()
    assert reopened["relationships"] == dict(sorted(summary.relationships.items()))
    assert reopened["nodes"] == dict(sorted(summary.nodes.items()))


STREAM_PROBE = """
import resource, sys
from chipkg.synth import generate
def drain(links):
    n = 0
    for _ in generate(links, seed=1):
        n += 1
    return n
drain(1000)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = drain(50_000)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, (after - before) * 1024)
"""


def test_generator_streams_with_bounded_memory() -> None:
    assert isinstance(generate(10), Iterator)
    probe = subprocess.run(
        [sys.executable, "-c", STREAM_PROBE], capture_output=True, text=True, timeout=300
    )
    assert probe.returncode == 0, probe.stderr
    count, grown = (int(x) for x in probe.stdout.split())
    assert count > 50_000
    # Holding 50k links' records would take well over 100 MB; streaming adds a few MB.
    assert grown < 24 * 1024 * 1024, f"peak grew by {grown / 1e6:.1f} MB"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "1"}
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_cli_writes_files_and_loads_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = run_cli("synth", "--links", "700", "--seed", "9", "-o", str(out), "--quiet", "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["relationships"]["SUPPLIES"] == 700
    db = tmp_path / "db"
    loaded = run_cli(
        "load", str(out / "entities.jsonl"), str(out / "claims.jsonl"), "--db", str(db)
    )
    assert loaded.returncode == 0, loaded.stderr
    stats = json.loads(run_cli("stats", "--db", str(db), "--json").stdout)
    assert stats["relationships"]["SUPPLIES"] == 700


def test_cli_loads_straight_into_a_db(tmp_path: Path) -> None:
    db = tmp_path / "db"
    made = run_cli("synth", "--links", "300", "--db", str(db), "--quiet")
    assert made.returncode == 0, made.stderr
    assert EmbeddedStore(db).counts().relationships["SUPPLIES"] == 300


def test_cli_needs_exactly_one_destination(tmp_path: Path) -> None:
    none = run_cli("synth", "--links", "10")
    assert none.returncode == 2
    assert "exactly one of -o DIR, --db PATH or --neo4j" in none.stderr
    both = run_cli("synth", "--links", "10", "-o", str(tmp_path / "o"), "--db", str(tmp_path / "d"))
    assert both.returncode == 2
    bad = run_cli("synth", "--links", "0", "-o", str(tmp_path / "o"))
    assert bad.returncode == 2 and "--links must be between" in bad.stderr


def test_generated_records_equal_their_validated_round_trip() -> None:
    """The generator builds claims without pydantic validation; they must be identical."""
    import json as _json

    from chipkg.ontology.serialize import from_obj

    count = 0
    for record in generate(2000, seed=11):
        again = from_obj(_json.loads(to_line(record)))
        assert again == record, to_line(record)
        assert to_line(again) == to_line(record)
        count += 1
    assert count > 2000


@pytest.mark.neo4j
def test_loads_into_neo4j_like_into_the_embedded_store(neo4j_store: Store, tmp_path: Path) -> None:
    summary = load_into(neo4j_store, generate(400, seed=3), batch_size=150, tick=lambda n: None)
    embedded = EmbeddedStore(tmp_path / "db")
    load_into(embedded, generate(400, seed=3), batch_size=10_000, tick=lambda n: None)
    assert neo4j_store.counts().to_json() == embedded.counts().to_json()
    assert neo4j_store.counts().relationships["SUPPLIES"] == 400
    assert summary.report is not None and summary.report.new_claims == summary.claims
    buyer = "company/synth-0000003"
    assert list(neo4j_store.claims(object=buyer)) == list(embedded.claims(object=buyer))
