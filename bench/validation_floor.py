"""What reading a claim costs before chipkg does anything: ``python -m bench.validation_floor``.

Issue 17's embedded goal (50,000 rels/s at 100k links) leaves about 18 µs per record
(182,366 claims and 26,136 entities in 3.65 s), start-up and the write included. This
times, in CPU seconds per claim of the 100k generated set, the steps no load can skip
while claims are pydantic models validated once at the edge:
parsing each JSON line, pydantic-core validating the same fields without chipkg's
Python validators, and ``Claim.model_validate_json`` as chipkg does it (with them).
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from pydantic_core import from_json

from bench.common import dataset
from chipkg.ontology import Claim, Evidence


def plain_claim_model() -> type[BaseModel]:
    """Claim's fields and constraints, without its before/after validators."""

    def fields(model: type[BaseModel]) -> dict[str, Any]:
        return {name: (info.annotation, info) for name, info in model.model_fields.items()}

    evidence = create_model(
        "PlainEvidence", __config__=ConfigDict(extra="forbid"), **fields(Evidence)
    )
    claim_fields = {k: v for k, v in fields(Claim).items() if k != "evidence"}
    return create_model(
        "PlainClaim",
        __config__=ConfigDict(extra="ignore"),
        evidence=(list[evidence], ...),  # type: ignore[valid-type]
        **claim_fields,
    )


def cpu_per_item(step: Callable[[bytes], object], lines: list[bytes], rounds: int) -> float:
    """Best of ``rounds``: CPU µs per line."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        started = time.process_time()
        for line in lines:
            step(line)
        best = min(best, time.process_time() - started)
    return 1e6 * best / len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = dataset(args.links)
    claims_file = next(p for p in data.files if p.name.startswith("claims"))
    lines = claims_file.read_bytes().splitlines()
    plain = plain_claim_model()
    steps: dict[str, Callable[[bytes], object]] = {
        "parse the JSON line (pydantic_core.from_json)": from_json,
        "validate the fields, pydantic-core only": plain.model_validate_json,
        "Claim.model_validate_json (chipkg's model)": Claim.model_validate_json,
    }
    print(f"{len(lines):,} claims, load average {os.getloadavg()[0]:.1f}")
    print("| step | CPU µs per claim | s for the set |")
    print("|---|---|---|")
    for name, step in steps.items():
        per = cpu_per_item(step, lines, args.rounds)
        print(f"| {name} | {per:.1f} | {per * len(lines) / 1e6:.2f} |")


if __name__ == "__main__":
    main()
