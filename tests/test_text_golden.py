"""The extractor's output is unchanged by speed work: compared with a committed snapshot.

See ``tests/text_golden.py`` for what the snapshot holds and how to regenerate it.
"""

from __future__ import annotations

from collections import Counter

from tests.text_golden import GOLDEN, inputs, snapshot


def test_snapshot_covers_every_annotated_text_and_the_corpus() -> None:
    """The snapshot names every input file, so a new text cannot slip past it."""
    lines = GOLDEN.read_text("utf-8").splitlines()
    files = {line.split('"file": "', 1)[1].split('"', 1)[0] for line in lines}
    assert len(inputs()) >= 80
    missing = [p.name for p, _ in inputs() if not any(f.endswith(p.name) for f in files)]
    assert missing == []


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
