"""cyphergen's Browser forms: the canned query unchanged inside ``CALL () {}``, then the tail;
a fragment or tail change makes the form stale until regenerated; generation is repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipkg.queries import cyphergen

QUERY = """// q: a test query.
// :param on => '2024-06-01'
//
// more header text

MATCH (n:Entity {id: $on})
// -- shared: pick -----
// -- end shared: pick -----
RETURN n.id AS id
"""
FRAGMENT = "// -- shared: pick -----\nWITH n WHERE n.x = {}\n// -- end shared: pick -----\n"
TAIL = "// q, table form.\n\nRETURN id AS row\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cypher folder with one query, one fragment and one tail, wired into cyphergen."""
    (tmp_path / "fragments").mkdir()
    (tmp_path / "browser" / "tails").mkdir(parents=True)
    (tmp_path / "q.cypher").write_text(QUERY, encoding="utf-8")
    (tmp_path / "fragments" / "pick.cypher").write_text(FRAGMENT.format(1), encoding="utf-8")
    (tmp_path / "browser" / "tails" / "q.table.cypher").write_text(TAIL, encoding="utf-8")
    for name, path in (
        ("CYPHER_DIR", tmp_path),
        ("FRAGMENT_DIR", tmp_path / "fragments"),
        ("BROWSER_DIR", tmp_path / "browser"),
        ("TAIL_DIR", tmp_path / "browser" / "tails"),
    ):
        monkeypatch.setattr(cyphergen, name, path)
    return tmp_path


def test_form_wraps_the_rendered_query_and_appends_the_tail(tree: Path) -> None:
    assert cyphergen.main([]) == 0
    lines = (tree / "browser" / "q.table.cypher").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "// q, table form."
    assert "// :param on => '2024-06-01'" in lines
    body = lines[lines.index("CALL () {") + 1 : lines.index("}")]
    assert body[0] == "  MATCH (n:Entity {id: $on})"
    assert "  WITH n WHERE n.x = 1" in body
    assert body[-1] == "  RETURN n.id AS id"
    assert lines[-1] == "RETURN id AS row"
    assert not any("more header text" in line for line in lines)


def test_fragment_or_tail_change_makes_the_form_stale(tree: Path) -> None:
    cyphergen.main([])
    first = (tree / "browser" / "q.table.cypher").read_text(encoding="utf-8")
    assert cyphergen.stale() == []
    (tree / "fragments" / "pick.cypher").write_text(FRAGMENT.format(2), encoding="utf-8")
    assert cyphergen.stale() == [tree / "q.cypher", tree / "browser" / "q.table.cypher"]
    assert cyphergen.main(["--check"]) == 1
    cyphergen.main([])
    assert cyphergen.stale() == []
    (tree / "browser" / "tails" / "q.table.cypher").write_text(TAIL + "LIMIT 1\n", "utf-8")
    assert cyphergen.stale() == [tree / "browser" / "q.table.cypher"]
    (tree / "browser" / "tails" / "q.table.cypher").write_text(TAIL, encoding="utf-8")
    (tree / "fragments" / "pick.cypher").write_text(FRAGMENT.format(1), encoding="utf-8")
    cyphergen.main([])
    assert (tree / "browser" / "q.table.cypher").read_text(encoding="utf-8") == first


def test_a_missing_form_is_stale(tree: Path) -> None:
    cyphergen.main([])
    (tree / "browser" / "q.table.cypher").unlink()
    assert cyphergen.stale() == [tree / "browser" / "q.table.cypher"]
