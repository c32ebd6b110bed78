"""A throwaway managed Neo4j for tests that stop or restart their server.

Its home lives under pytest's tmp dir and it listens on free ephemeral ports; it
reuses the already-downloaded distribution. The shared test server is never touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chipkg.graph.neo4j_settings import Neo4jSettings, connect
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.graph.server import ManagedNeo4j


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m chipkg ARGS`` with ``env`` on top of ours (no inherited ``NEO4J_URI``)."""
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env=chipkg_env(env),
        timeout=600,
    )


def chipkg_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of a ``chipkg`` subprocess pointed at the instance of ``env``."""
    full_env = {**os.environ, "CI": "1"}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
        full_env.pop(name, None)
    full_env.update(env)
    return full_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def managed(env: dict[str, str]) -> Iterator[ManagedNeo4j]:
    """The ``ManagedNeo4j`` of ``env`` (it reads its home and ports from the environment)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("NEO4J_URI", raising=False)
        patch.delenv("NEO4J_PASSWORD", raising=False)
        yield ManagedNeo4j()


@contextmanager
def throwaway_neo4j(home: Path) -> Iterator[dict[str, str]]:
    """Start an instance with its own ``home``; yield the env that points ``chipkg`` at it."""
    shared = ManagedNeo4j()
    env = {
        "CHIPKG_NEO4J_HOME": str(home),
        "CHIPKG_NEO4J_BOLT_PORT": str(free_port()),
        "CHIPKG_NEO4J_HTTP_PORT": str(free_port()),
        "CHIPKG_NEO4J_HEAP": "512m",
        "CHIPKG_NEO4J_PAGECACHE": "128m",
    }
    if shared.installed:
        env["CHIPKG_NEO4J_DIST"] = str(shared.dist_dir)
    with managed(env) as server:
        server.start()
        try:
            yield env
        finally:
            with managed(env) as again:
                again.stop()


def reconnect(env: dict[str, str]) -> Neo4jStore:
    """A fresh store on the instance of ``env`` (after a restart the old driver is stale)."""
    with managed(env) as server:
        settings = Neo4jSettings(uri=server.bolt_uri, password=server.password())
    return Neo4jStore(connect(settings), settings.database, settings.uri)


def stored_password(env: dict[str, str]) -> str:
    return (Path(env["CHIPKG_NEO4J_HOME"]) / "password").read_text().strip()
