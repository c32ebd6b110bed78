"""chipkg's modules import one another without a cycle (the demo uses the queries, not back).

Only module-level imports count: imports inside functions and under ``if TYPE_CHECKING:``
run late or never, which is how a module may reach back without a cycle at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by dotted name (packages by their name)."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _top_level(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                found += _top_level(node.body) + _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            found += _top_level(node.body)
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports when it is imported."""
    out = set()
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _top_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
            continue
        base = node.module or ""
        if node.level:
            anchor = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
            base = f"{anchor}.{base}" if base else anchor
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            out.add(sub if sub in modules else base)
    return {m for m in out if m in modules and m != name}


def cycles(root: Path, package: str) -> list[list[str]]:
    """Import cycles among the package's modules (each as the modules it passes)."""
    modules = module_names(root, package)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    found, state = [], dict.fromkeys(graph, 0)

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                found.append([*trail[trail.index(nxt) :], nxt])
            elif state[nxt] == 0:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if state[start] == 0:
            visit(start, [start])
    return found


def test_chipkg_has_no_import_cycle() -> None:
    assert cycles(ROOT, "chipkg") == []


def test_the_queries_never_import_the_demo() -> None:
    """Not even inside a function or for type checking (the old cycle went that way)."""
    for name, path in module_names(ROOT, "chipkg").items():
        if name.startswith("chipkg.queries"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom):
                    assert not (node.module or "").startswith("chipkg.demo"), name
                elif isinstance(node, ast.Import):
                    assert not any(a.name.startswith("chipkg.demo") for a in node.names), name


def test_a_cycle_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from pkg import b\n", encoding="utf-8")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nfrom . import c\nif TYPE_CHECKING:\n    import pkg.a\n",
        encoding="utf-8",
    )
    (pkg / "c.py").write_text("import pkg.a\n", encoding="utf-8")
    assert cycles(tmp_path, "pkg") == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    (pkg / "c.py").write_text("def f():\n    import pkg.a\n", encoding="utf-8")
    assert cycles(tmp_path, "pkg") == []
