"""Merging many records of one fact at once gives what validating all their evidence gives."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from chipkg.graph.store import merge_batch
from chipkg.ontology import Claim, Entity
from chipkg.ontology.records import merge_claims, merge_entities

MODALITY = st.sampled_from(["asserted", "reported", "rumored", "speculative", "negated"])
EVIDENCE = st.fixed_dictionaries(
    {
        "source": st.sampled_from(["source/a", "source/b", "source/c"]),
        "row": st.integers(1, 30),
        "modality": MODALITY,
        "confidence": st.floats(0.0, 1.0),
        "valid_from": st.sampled_from([None, "2020", "2021-05", "2019-01-02"]),
    }
)


def supplies(evidence: list[dict[str, object]], derived: bool = False) -> Claim:
    return Claim.model_validate(
        {
            "subject": "company/a",
            "predicate": "SUPPLIES",
            "object": "company/b",
            "evidence": evidence,
            "derived": derived,
        }
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(EVIDENCE, min_size=1, max_size=4), min_size=1, max_size=12))
def test_merge_claims_equals_validating_all_evidence_at_once(
    groups: list[list[dict[str, object]]],
) -> None:
    claims = [supplies(group) for group in groups]
    expected = supplies([ev for group in groups for ev in group])
    assert merge_claims(claims) == expected
    assert functools.reduce(lambda a, b: a.merged_with(b), claims) == expected
    assert merge_batch([], claims)[1] == [expected]


def test_merged_claim_is_derived_only_if_all_were() -> None:
    ev = {"source": "source/a", "row": 1}
    assert merge_claims([supplies([ev], True), supplies([ev], True)]).derived
    assert not merge_claims([supplies([ev], True), supplies([ev], False)]).derived


def test_merge_entities_first_name_wins_aliases_and_lists_unite() -> None:
    records = [
        Entity(id="company/a", label="Company", name="Acme", aliases=["ACME Inc"]),
        Entity(id="company/a", label="Company", name="Acme Corp", aliases=["A"]),
        Entity(id="company/a", label="Company", name="Acme", aliases=["ACME Inc", "Z"]),
    ]
    merged = merge_entities(records)
    assert merged.name == "Acme"
    assert merged.aliases == ["A", "ACME Inc", "Acme Corp", "Z"]
    assert functools.reduce(lambda a, b: a.merged_with(b), records) == merged
