"""Errors that the CLI turns into one readable line and a non-zero exit.

Every failure a user can cause (bad file, unknown type, server down) is a
``ChipkgError``; anything else is a bug and keeps its traceback under ``--debug``.
"""

from __future__ import annotations


class ChipkgError(Exception):
    """A user-facing failure: the message is the whole story, on one line."""

    exit_code = 1


class OntologyError(ChipkgError):
    """A label, relationship type or property the ontology does not allow."""


class InputError(ChipkgError):
    """A malformed input file; the message names the file and line."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class StoreError(ChipkgError):
    """A store that cannot be opened, read or written."""


class Neo4jUnavailable(StoreError):
    """Neo4j is down, unreachable or refuses the credentials."""

    exit_code = 3


class NotFoundError(ChipkgError):
    """An entity name that resolves to nothing; the message suggests close matches."""
