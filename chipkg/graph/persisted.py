"""The embedded store's traversal view, persisted next to the store and opened instantly.

``view.bin`` in the store directory holds :mod:`chipkg.graph.adjacency` tables of the
store as of one base file (identified by device, inode, size and modification time)
and the journal segments that were applied on top of it. A view of the store opens
that file when its base is still the store's base and lays over it the segments
written since (they hold the merged, current version of every record they touch).
Otherwise, the store is read in full once, and the tables are built and saved for
the next process. The file is a cache: it is written atomically, never read when it
does not describe the current base, and a read-only directory only costs speed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chipkg.graph import adjacency
from chipkg.graph.compact import encode_claim_obj, parse, stored_claim_key, stored_entity
from chipkg.graph.view import GraphView, Rel, rel_of_blob

if TYPE_CHECKING:
    from chipkg.graph.embedded import EmbeddedStore, ViewState

VIEW_FILE = "view.bin"


def open_view(
    store: EmbeddedStore, state: ViewState, fresh: bool = False
) -> tuple[ViewState, GraphView]:
    """The view of ``state``: from the saved tables plus newer segments, else rebuilt."""
    if not fresh and state.base is not None:
        view = _from_file(store.path, state)
        if view is not None:
            return state, view
    state = store.loaded_state()
    if state.base is not None:
        extra = {"base": list(state.base), "covered": sorted(state.segments)}
        try:
            return state, _written(store, store.path, extra)
        except OSError:
            pass  # a read-only store still answers, from a view built elsewhere
    with tempfile.TemporaryDirectory(prefix="chipkg-view-") as tmp:
        return state, _written(store, Path(tmp), {})


def _written(store: EmbeddedStore, directory: Path, extra: dict[str, Any]) -> GraphView:
    """Write the store's tables into ``directory`` and map them (the map outlives the file)."""
    target = directory / VIEW_FILE
    entities = store.entity_blobs()
    adjacency.write(entities, _rels(store.claim_blobs(ordered=True)), target, extra)
    tables = adjacency.load(target)
    if tables is None:  # written just now by this version: cannot happen unless the disk lies
        raise OSError(f"{target}: the view just written cannot be read back")
    return adjacency.CompactView(tables)


def _rels(blobs: Iterator[tuple[str, bytes]]) -> Iterator[Rel]:
    return (rel_of_blob(key, blob) for key, blob in blobs)


def _from_file(path: Path, state: ViewState) -> GraphView | None:
    tables = adjacency.load(path / VIEW_FILE)
    if tables is None or tuple(tables.meta.get("base", ())) != state.base:
        return None
    covered = set(tables.meta.get("covered", ()))
    if not covered <= set(state.segments):
        return None
    view = adjacency.CompactView(tables)
    try:
        for name in sorted(set(state.segments) - covered):
            overlay(view, path / name)
    except FileNotFoundError:  # compacted away meanwhile: the caller rebuilds
        return None
    return view


def overlay(view: adjacency.CompactView, segment: Path) -> None:
    """Lay one journal segment's records over the view (in file order)."""
    with segment.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                _apply(view, parse(line))


def _apply(view: adjacency.CompactView, obj: dict[str, Any]) -> None:
    if obj["kind"] == "entity":
        view.add_entity(stored_entity(obj))
        return
    _, key = stored_claim_key(obj)
    view.add(rel_of_blob(key, encode_claim_obj(obj)))
