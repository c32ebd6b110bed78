"""Benchmark results as tables: rich on the terminal, markdown for ``bench/RESULTS.md``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

Row = list[str]
QUERY_ORDER = ("reachable-suppliers", "exposure", "chokepoints")


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    value = a / b
    return f"{value:.2f}×" if value < 1 else f"{value:.1f}×"


def neo4j_rows(results: dict[str, Any]) -> tuple[Row, list[Row]]:
    """Loading into Neo4j: claims (relationships with provenance) per second, three ways."""
    head = ["links", "claims", "batch", "batched s", "batched claims/s", "naive claims/s (sample)",
            "naive s (extrapolated)", "admin import s", "admin + schema s", "batched ÷ naive",
            "batched s ÷ admin s"]  # fmt: skip
    rows = []
    for size, entry in results["sizes"].items():
        neo = entry.get("neo4j")
        if not neo:
            continue
        claims = entry["claims"]
        naive = neo["naive"]
        admin = neo.get("admin") or {}
        admin_s = admin.get("import_seconds")
        full_admin = admin_s + admin.get("after_import_seconds", 0) if admin_s else None
        runs = neo.get("by_batch_size") or {str(neo["batch_size"]): neo["batched"]}
        for batch, timing in runs.items():
            batched = timing["median"]
            rows.append([
                f"{int(size):,}", f"{claims:,}", batch, _num(batched, 1), _num(claims / batched),
                _num(naive["claims_per_s"]), _num(naive["extrapolated_seconds"], 1),
                _num(admin_s, 1) if admin_s else admin.get("error", "—")[:40],
                _num(full_admin, 1), _ratio(claims / batched, naive["claims_per_s"]),
                _ratio(batched, full_admin),
            ])  # fmt: skip
    return head, rows


def embedded_rows(results: dict[str, Any]) -> tuple[Row, list[Row]]:
    """Loading and opening the embedded store, and the memory it holds."""
    head = ["links", "claims", "write s", "write claims/s", "file→store claims/s", "open s",
            "store MiB", "MiB per 1M links", "peak RSS MiB (load)"]  # fmt: skip
    rows = []
    for size, entry in results["sizes"].items():
        emb = entry.get("embedded")
        if not emb:
            continue
        links, claims = int(size), entry["claims"]
        rows.append([
            f"{links:,}", f"{claims:,}", _num(emb["write_seconds"], 1),
            _num(claims / emb["write_seconds"]), _num(claims / emb["total_seconds"]),
            _num(emb["open_seconds"], 1), _num(emb["store_rss_mb"]),
            _num(emb["store_rss_mb"] * 1_000_000 / links), _num(emb["peak_rss_mb"]),
        ])  # fmt: skip
    return head, rows


def query_rows(results: dict[str, Any]) -> tuple[Row, list[Row]]:
    """Median query times, embedded and Neo4j, with answer sizes to show equal work."""
    head = ["links", "query", "embedded ms", "neo4j ms", "neo4j ÷ embedded", "answer (emb)",
            "answer (neo4j)", "embedded view build s"]  # fmt: skip
    rows = []
    for size, entry in results["sizes"].items():
        emb = (entry.get("embedded") or {}).get("queries") or {"queries": {}}
        neo = (entry.get("neo4j") or {}).get("queries", {})
        for name in QUERY_ORDER:
            timing, other = emb["queries"].get(name), neo.get(name)
            if not timing and not other:
                continue
            e_ms = _ms(timing)
            n_ms = _ms(other)
            rows.append([
                f"{int(size):,}", name, _num(e_ms, 1), _num(n_ms, 1), _ratio(n_ms, e_ms),
                _answer(timing), _answer(other), _num(emb.get("view_build_seconds"), 2),
            ])  # fmt: skip
    return head, rows


def _ms(timing: dict[str, Any] | None) -> float | None:
    return timing["median"] * 1000 if timing and "median" in timing else None


def _answer(timing: dict[str, Any] | None) -> str:
    if not timing:
        return "—"
    if "error" in timing:
        return f"failed after {timing['seconds']:.0f} s: {timing['error'][:80]}"
    return " ".join(f"{k}={v}" for k, v in timing["answer"].items())


def extraction_rows(results: dict[str, Any]) -> tuple[Row, list[Row]]:
    """Whatever ``bench/bench_extract.py`` reported."""
    found = results.get("extraction") or {}
    if not found:
        return [], []
    if "error" in found:
        return ["measure", "value"], [["error", str(found["error"])[:120]]]
    rows = [
        [k.removesuffix(" kb_per_s"), _num(v)] for k, v in found.items() if k.endswith("kb_per_s")
    ]
    rows.append(["start-up s (patterns, reference data)", str(found.get("startup_s", "—"))])
    return ["mode and language", "KB/s (one core, CPU time)"], rows


def goal_rows(results: dict[str, Any]) -> tuple[Row, list[Row]]:
    """Issue 17's table: each figure this run measured beside its goal."""
    head = ["links", "figure", "measured", "goal", "met"]
    rows: list[Row] = []
    for size, entry in results["sizes"].items():
        links = f"{int(size):,}"
        rows += _load_goals(links, entry)
        emb = entry.get("embedded") or {}
        first = emb.get("open_first") or {}
        if first:
            loads = ", ".join(f"{x:.1f}" for x in first.get("load_average", []))
            rows.append([links, f"embedded open + first reachable-suppliers (load {loads})",
                         f"{first['first_answer_seconds']:.2f} s", "< 3 s",
                         _met(first["first_answer_seconds"] < 3)])  # fmt: skip
        queries = (emb.get("queries") or {}).get("queries", {})
        neo = (entry.get("neo4j") or {}).get("queries", {})
        for name, limit_emb in (("exposure", 0.3), ("reachable-suppliers", 1.0)):
            if name in queries:
                value = queries[name]["median"]
                rows.append([links, f"{name}, embedded", f"{value * 1000:,.0f} ms",
                             f"< {limit_emb * 1000:,.0f} ms", _met(value < limit_emb)])  # fmt: skip
            if name in neo and "error" in neo[name]:
                rows.append(
                    [links, f"{name}, Neo4j", _answer(neo[name]), "< 1,000 ms", _met(False)]
                )
            elif name in neo:
                value = neo[name]["median"]
                rows.append([links, f"{name}, Neo4j", f"{value * 1000:,.0f} ms", "< 1,000 ms",
                             _met(value < 1.0)])  # fmt: skip
        bfs = first.get("bfs") or {}
        for lib in ("networkx", "rustworkx"):
            if f"{lib}_bfs_seconds" in bfs:
                rows.append([links, f"{lib} BFS up + down over SUPPLIES (baseline)",
                             f"{bfs[f'{lib}_bfs_seconds'] * 1000:,.0f} ms", "—", "—"])  # fmt: skip
    return head, rows


def _load_goals(links: str, entry: dict[str, Any]) -> list[Row]:
    rows = []
    emb = entry.get("embedded") or {}
    if emb.get("cli_seconds"):  # the user's path: `chipkg load --db` in its own process
        rate = entry["claims"] / emb["cli_seconds"]
        cpu = entry["claims"] / emb["cli_cpu_seconds"]
        rows.append([links, "`chipkg load` → embedded, wall (CPU) rels/s",
                     f"{_num(rate)} ({_num(cpu)} per CPU-s)", "≥ 50,000", _met(rate >= 50_000)])  # fmt: skip
    elif emb.get("total_seconds"):
        rate = entry["claims"] / emb["total_seconds"]
        rows.append([links, "load → embedded (files → store, rels/s)", _num(rate), "≥ 50,000",
                     _met(rate >= 50_000)])  # fmt: skip
    neo = entry.get("neo4j") or {}
    if neo.get("batched"):
        rate = entry["claims"] / neo["batched"]["median"]
        rows.append([links, "load → empty Neo4j, transactional writer (rels/s)", _num(rate),
                     "—", "—"])  # fmt: skip
    rows += _bulk_goals(links, entry["claims"], neo)
    incremental = neo.get("incremental") or {}
    if incremental.get("rels_per_s"):
        rate = incremental["rels_per_s"]
        rows.append([links, f"load → non-empty Neo4j ({incremental['base_links']:,} links "
                     "stored), transactional (rels/s)", _num(rate), "≥ 25,000",
                     _met(rate >= 25_000)])  # fmt: skip
    return rows


def _bulk_goals(links: str, claims: int, neo: dict[str, Any]) -> list[Row]:
    """``chipkg load --neo4j --bulk`` into an empty database, and its ratio to the import tool."""
    bulk, admin = neo.get("bulk") or {}, neo.get("admin") or {}
    if not bulk.get("seconds"):
        return []
    rate = claims / bulk["seconds"]
    goal = 50_000 if int(links.replace(",", "")) >= 1_000_000 else 25_000
    rows = [[links, "load → empty Neo4j, `--bulk` end to end (rels/s)", _num(rate),
             f"≥ {goal:,}", _met(rate >= goal)]]  # fmt: skip
    if admin.get("import_seconds"):
        ratio = bulk["seconds"] / admin["import_seconds"]
        rows.append([links, "bulk end to end ÷ `neo4j-admin import` alone", f"{ratio:.1f}×",
                     "≤ 1.5×", _met(ratio <= 1.5)])  # fmt: skip
    return rows


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


SECTIONS = (
    ("0. Issue 17 goals, side by side", goal_rows),
    ("1. Loading into Neo4j", neo4j_rows),
    ("2. Loading the embedded store", embedded_rows),
    ("3. Queries (median of repeats; embedded excludes the one-off view build)", query_rows),
    ("4. Extraction throughput (bench/bench_extract.py)", extraction_rows),
)


def print_tables(results: dict[str, Any]) -> None:
    """All sections as rich tables on stdout."""
    console = Console(width=None if Console().is_terminal else 200)
    m = results["machine"]
    console.print(
        f"[bold]chipkg bench[/] {m['date']}  {m['nproc']} cores, {m['ram_gib']} GiB, {m['cpu']}; "
        f"load avg {tuple(round(x, 1) for x in m['load_average'])}; "
        f"repeats {results['repeats']}; {results['seconds']} s"
    )
    for title, build in SECTIONS:
        head, rows = build(results)
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for column in head:
            table.add_column(column, justify="right" if column != "query" else "left")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def markdown(results: dict[str, Any]) -> str:
    """The same tables in markdown, with the machine line."""
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['nproc']} cores, {m['ram_gib']} GiB RAM, {m['cpu']} "
        f"(Python {m['python']}, commit {m['git_commit']}, load average at start "
        f"{', '.join(f'{x:.1f}' for x in m['load_average'])}); medians of {results['repeats']} "
        f"runs ({results.get('query_repeats', results['repeats'])} per query after a warm-up "
        f"call); whole run {results['seconds']} s.",
        "",
    ]
    for title, build in SECTIONS:
        head, rows = build(results)
        if not rows:
            continue
        lines += [f"### {title}", "", "| " + " | ".join(head) + " |"]
        lines.append("|" + "|".join("---" for _ in head) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)
