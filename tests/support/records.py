"""Claims built in one line for tests that need a fact with provenance."""

from __future__ import annotations

from chipkg.ontology import Claim


def make_claim(
    subject: str, predicate: str, obj: str, source: str = "source/test-a", **kw: object
) -> Claim:
    """A claim with one piece of evidence from ``source``."""
    evidence = {"source": source, "quote": kw.pop("quote", f"{subject} {predicate} {obj}")}
    return Claim.model_validate(
        {"subject": subject, "predicate": predicate, "object": obj, "evidence": evidence, **kw}
    )
