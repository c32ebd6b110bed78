"""Where the tests' own files live, so a test's folder depth never matters."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
DATA = TESTS / "data"
SUPPORT = TESTS / "support"
