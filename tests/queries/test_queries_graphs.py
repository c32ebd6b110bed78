"""The hand-built story graph itself is valid, and the fast view equals the slow one."""

from __future__ import annotations

from pathlib import Path

from chipkg.graph.view import GraphView
from tests.support.graphs import embedded, story


def test_story_builds_a_valid_graph(tmp_path: Path) -> None:
    store = embedded(story(), tmp_path)
    counts = store.counts().to_json()
    assert counts["nodes"]["Company"] == 9
    assert counts["relationships"]["SUPPLIES"] == 6


def test_fast_view_equals_the_view_built_from_claims(tmp_path: Path) -> None:
    from chipkg.graph.view import view_of
    from chipkg.loaders.reference import REFERENCE_DIR, load_reference
    from chipkg.loaders.resolver import Resolver

    g = story()
    g.rel("company/buyer", "OWNS", "product/gpu-x-cn", source="source/s9", modality="negated")
    store = embedded(g, tmp_path)
    loaded = load_reference(REFERENCE_DIR, Resolver())
    store.write(loaded.entities, loaded.claims)
    fast = view_of(store, fresh=True)
    slow = GraphView.build(store.entities(), store.claims())
    assert fast.entities == slow.entities
    assert sorted(r.key for r in fast.by_type["SUPPLIES"]) == sorted(
        r.key for r in slow.by_type["SUPPLIES"]
    )
    assert {r.key: r for rels in fast.by_type.values() for r in rels} == {
        r.key: r for rels in slow.by_type.values() for r in rels
    }
