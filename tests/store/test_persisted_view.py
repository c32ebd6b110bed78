"""The persisted traversal view: a lazy store answers from it without reading its records,
later segments are laid over it, and a stale or damaged file is never used."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from chipkg.graph import EmbeddedStore, adjacency
from chipkg.graph.adjacency import CompactView
from chipkg.graph.persisted import VIEW_FILE
from chipkg.graph.view import GraphView, Rel, view_of
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity
from tests.support.graphs import story
from tests.support.records import make_claim


def full_view(db: Path) -> GraphView:
    """The dict-built view of everything the store holds (the reference)."""
    store = EmbeddedStore(db)
    return GraphView.build(store.entities(), store.claims())


def assert_same_view(fast: GraphView, slow: GraphView) -> None:
    """Every method the queries use answers the same on both views."""
    assert dict(fast.entities) == dict(slow.entities)
    ids = set(slow.entities) | set(slow.outgoing) | set(slow.incoming)
    predicates = set(slow.by_type)
    assert set(fast.by_type) == predicates
    for predicate in predicates:
        assert fast.by_type[predicate] == slow.by_type[predicate]
        for entity_id in ids:
            assert list(fast.out(entity_id, predicate)) == list(slow.out(entity_id, predicate))
            assert list(fast.into(entity_id, predicate)) == list(slow.into(entity_id, predicate))
    for entity_id in ids:
        assert fast.label(entity_id) == slow.label(entity_id)
    assert_items_match_a_scan(fast, slow)
    for label in {e.label for e in slow.entities.values()}:
        assert fast.of_label(label) == slow.of_label(label)


def assert_items_match_a_scan(fast: GraphView, slow: GraphView) -> None:
    """``carrying`` gives, on both views, what a scan of every claim of the type gives."""
    scanned: dict[tuple[str, str], list[Rel]] = {}
    for predicate, rels in slow.by_type.items():
        for rel in rels:
            if rel.item is not None:
                scanned.setdefault((rel.item, predicate), []).append(rel)
    assert scanned, "the data carries no items: the comparison would prove nothing"
    for (item, predicate), rels in scanned.items():
        assert list(slow.carrying(item, predicate)) == rels
        assert list(fast.carrying(item, predicate)) == rels
    for predicate in slow.by_type:
        assert not fast.carrying("product/carried-by-nothing", predicate)


def written(tmp_path: Path) -> Path:
    """A store with the story and the reference data, and its view saved."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    story().write(store)
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    store.save()  # one base, no segments
    view_of(store)
    assert (db / VIEW_FILE).exists()
    return db


def unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading the graph files fail, to prove a lazy store does not read them."""

    def refuse(self: EmbeddedStore) -> None:
        raise AssertionError("the lazy store read its records")

    monkeypatch.setattr(EmbeddedStore, "_load", refuse)


def test_lazy_store_answers_from_the_saved_view_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = written(tmp_path)
    slow = full_view(db)
    unreadable(monkeypatch)
    lazy = EmbeddedStore(db, lazy=True)
    fast = view_of(lazy)
    assert isinstance(fast, CompactView)
    assert_same_view(fast, slow)
    assert lazy.get("company/buyer") == slow.entities["company/buyer"]
    assert lazy.get("company/nobody") is None


def test_segments_written_after_the_view_are_laid_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = written(tmp_path)
    writer = EmbeddedStore(db)
    old = next(writer.claims(predicate="SUPPLIES"))
    merged = make_claim(
        old.subject, "SUPPLIES", old.object, source="source/s9", properties=old.properties
    )
    new = make_claim("company/gpu", "SUPPLIES", "company/buyer", source="source/s9")
    renamed = Entity(id="company/buyer", label="Company", name="Buyer", aliases=["B. Corp"])
    source = Entity(id="source/s9", label="Source", name="Nine")
    writer.write([renamed, source], [merged])
    writer.write([], [new])
    assert len(writer.segments()) == 2
    slow = full_view(db)
    unreadable(monkeypatch)
    fast = view_of(EmbeddedStore(db, lazy=True))
    assert_same_view(fast, slow)
    (again,) = [r for r in fast.out(old.subject, "SUPPLIES") if r.key == old.key]
    assert "source/s9" in again.sources
    assert "B. Corp" in fast.entities["company/buyer"].aliases


def test_a_view_of_an_older_base_is_not_used(tmp_path: Path) -> None:
    db = written(tmp_path)
    store = EmbeddedStore(db)
    store.write([], [make_claim("company/gpu", "SUPPLIES", "company/buyer", source="source/s1")])
    store.save()  # a new base: the saved view describes the old one
    before = (db / VIEW_FILE).read_bytes()
    fast = view_of(EmbeddedStore(db, lazy=True))
    assert_same_view(fast, full_view(db))
    assert (db / VIEW_FILE).read_bytes() != before  # rebuilt for the new base


def test_a_view_file_of_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    """A file without the item index (version 1) is not read: the store rebuilds it."""
    db = written(tmp_path)
    data = (db / VIEW_FILE).read_bytes()
    size = int.from_bytes(data[8:16], "little")
    meta = marshal.loads(data[16 : 16 + size])
    meta["version"] = adjacency.VERSION - 1
    head = marshal.dumps(meta)
    (db / VIEW_FILE).write_bytes(
        data[:8] + len(head).to_bytes(8, "little") + head + data[16 + size :]
    )
    assert adjacency.load(db / VIEW_FILE) is None
    assert_same_view(view_of(EmbeddedStore(db, lazy=True)), full_view(db))
    tables = adjacency.load(db / VIEW_FILE)
    assert tables is not None and tables.meta["version"] == adjacency.VERSION


def test_a_damaged_view_file_is_rebuilt(tmp_path: Path) -> None:
    db = written(tmp_path)
    (db / VIEW_FILE).write_bytes(b"not a view")
    assert_same_view(view_of(EmbeddedStore(db, lazy=True)), full_view(db))


def test_a_lazy_store_reads_its_records_when_written_to(tmp_path: Path) -> None:
    db = written(tmp_path)
    lazy = EmbeddedStore(db, lazy=True)
    view_of(lazy)
    lazy.write([], [make_claim("company/gpu", "SUPPLIES", "company/buyer", source="source/s1")])
    assert lazy.counts() == EmbeddedStore(db).counts()
    assert_same_view(view_of(lazy), full_view(db))


def test_ids_only_named_by_claims_are_numbered_in_sorted_order(tmp_path: Path) -> None:
    """An endpoint or item that is no entity gets its place among the sorted ids, and every
    claim still points at the right one (the builder numbers it late, then renumbers)."""
    entities = [Entity(id="company/m", label="Company", name="M")]
    claims = [
        make_claim("company/m", "SUPPLIES", "company/a", properties={"item": "product/z"}),
        make_claim("company/zz", "SUPPLIES", "company/m", properties={"item": "product/b"}),
        make_claim("company/b", "SUPPLIES", "company/zz"),
    ]
    rels = sorted((Rel.of(c) for c in claims), key=lambda r: r.key)
    adjacency.write(((e.id, e.label, b"") for e in entities), rels, tmp_path / "v", {})
    tables = adjacency.load(tmp_path / "v")
    assert tables is not None
    ids = tables.ids
    assert ids == sorted(ids) and {"company/a", "product/z", "company/zz"} <= set(ids)
    fast = CompactView(tables)
    slow = GraphView()
    for rel in rels:
        slow.add(rel)
    for entity_id in ids:
        for direction in ("out", "into"):
            got = list(getattr(fast, direction)(entity_id, "SUPPLIES"))
            assert got == list(getattr(slow, direction)(entity_id, "SUPPLIES"))
        assert list(fast.carrying(entity_id, "SUPPLIES")) == list(
            slow.carrying(entity_id, "SUPPLIES")
        )
    assert fast.label("company/m") == "Company" and fast.label("company/zz") is None


def test_the_builder_refuses_claims_out_of_key_order(tmp_path: Path) -> None:
    claims = [
        make_claim("company/b", "SUPPLIES", "company/a"),
        make_claim("company/a", "SUPPLIES", "company/b"),
    ]
    rels = sorted((Rel.of(c) for c in claims), key=lambda r: r.key, reverse=True)
    with pytest.raises(ValueError, match="out of key order"):
        adjacency.write([], rels, tmp_path / "v", {})
    assert not (tmp_path / "v").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_store_that_refuses_the_view_file_answers_from_one_built_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only store directory (simulated: root may write anywhere) still answers."""
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    story().write(store)
    store.save()
    slow = full_view(db)
    real_save = adjacency._save
    places = []

    def refuse_in_store(meta: dict[str, object], sections: dict[str, object], target: Path) -> None:
        places.append(target.parent)
        if target.parent == db:
            raise PermissionError(13, "Permission denied", str(target))
        real_save(meta, sections, target)

    monkeypatch.setattr(adjacency, "_save", refuse_in_store)
    assert_same_view(view_of(EmbeddedStore(db)), slow)
    assert places[0] == db and places[1] != db
    assert not (db / VIEW_FILE).exists() and not places[1].exists()
    assert sorted(p.name for p in db.iterdir() if p.name.startswith(".view")) == []
