"""The streamed bulk CSV (bucket by bucket) holds the rows of the in-memory one, or fails alike."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from chipkg.errors import OntologyError
from chipkg.export.neo4j_csv import write_neo4j_csv
from chipkg.graph import bulk_stream
from chipkg.graph.bulk_stream import stream_neo4j_csv
from chipkg.graph.store import WriteReport, check_endpoints, merge_batch
from chipkg.loaders.jsonl import load_jsonl
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity
from chipkg.synth import generate
from chipkg.synth.output import write_dir
from tests.support.records import make_claim


@pytest.fixture(autouse=True)
def small_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many buckets, each flushed several times, so a test input crosses every boundary."""
    monkeypatch.setattr(bulk_stream, "BUCKET_RECORDS", 40)
    monkeypatch.setattr(bulk_stream, "BUFFERED", 50)
    monkeypatch.setattr(bulk_stream, "LOOKUP", 7)


def with_repeats(out: Path, links: int = 300) -> Path:
    """A synth directory whose entities and claims repeat with other names and evidence."""
    write_dir(generate(links, seed=5), out, {"links": links, "seed": 5}, lambda n: None)
    ents_path, claims_path = out / "entities.jsonl", out / "claims.jsonl"
    ents = [json.loads(line) for line in ents_path.read_text(encoding="utf-8").splitlines()]
    companies = [e for e in ents if e["label"] == "Company"][:5]
    again = [{**e, "name": f"{e['name']} Holdings", "aliases": ["Again Ltd"]} for e in companies]
    lines = claims_path.read_text(encoding="utf-8").splitlines()
    repeats = []
    for line in lines[:: max(1, len(lines) // 25)]:
        claim = json.loads(line)
        for ev in claim["evidence"]:
            ev["quote"] = f"said again: {ev.get('quote') or ''}"
            ev["confidence"] = 0.5
        repeats += [json.dumps(claim), line]  # new evidence, and the very same line
    ents_path.write_text("\n".join(map(json.dumps, ents + again)) + "\n", encoding="utf-8")
    claims_path.write_text("\n".join(lines + repeats) + "\n", encoding="utf-8")
    return out


def csv_content(directory: Path) -> dict[str, object]:
    """Each file: CSV header and sorted rows; helper scripts as text."""
    content: dict[str, object] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                header, *rows = list(csv.reader(handle))
            content[path.name] = (header, sorted(rows))
        else:
            content[path.name] = path.read_text(encoding="utf-8")
    return content


def in_memory(
    entities: list[Entity], claims: list[Claim], out: Path
) -> tuple[dict[str, object], WriteReport]:
    """What ``bulk_write`` writes for the same records: ``merge_batch``, check, CSV."""
    ents, clms = merge_batch(entities, claims)
    check_endpoints(clms, {e.id: e.label for e in ents}, lambda _ids: {})
    write_neo4j_csv(ents, clms, out)
    return csv_content(out), WriteReport(len(entities), len(claims), len(ents), len(clms))


def streamed(
    entities: list[Entity], claims: list[Claim], out: Path
) -> tuple[dict[str, object], WriteReport]:
    counts = (len(entities), len(claims))
    _, report = stream_neo4j_csv(iter(entities), iter(claims), counts, out)
    assert not (out / ".buckets").exists()
    return csv_content(out), report


def test_a_streamed_load_gives_the_csv_of_the_in_memory_one(tmp_path: Path) -> None:
    data = with_repeats(tmp_path / "synth")
    held = load_jsonl(data, Resolver())
    expected, expected_report = in_memory(held.entities, held.claims, tmp_path / "held")
    parked = load_jsonl(data, Resolver(), streamed=True)
    try:
        counts = (parked.entity_count, parked.claim_count)
        export, report = stream_neo4j_csv(
            parked.all_entities(), parked.all_claims(), counts, tmp_path / "parked"
        )
    finally:
        parked.close()
    assert csv_content(tmp_path / "parked") == expected
    # the streamed loader parks one record per entity id, the in-memory one every line
    assert report == WriteReport(
        counts[0], expected_report.claims, expected_report.new_entities, expected_report.new_claims
    )
    assert report.new_claims < report.claims  # repeated facts merged across buckets
    assert export.relationships["SUPPLIES"] == len(expected["rels_SUPPLIES.csv"][1])  # type: ignore[index]


def test_duplicates_in_different_buckets_of_input_merge_as_in_one_batch(tmp_path: Path) -> None:
    """Same records to both writers: evidence of a repeated fact united, names become aliases."""
    ents = [
        Entity(id="company/a", label="Company", name="A Corp"),
        Entity(id="company/b", label="Company", name="B Corp"),
        Entity(id="source/s1", label="Source", name="S1"),
        Entity(id="source/s2", label="Source", name="S2"),
        *[Entity(id=f"company/c{i}", label="Company", name=f"C{i}") for i in range(120)],
        Entity(id="company/a", label="Company", name="A Corporation", aliases=["AC"]),
    ]
    claims = [make_claim("company/a", "SUPPLIES", f"company/c{i}", "source/s1") for i in range(120)]
    claims += [make_claim("company/a", "SUPPLIES", "company/c7", "source/s2", quote="again")]
    claims += [make_claim("company/b", "SUPPLIES", "company/c7", "source/s2", confidence=0.25)]
    expected, expected_report = in_memory(ents, claims, tmp_path / "held")
    got, report = streamed(ents, claims, tmp_path / "parked")
    assert got == expected
    assert report == expected_report == WriteReport(125, 122, 124, 121)
    header, rows = got["rels_SUPPLIES.csv"]  # type: ignore[misc]
    merged = next(r for r in rows if r[1] == "company/c7" and r[0] == "company/a")
    sources = merged[header.index("sources:string[]")]
    assert sources.split("\x1f") == ["source/s1", "source/s2"]


def endpoint_cases() -> list[tuple[list[Entity], list[Claim]]]:
    ents = [
        Entity(id="company/a", label="Company", name="A"),
        Entity(id="source/s1", label="Source", name="S1"),
        *[Entity(id=f"company/c{i}", label="Company", name=f"C{i}") for i in range(60)],
    ]
    good = [make_claim("company/a", "SUPPLIES", f"company/c{i}", "source/s1") for i in range(60)]
    return [
        (ents, [*good, make_claim("company/a", "SUPPLIES", "company/nowhere", "source/s1")]),
        (ents, [*good, make_claim("company/a", "SUPPLIES", "company/c1", "source/unknown")]),
        (ents, [*good, make_claim("company/a", "LOCATED_IN", "company/c2", "source/s1")]),
        ([*ents, Entity(id="company/c3", label="Country", name="C3")], good),
    ]


@pytest.mark.parametrize("case", range(len(endpoint_cases())))
def test_a_bad_endpoint_or_entity_fails_with_the_in_memory_error(case: int, tmp_path: Path) -> None:
    ents, claims = endpoint_cases()[case]
    with pytest.raises(OntologyError) as held:
        in_memory(ents, claims, tmp_path / "held")
    with pytest.raises(OntologyError) as parked:
        streamed(ents, claims, tmp_path / "parked")
    assert str(parked.value) == str(held.value)
    assert len(str(parked.value).splitlines()) == 1
    assert not (tmp_path / "parked" / ".buckets").exists()
