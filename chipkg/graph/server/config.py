"""Where an instance lives and the ``neo4j.conf`` it runs with."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from chipkg.errors import Neo4jUnavailable


def project_root(start: Path | None = None) -> Path | None:
    """Nearest ancestor of ``start`` (cwd) whose pyproject.toml names project chipkg."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        pyproject = directory / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if data.get("project", {}).get("name") == "chipkg":
            return directory
    return None


def default_home() -> Path:
    """Env ``CHIPKG_NEO4J_HOME``, else ``<project>/.neo4j``, else a per-user dir."""
    env = os.environ.get("CHIPKG_NEO4J_HOME")
    if env:
        return Path(env).expanduser()
    root = project_root()
    if root is not None:
        return root / ".neo4j"
    return Path.home() / ".local" / "share" / "chipkg" / "neo4j"


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
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
    }
    lines = ["# Written by chipkg (chipkg.graph.server); rewritten on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def write_config(home: Path, dist_dir: Path, bolt_port: int, http_port: int) -> Path:
    """Create the instance folders and (re)write ``conf/neo4j.conf``."""
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    text = render_config(
        bolt_port=bolt_port,
        http_port=http_port,
        dist_dir=dist_dir,
        home=home,
        heap=os.environ.get("CHIPKG_NEO4J_HEAP", "1g"),
        pagecache=os.environ.get("CHIPKG_NEO4J_PAGECACHE", "512m"),
    )
    path = home / "conf" / "neo4j.conf"
    path.write_text(text)
    return path
