"""The extractor's output is unchanged by speed work: compared with a committed snapshot.

See ``tests/support/text_golden.py`` for what the snapshot holds and how to regenerate it.
"""

from __future__ import annotations

import json
from collections import Counter

from tests.support.text_golden import GOLDEN, ROOT, inputs, snapshot


def test_snapshot_covers_every_annotated_text_and_the_corpus() -> None:
    """The snapshot names every input file, so a new text cannot slip past it."""
    lines = GOLDEN.read_text("utf-8").splitlines()
    files = {json.loads(line)["file"] for line in lines}
    names = {p.relative_to(ROOT).as_posix() for p, _ in inputs()}
    assert len(names) >= 78  # 74 annotated texts and 4 corpus texts when written
    assert sorted(names - files) == []


def test_extractor_output_equals_snapshot() -> None:
    """Every entity and claim line, in order, equals the snapshot's."""
    expected = GOLDEN.read_text("utf-8").splitlines()
    got = snapshot()
    if got != expected:
        extra = Counter(got) - Counter(expected)
        lost = Counter(expected) - Counter(got)
        detail = [f"+ {line[:300]}" for line in list(extra)[:5]]
        detail += [f"- {line[:300]}" for line in list(lost)[:5]]
        order = "same lines, different order" if not extra and not lost else ""
        raise AssertionError(
            f"extractor output differs from {GOLDEN.name} "
            f"({len(got)} vs {len(expected)} lines) {order}\n" + "\n".join(detail)
        )
