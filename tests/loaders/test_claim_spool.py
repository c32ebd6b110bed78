"""Claims parked on disk by a streaming load come back equal, in order, as often as asked."""

from __future__ import annotations

from chipkg.loaders.base import ClaimSpool
from chipkg.ontology import Claim
from chipkg.synth import generate
from tests.support.records import make_claim


def test_parked_claims_come_back_equal_and_in_order(sample_claims: list[Claim]) -> None:
    odd = make_claim(
        "company/acme",
        "SUPPLIES",
        "company/beta",
        properties={"item": "Ké 90 “nm”"},
        valid_to="2024-12-31",
        quote="non fornirà più — 不再供应",
        modality="negated",
    )
    claims = [*sample_claims, odd, *(r for r in generate(200, seed=8) if isinstance(r, Claim))]
    assert any(len(c.evidence) > 1 for c in claims)
    spool = ClaimSpool()
    try:
        for claim in claims:
            spool.add(claim)
        assert spool.count == len(claims)
        assert list(spool) == claims
        spool.add(claims[0])  # parking goes on after a read
        assert list(spool) == [*claims, claims[0]]
    finally:
        spool.close()
