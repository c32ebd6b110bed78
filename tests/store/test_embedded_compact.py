"""The embedded store's compact encoding and journal: exact round trips, segments, compaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipkg.graph import EmbeddedStore
from chipkg.graph import embedded as embedded_module
from chipkg.graph.compact import (
    claim_line,
    claim_line_and_blob,
    decode_claim,
    decode_entity,
    encode_claim,
    encode_entity,
    entity_line,
    stored_claim_key,
    stored_entity_line,
)
from chipkg.ontology import Claim, Entity
from chipkg.ontology.serialize import to_line, to_obj
from chipkg.synth import generate
from tests.support.records import make_claim


def test_blobs_round_trip_to_equal_records(
    sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    records = [*sample_entities, *sample_claims, *generate(300, seed=4)]
    for record in records:
        if isinstance(record, Entity):
            again: Entity | Claim = decode_entity(record.id, record.label, encode_entity(record))
        else:
            again = decode_claim(record.predicate, encode_claim(record))
            # the open computes keys from stored lines, parsed back from JSON
            stored = json.loads(claim_line_and_blob(record)[0])
            assert stored_claim_key(stored) == (record.predicate, record.key)
        assert again == record
        assert to_obj(again) == to_obj(record)


def test_store_line_and_blob_equal_the_serializer_and_encoder(sample_claims: list[Claim]) -> None:
    """The store's one-pass encoding writes the JSON of ``to_line`` and keeps ``encode_claim``."""
    claims = [*sample_claims, *(r for r in generate(300, seed=5) if isinstance(r, Claim))]
    assert any(len(c.evidence) > 1 for c in claims)
    assert any(c.properties for c in claims)
    for claim in claims:
        line, blob = claim_line_and_blob(claim)
        assert json.loads(line) == json.loads(to_line(claim))
        assert list(json.loads(line)) == list(to_obj(claim))  # the same keys, in one order
        assert blob == encode_claim(claim)
        obj = json.loads(line)
        parts = [obj["subject"], obj["object"], obj["derived"]]
        parts += [obj[k] for k in ("modality", "confidence", "attributed_to", "valid_from")]
        parts += [obj["valid_to"], obj["properties"], obj["evidence"]]
        assert blob == json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()


def test_lines_made_from_blobs_equal_the_serializer_on_decoded_records(
    sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    """A compaction writes each record's line from its blob: byte for byte the line a
    fresh write of the decoded record makes, and the JSON of ``to_line``."""
    records = [*sample_entities, *sample_claims, *generate(300, seed=6)]
    odd = make_claim(
        "acme",
        "SUPPLIES",
        "beta",
        properties={"item": "Ké 90 “nm”"},
        valid_from="2023-10-17",
        quote="l'export è vietato — 禁止",
        confidence=0.123456789,
    )
    records.append(odd.model_copy(update={"evidence": [*odd.evidence, *sample_claims[0].evidence]}))
    assert any(isinstance(r, Claim) and len(r.evidence) > 1 for r in records)
    for record in records:
        if isinstance(record, Entity):
            blob = encode_entity(record)
            line = entity_line(record.id, record.label, blob)
            assert line == stored_entity_line(decode_entity(record.id, record.label, blob))
        else:
            blob = encode_claim(record)
            line = claim_line(record.predicate, blob)
            assert line == claim_line_and_blob(decode_claim(record.predicate, blob))[0]
        assert json.loads(line) == json.loads(to_line(record))


def test_blob_is_much_smaller_than_the_json_line(sample_claims: list[Claim]) -> None:
    claim = sample_claims[2]
    assert len(encode_claim(claim)) < 0.8 * len(json.dumps(to_obj(claim)))


def test_later_writes_go_to_segments_and_reload(
    tmp_path: Path, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, [])
    base = store.file.read_bytes()
    store.write([], sample_claims[:2])
    store.write([], sample_claims[2:])
    assert store.file.read_bytes() == base  # small writes never rewrite the base
    assert [p.name for p in store.segments()] == ["graph-000001.jsonl", "graph-000002.jsonl"]
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.claims()) == list(store.claims())
    assert reopened.counts() == store.counts()


def test_merge_lands_in_a_segment_and_survives_reopening(
    tmp_path: Path, sample_entities: list[Entity]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, [make_claim("company/nvidia", "DESIGNS", "product/h800")])
    second = make_claim("company/nvidia", "DESIGNS", "product/h800", source="source/test-b")
    report = store.write([], [second])
    assert report.new_claims == 0
    (claim,) = EmbeddedStore(tmp_path).claims(predicate="DESIGNS")
    assert claim.sources == ["source/test-a", "source/test-b"]


def test_unchanged_write_writes_no_segment(
    tmp_path: Path, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, sample_claims)
    revision = store.revision
    store.write(sample_entities, sample_claims)
    assert store.segments() == []
    assert store.revision == revision


def test_many_segments_are_compacted_into_the_base(
    tmp_path: Path, sample_entities: list[Entity], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_module, "MAX_SEGMENTS", 3)
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])
    for entity in sample_entities[1:4]:
        store.write([entity], [])
    assert len(store.segments()) < 3
    ids = [json.loads(line)["id"] for line in store.file.read_text().splitlines()]
    assert ids == sorted(ids) and len(ids) >= 3
    assert [e.id for e in EmbeddedStore(tmp_path).entities()] == sorted(
        e.id for e in sample_entities[:4]
    )


def test_segment_left_over_from_a_compaction_changes_nothing(
    tmp_path: Path, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, [])
    store.write([], sample_claims)
    leftover = store.segments()[0].read_bytes()
    store.save()  # compaction: one base, no segments
    assert store.segments() == []
    (tmp_path / "graph-000001.jsonl").write_bytes(leftover)  # as if the unlink was lost
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.claims()) == list(store.claims())
    assert reopened.counts() == store.counts()


def test_clear_removes_segments_and_bumps_revision(
    tmp_path: Path, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, [])
    store.write([], sample_claims)
    before = store.revision
    store.clear()
    assert store.revision > before
    assert store.segments() == []
    assert EmbeddedStore(tmp_path).counts().to_json() == {"nodes": {}, "relationships": {}}


def test_corrupt_segment_names_its_line(tmp_path: Path, sample_entities: list[Entity]) -> None:
    EmbeddedStore(tmp_path).write(sample_entities, [])
    (tmp_path / "graph-000001.jsonl").write_text(
        '{"kind": "claim", "subject": "company/nvidia", "predicate": "FLIES_TO",'
        ' "object": "country/us", "evidence": [{"source": "source/test-a"}]}\n'
    )
    with pytest.raises(embedded_module.StoreError, match=r"graph-000001.jsonl:1: corrupt"):
        EmbeddedStore(tmp_path)


def _one_entity_writes(store: EmbeddedStore, entities: list[Entity]) -> None:
    for entity in entities:
        store.write([entity], [])


def test_newest_segments_of_one_tier_are_concatenated_into_one(
    tmp_path: Path, sample_entities: list[Entity], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_module, "FANOUT", 3)
    monkeypatch.setattr(embedded_module, "GARBAGE_RATIO", 1000.0)  # no base rewrite here
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])
    base = store.file.read_bytes()
    _one_entity_writes(store, sample_entities[1:3])
    pieces = b"".join(p.read_bytes() for p in store.segments())
    store.write(sample_entities[3:4], [])
    pieces += (stored_entity_line(sample_entities[3]) + "\n").encode()  # what segment 3 held
    assert [p.name for p in store.segments()] == ["graph-000004.jsonl"]
    assert store.segments()[0].read_bytes() == pieces  # the three, in order
    assert store.file.read_bytes() == base
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.entities()) == list(EmbeddedStore(tmp_path).entities())
    assert {e.id for e in reopened.entities()} == {e.id for e in sample_entities[:4]}
    store.write(sample_entities[4:5], [])  # numbering goes on after the merged segment
    assert [p.name for p in store.segments()] == ["graph-000004.jsonl", "graph-000005.jsonl"]


def test_segments_of_different_tiers_are_not_merged(
    tmp_path: Path, sample_entities: list[Entity], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_module, "FANOUT", 2)
    monkeypatch.setattr(embedded_module, "TIER_BYTES", 1)
    monkeypatch.setattr(embedded_module, "GARBAGE_RATIO", 1000.0)
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])
    store.write(sample_entities[1:4], [])  # three entity lines: a higher tier than one line
    store.write(sample_entities[4:5], [])
    sizes = [p.stat().st_size for p in store.segments()]
    assert len(sizes) == 2 and embedded_module._tier(sizes[0]) > embedded_module._tier(sizes[1])


def test_new_records_never_rewrite_the_base(
    tmp_path: Path,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Segments of new records only are merged, never folded into the base: a rewrite
    encodes every record again, so a load of new records would pay for itself twice."""
    monkeypatch.setattr(embedded_module, "TIER_BYTES", 1)
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, [])
    base = store.file.read_bytes()
    for claim in sample_claims:
        store.write([], [claim])
    assert store.file.read_bytes() == base
    assert len(store.segments()) == len({c.key for c in sample_claims})


def test_base_is_rewritten_once_stale_lines_reach_the_ratio(
    tmp_path: Path,
    sample_entities: list[Entity],
    sample_claims: list[Claim],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embedded_module, "GARBAGE_RATIO", 0.5)
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities, sample_claims)
    base = store.file.read_bytes()
    live = len(sample_entities) + len({c.key for c in sample_claims})
    renamed = [
        e.model_copy(update={"aliases": [*e.aliases, f"alias {e.id}"]}) for e in sample_entities
    ]
    half = (live + 1) // 2  # GARBAGE_RATIO of the live records
    store.write(renamed[: half - 1], [])  # one short of half the records replaced
    assert store.file.read_bytes() == base and store.segments()
    assert EmbeddedStore(tmp_path)._stale == half - 1  # reopening counts the stale lines too
    store.write(renamed[half - 1 : half], [])
    assert store.segments() == []  # half the records were replaced: one new base
    lines = [json.loads(line) for line in store.file.read_text().splitlines()]
    assert len(lines) == live
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.entities()) == list(store.entities())
    assert list(reopened.claims()) == list(store.claims())


def test_segments_left_over_from_a_merge_change_nothing(
    tmp_path: Path, sample_entities: list[Entity], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_module, "FANOUT", 2)
    monkeypatch.setattr(embedded_module, "GARBAGE_RATIO", 1000.0)
    store = EmbeddedStore(tmp_path)
    store.write(sample_entities[:1], [])
    store.write(sample_entities[1:2], [])
    first = (tmp_path / "graph-000001.jsonl").read_bytes()
    store.write(sample_entities[2:3], [])
    assert [p.name for p in store.segments()] == ["graph-000003.jsonl"]
    (tmp_path / "graph-000001.jsonl").write_bytes(first)  # as if the crash came before unlink
    reopened = EmbeddedStore(tmp_path)
    assert list(reopened.entities()) == list(store.entities())
    assert reopened.counts() == store.counts()
