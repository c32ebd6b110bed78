"""Write an export all-or-nothing: a failed export never leaves a half-written file or directory."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from chipkg.errors import InputError

#: A directory holding this file is a previous neo4j-csv export and may be replaced.
EXPORT_MARKER = "import.sh"


@contextmanager
def atomic_file(path: Path | None) -> Iterator[IO[bytes]]:
    """A binary handle on a temporary file renamed to ``path`` on success (stdout if None)."""
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    if path.is_dir():
        raise InputError("is a directory; give a file name with -o", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with temp.open("wb") as handle:
            yield handle
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """A temporary directory that replaces ``path`` on success.

    ``path`` must be missing, empty or an earlier export (it holds ``import.sh``),
    so an export never deletes a user's unrelated files.
    """
    if path.exists() and not path.is_dir():
        raise InputError("is a file; neo4j-csv needs a directory (-o DIR)", str(path))
    if path.is_dir() and any(path.iterdir()) and not (path / EXPORT_MARKER).exists():
        raise InputError("directory is not empty and holds no earlier export", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        yield temp
        if path.exists():
            path.rename(old)
        temp.rename(path)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
