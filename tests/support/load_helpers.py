"""Checks shared by the structured-loader tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chipkg.graph import EmbeddedStore
from chipkg.loaders.base import load_path
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver


def assert_second_load_changes_nothing(db: Path, path: Path, fmt: str) -> None:
    """Load ``path`` twice on top of the reference data: the second load adds nothing."""
    store = EmbeddedStore(db)
    try:
        reference = load_reference()
        store.write(reference.entities, reference.claims)
        counts = []
        for _ in range(2):
            result = load_path(path, Resolver.of(store.entities()), fmt)
            report = store.write(result.entities, result.claims)
            counts.append(store.counts().to_json())
        assert report.new_entities == 0 and report.new_claims == 0
        assert counts[0] == counts[1]
    finally:
        store.close()


def run_load(*args: str) -> subprocess.CompletedProcess[str]:
    """``chipkg load --quiet ARGS`` in a subprocess, so exit codes are the real ones."""
    return subprocess.run(
        [sys.executable, "-m", "chipkg", "load", "--quiet", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1", "COLUMNS": "200"},
        timeout=300,
    )
