"""The instance's password: read, saved 0600, and set before the very first start."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from chipkg.errors import Neo4jUnavailable


def read_password(password_file: Path, home: Path) -> str:
    """``NEO4J_PASSWORD`` if set, else the stored one; never creates one (only start does)."""
    env = os.environ.get("NEO4J_PASSWORD")
    if env:
        return env
    try:
        stored = password_file.read_text().strip()
    except FileNotFoundError:
        stored = ""
    if not stored:
        raise Neo4jUnavailable(
            f"no password for the managed Neo4j in {home} (no {password_file.name} file there, "
            "NEO4J_PASSWORD unset): run `chipkg neo4j start`, or set CHIPKG_NEO4J_HOME "
            "to the home of the server you started"
        )
    return stored


def ensure_password(password_file: Path) -> str:
    """For ``start``: ``NEO4J_PASSWORD`` or the stored one, else a new one; saved 0600."""
    value = os.environ.get("NEO4J_PASSWORD", "")
    if not value and password_file.is_file():
        value = password_file.read_text().strip()
    if not value:
        value = secrets.token_urlsafe(18)
    check_strength(value)
    store_password(password_file, value)
    return value


def store_password(password_file: Path, value: str) -> None:
    """Write the password file readable by its owner only."""
    password_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    os.chmod(password_file, 0o600)


def check_strength(value: str) -> None:
    """Neo4j refuses passwords shorter than 8 characters; say so before it does."""
    if len(value) < 8:
        raise Neo4jUnavailable("NEO4J_PASSWORD must have at least 8 characters")


@contextlib.contextmanager
def initial_password_args(run_dir: Path, value: str) -> Iterator[str]:
    """``@file`` argument for ``neo4j-admin dbms set-initial-password``.

    neo4j-admin reads arguments from ``@<file>`` (picocli AtFiles), so the password
    lives in a 0600 file for the second the tool runs, never on a command line.
    ``--`` ends the options: a generated password may start with ``-``.
    """
    run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = run_dir / f"initial-password-{os.getpid()}.args"
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"dbms\nset-initial-password\n--\n{quoted}\n")
        yield f"@{path}"
    finally:
        path.unlink(missing_ok=True)
