"""Where an instance lives and the ``neo4j.conf`` it runs with."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from chipkg.errors import Neo4jUnavailable

_GRASS_RULE = re.compile(r"""([^{}]+)\{((?:[^{}"']|"[^"]*"|'[^']*')*)\}""")
_GRASS_DECL = re.compile(r"""([\w-]+)\s*:\s*("[^"]*"|'[^']*'|[^;]*)""")


def default_home() -> Path:
    """``$CHIPKG_NEO4J_HOME``, else one per-user home; never a guess from the current directory.

    The per-user home is ``$XDG_DATA_HOME/chipkg/neo4j`` (``~/.local/share/chipkg/neo4j``),
    so every command finds the same server and password wherever it is run from.
    """
    env = os.environ.get("CHIPKG_NEO4J_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "chipkg" / "neo4j"


def env_port(name: str, default: int) -> int:
    """A port from the environment, with a one-line error when it is not a number."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise Neo4jUnavailable(f"{name}={raw!r} is not a port number") from None


def render_config(
    *,
    bolt_port: int,
    http_port: int,
    dist_dir: Path,
    home: Path,
    heap: str = "1g",
    pagecache: str = "512m",
) -> str:
    """neo4j.conf for a local-only, authenticated instance with APOC."""
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.http.enabled": "true",
        "server.http.listen_address": f"127.0.0.1:{http_port}",
        "server.http.advertised_address": f"127.0.0.1:{http_port}",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.directories.lib": str(dist_dir / "lib"),
        "server.directories.plugins": str(dist_dir / "plugins"),
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "dbms.security.procedures.unrestricted": "apoc.*",
        "dbms.usage_report.enabled": "false",
        "client.allow_telemetry": "false",
        "server.bolt.telemetry.enabled": "false",
        "browser.post_connect_cmd": browser_style_command(),
        "dbms.security.http_static_content_security_policy_header": browser_csp(
            bolt_port, http_port
        ),
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
        # Bolt's Netty event loops otherwise idle 5 s each (boss, then workers) after the
        # databases are already checkpointed and closed: 10 of the 11 s a stop took (seconds).
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    lines = ["# Written by chipkg (chipkg.graph.server); rewritten on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def grass_rules(text: str) -> dict[str, dict[str, str]]:
    """GraSS text (``selector { key: value; }``) as a dict, quotes dropped like Browser does."""
    rules: dict[str, dict[str, str]] = {}
    for selector, body in _GRASS_RULE.findall(text):
        props = {key: value.strip().strip("\"'") for key, value in _GRASS_DECL.findall(body)}
        rules[selector.strip()] = props
    return rules


def browser_style_command() -> str:
    """``browser.post_connect_cmd``: apply chipkg's GraSS on every Browser connect.

    Browser's ``:style`` takes the style inline as JSON; JSON (unlike GraSS) has no
    bare ``;``, which the setting uses to separate commands.
    """
    from chipkg.viz.grass import GRASS_PATH

    rules = grass_rules(GRASS_PATH.read_text(encoding="utf-8"))
    return "style " + json.dumps(rules, separators=(",", ":"))


def browser_csp(bolt_port: int, http_port: int) -> str:
    """Content-Security-Policy for Browser's pages: this server and its Bolt port only.

    Neo4j's default also lets Browser load Segment's analytics script, Canny and Google
    Fonts, and talk to any host; a local, private server needs none of that.
    """
    hosts = ("127.0.0.1", "localhost")
    bolt = " ".join(f"ws://{host}:{bolt_port}" for host in hosts)
    http = " ".join(f"http://{host}:{port}" for host in hosts for port in (http_port, bolt_port))
    return (
        "default-src 'self'; script-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
        "object-src 'none'; frame-ancestors 'none'; "
        f"connect-src 'self' {bolt} {http}"
    )


def write_config(home: Path, dist_dir: Path, bolt_port: int, http_port: int) -> Path:
    """Create the instance folders (0700) and (re)write ``conf/neo4j.conf`` (0600)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(mode=0o700, exist_ok=True)
    text = render_config(
        bolt_port=bolt_port,
        http_port=http_port,
        dist_dir=dist_dir,
        home=home,
        heap=os.environ.get("CHIPKG_NEO4J_HEAP", "1g"),
        pagecache=os.environ.get("CHIPKG_NEO4J_PAGECACHE", "512m"),
    )
    path = home / "conf" / "neo4j.conf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def make_private(home: Path) -> None:
    """Take group and other permissions off the home and everything in it.

    New files are private anyway (the server and neo4j-admin run with umask 077);
    this also closes homes made by older chipkg versions (755 folders, 644 files).
    """
    for path in (home, *home.rglob("*")):
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode) or not info.st_mode & 0o077:
            continue
        path.chmod(stat.S_IMODE(info.st_mode) & 0o700)
