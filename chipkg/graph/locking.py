"""The embedded store's writer lock: one ``flock`` on ``<db>/.lock`` per changing process.

``flock`` locks belong to the open file, so the kernel releases them when the
process dies, however it dies: a SIGKILLed writer never leaves the store locked.
The holder writes its pid into the file so that a waiting writer can say whom
it waits for.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from chipkg.errors import StoreBusy, StoreError

LOCK_FILE = ".lock"
POLL_SECONDS = 0.05


class WriterLock:
    """``with WriterLock(path, timeout):`` holds the store's exclusive writer lock.

    With ``timeout=None`` a second writer waits as long as it takes (saying so once
    on stderr); with a number it gives up after that many seconds with
    :class:`StoreBusy`. ``on_acquire`` runs once the lock is held.
    """

    def __init__(
        self,
        path: Path,
        timeout: float | None = None,
        on_acquire: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.on_acquire = on_acquire
        self._fd: int | None = None

    @property
    def file(self) -> Path:
        """The lock file."""
        return self.path / LOCK_FILE

    def __enter__(self) -> WriterLock:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock {self.file}: {exc.strerror or exc}") from exc
        try:
            self._acquire(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            if self.on_acquire is not None:
                self.on_acquire()
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the flock
            self._fd = None

    def _acquire(self, fd: int) -> None:
        """Take the lock, waiting (with one message) up to ``timeout`` seconds."""
        if _try_lock(fd):
            return
        holder = _holder(fd)
        limit = "" if self.timeout is None else f" (up to {self.timeout:g}s, --lock-timeout)"
        print(
            f"waiting for another chipkg writer{holder} on {self.path}{limit}",
            file=sys.stderr,
            flush=True,
        )
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while not _try_lock(fd):
            if deadline is not None and time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{self.path} is locked by another chipkg writer{holder}; "
                    f"gave up after {self.timeout:g}s (--lock-timeout)"
                )
            time.sleep(POLL_SECONDS)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """`` (pid N)`` from the lock file, or nothing when it cannot be read."""
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""
