"""``neo4j-admin`` run in-process from the distribution's jars."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from chipkg.graph.server.distribution import JVM_FLAGS
from chipkg.graph.server.process import private_env

ADMIN_TOOL = "org.neo4j.cli.AdminTool"


def admin_command(dist_dir: Path, args: Sequence[str], java: str = "java") -> list[str]:
    """Command line for ``neo4j-admin <args>`` run from the dist's lib."""
    heap = os.environ.get("CHIPKG_NEO4J_ADMIN_HEAP", "1g")
    classpath = f"{dist_dir / 'lib'}/*"
    return [java, f"-Xmx{heap}", *JVM_FLAGS, "-cp", classpath, ADMIN_TOOL, *args]


def run_admin(
    home: Path, cmd: Sequence[str], timeout: float = 3600, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an admin command line against ``home`` (files it makes are private); output merged."""
    return subprocess.run(
        list(cmd),
        cwd=home,
        env=private_env(home),
        umask=0o077,
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def import_args(
    nodes: Sequence[str | Path],
    relationships: Sequence[str | Path],
    database: str,
    extra_args: Sequence[str],
) -> list[str]:
    """Arguments of ``database import full``, database first.

    ``--nodes``/``--relationships`` take several values and would swallow a trailing name.
    """
    args = ["database", "import", "full", database, "--overwrite-destination=true"]
    args += [f"--nodes={path}" for path in nodes]
    args += [f"--relationships={path}" for path in relationships]
    return [*args, *extra_args]
