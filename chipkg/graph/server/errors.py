"""The server's own error type and the helpers that keep its messages one line."""

from __future__ import annotations

from chipkg.errors import Neo4jUnavailable


class Neo4jStartError(Neo4jUnavailable):
    """A start that failed; ``details`` holds the log tail the CLI may print."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def tail_text(text: str, lines: int = 20) -> str:
    """Last ``lines`` lines of a string."""
    return "\n".join(text.splitlines()[-lines:])


def first_error(output: str) -> str:
    """The line of a Java tool's output that names the problem."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if "Exception:" in line or line.lower().startswith(("error", "failed")):
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]
