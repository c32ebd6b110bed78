"""The instance's password: read, saved 0600, and set before the very first start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from chipkg.errors import Neo4jUnavailable


def read_or_create_password(password_file: Path) -> str:
    """``NEO4J_PASSWORD`` if set, else the stored one, else a new one (saved 0600)."""
    env = os.environ.get("NEO4J_PASSWORD")
    if env:
        return env
    if password_file.is_file():
        return password_file.read_text().strip()
    generated = secrets.token_urlsafe(18)
    store_password(password_file, generated)
    return generated


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
