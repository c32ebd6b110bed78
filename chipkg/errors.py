"""Errors that the CLI turns into one readable line and a non-zero exit.

Every failure a user can cause (bad file, unknown type, server down) is a
``ChipkgError``; anything else is a bug and keeps its traceback under ``--debug``.
"""

from __future__ import annotations

import errno


class ChipkgError(Exception):
    """A user-facing failure: the message is the whole story, on one line."""

    exit_code = 1


class OntologyError(ChipkgError):
    """A label, relationship type or property the ontology does not allow (bad input)."""

    exit_code = 2


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


class StoreBusy(StoreError):
    """Another process holds the store's writer lock past ``--lock-timeout``.

    75 is ``EX_TEMPFAIL`` (sysexits.h): nothing is wrong, try again later.
    """

    exit_code = 75


class DiskFullError(StoreError):
    """No space left while writing the store; the message names the path."""

    exit_code = 2


class Neo4jUnavailable(StoreError):
    """Neo4j is down, unreachable or refuses the credentials."""

    exit_code = 3


class NotFoundError(ChipkgError):
    """An entity name that resolves to nothing; the message suggests close matches."""

    exit_code = 2


def input_failure(exc: BaseException) -> ChipkgError | None:
    """The user-facing error behind an exception that escaped the loaders, if any.

    Python's parsers raise ``RecursionError`` on input nested deeper than the
    interpreter's stack, and any write can hit a full disk; both are the input's
    or the machine's fault, not a bug, so they exit 2 with one line.
    """
    if isinstance(exc, RecursionError):
        return InputError("input is nested too deeply to read (RecursionError)")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        where = f"{exc.filename}: " if exc.filename else ""
        return DiskFullError(f"{where}no space left on the device")
    return None
