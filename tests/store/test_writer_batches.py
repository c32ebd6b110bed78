"""``Store.writer(batch_size)`` writes full batches as it goes and the same graph as one write."""

from __future__ import annotations

from chipkg.graph import Store
from chipkg.ontology import Claim, Entity


def test_a_writer_in_batches_of_two_writes_what_one_write_does(
    store: Store, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    repeated = [*sample_claims, *sample_claims[:2]]  # the same facts again, in a later batch
    with store.writer(batch_size=2) as writer:
        for entity in sample_entities:
            writer.add_entity(entity)
        assert writer.written == len(sample_entities) - len(sample_entities) % 2
        for claim in repeated:
            writer.add_claim(claim)
    assert writer.written == len(sample_entities) + len(repeated)
    assert writer.report.new_claims == len({c.key for c in sample_claims})
    batched = (list(store.entities()), list(store.claims()))
    store.clear()
    store.write(sample_entities, repeated)
    assert (list(store.entities()), list(store.claims())) == batched


def test_a_block_within_one_batch_that_raises_writes_nothing(
    store: Store, sample_entities: list[Entity]
) -> None:
    try:
        with store.writer(batch_size=len(sample_entities) + 1) as writer:
            for entity in sample_entities:
                writer.add_entity(entity)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert writer.written == 0
    assert store.counts().to_json() == {"nodes": {}, "relationships": {}}
