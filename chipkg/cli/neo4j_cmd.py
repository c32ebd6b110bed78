"""``chipkg neo4j start|stop|status|logs``: the Neo4j server chipkg downloads and runs itself.

Registered by ``chipkg.cli`` as the ``neo4j`` sub-app; other modules may add
commands (e.g. ``init-schema``) to :data:`app`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from chipkg.errors import Neo4jUnavailable
from chipkg.graph.server import NEO4J_VERSION, ManagedNeo4j, Neo4jStartError, ServerStatus

app = typer.Typer(
    help="Run and manage the local Neo4j server chipkg installs for itself.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="CHIPKG_NEO4J_HOME",
        help="Instance directory (default: ~/.local/share/chipkg/neo4j, the same from any directory).",
        show_default=False,
    ),
]
BoltOption = Annotated[
    int | None,
    typer.Option(
        "--bolt-port",
        envvar="CHIPKG_NEO4J_BOLT_PORT",
        help="Bolt port (default 7687).",
        show_default=False,
    ),
]
HttpOption = Annotated[
    int | None,
    typer.Option(
        "--http-port",
        envvar="CHIPKG_NEO4J_HTTP_PORT",
        help="HTTP/Browser port (default 7474).",
        show_default=False,
    ),
]


def manager(
    home: Path | None = None, bolt_port: int | None = None, http_port: int | None = None
) -> ManagedNeo4j:
    """The managed instance the options (or env) point at; shared with other commands."""
    return ManagedNeo4j(home=home, bolt_port=bolt_port, http_port=http_port)


def _print_status(status: ServerStatus, server: ManagedNeo4j) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2))
    state = "[green]running[/]" if status.running else "[yellow]stopped[/]"
    table.add_row("state", state + (f" (pid {status.pid})" if status.pid else ""))
    table.add_row("version", f"Neo4j Community {status.version}")
    table.add_row("bolt", status.bolt_uri)
    table.add_row("browser", status.browser_url)
    table.add_row("user", "neo4j")
    table.add_row("password", _password_where(server))
    table.add_row("home", status.home)
    console.print(table)


def _password_where(server: ManagedNeo4j) -> str:
    if server.password_source.startswith("$"):
        return f"from {server.password_source}"
    if server.password_file.is_file():
        return f"in {server.password_file} (readable by you only)"
    return f"none yet ({server.password_file} is written by `chipkg neo4j start`)"


@app.command()
def start(
    home: HomeOption = None,
    bolt_port: BoltOption = None,
    http_port: HttpOption = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for Bolt to accept the password.")
    ] = 120.0,
) -> None:
    """Download Neo4j if needed and start it in the background (no-op when running)."""
    server = manager(home, bolt_port, http_port)
    if server.status().running:
        console.print("[dim]Neo4j is already running.[/]")
        _print_status(server.status(), server)
        return
    if not server.installed:
        console.print(f"Downloading Neo4j Community {NEO4J_VERSION} with Maven (~130 MB)…")
    began = time.monotonic()
    try:
        with console.status("Starting Neo4j…"):
            status = server.start(timeout=timeout)
    except Neo4jStartError as exc:
        if exc.details:
            err_console.print(exc.details, style="dim", markup=False, highlight=False)
        raise
    console.print(f"[green]Neo4j started[/] in {time.monotonic() - began:.1f}s.")
    _print_status(status, server)


@app.command()
def stop(
    home: HomeOption = None,
    bolt_port: BoltOption = None,
    http_port: HttpOption = None,
    timeout: Annotated[float, typer.Option(help="Seconds before a hard kill.")] = 60.0,
) -> None:
    """Shut Neo4j down cleanly (SIGTERM, then SIGKILL after --timeout)."""
    server = manager(home, bolt_port, http_port)
    if not server.status().running:
        console.print("[dim]Neo4j is not running.[/]")
        return
    server.stop(timeout=timeout)
    console.print("[green]Neo4j stopped.[/]")


@app.command()
def status(
    home: HomeOption = None,
    bolt_port: BoltOption = None,
    http_port: HttpOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Show whether Neo4j runs, its pid, Bolt URI and Browser URL."""
    server = manager(home, bolt_port, http_port)
    current = server.status()
    if as_json:
        typer.echo(json.dumps(current.as_dict(), indent=2))
        return
    _print_status(current, server)


LOG_FILES = ("neo4j", "debug", "console", "query", "security", "http")


@app.command()
def logs(
    home: HomeOption = None,
    lines: Annotated[int, typer.Option("--lines", "-n", min=1, help="How many lines.")] = 50,
    log: Annotated[
        str, typer.Option("--file", help=f"Which log: {', '.join(LOG_FILES)}.")
    ] = "neo4j",
) -> None:
    """Print the last lines of the managed server's log (default logs/neo4j.log)."""
    if log not in LOG_FILES:
        raise typer.BadParameter(f"--file must be one of: {', '.join(LOG_FILES)}")
    server = manager(home)
    path = server.logs_dir / f"{log}.log"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise Neo4jUnavailable(
            f"no log at {path}: the server in {server.home} has not written one yet"
        ) from None
    for line in text.splitlines()[-lines:]:
        typer.echo(line)


@app.command("init-schema")
def init_schema() -> None:
    """Create the ontology's constraints and indexes in Neo4j (idempotent; loads run it too).

    Uses ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` when set,
    else the managed server.
    """
    from chipkg.graph.neo4j_store import Neo4jStore

    with Neo4jStore.from_env() as store:
        statements = store.init_schema()
        console.print(
            f"{len(statements)} constraints and indexes in place on {store.uri} "
            f"(database {store.database})"
        )
