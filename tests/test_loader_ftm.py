"""The FollowTheMoney / OpenSanctions loader on a small hand-written JSON-lines file."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipkg.errors import InputError
from chipkg.loaders.base import LoadResult, detect_format, load_path
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim
from tests.load_helpers import assert_second_load_changes_nothing

DATA = Path(__file__).parent / "data" / "ftm"
REFERENCE = load_reference().entities


def load(name: str, resolver: Resolver | None = None, skip: bool = False) -> LoadResult:
    return load_path(DATA / name, resolver or Resolver.of(REFERENCE), "ftm", skip_invalid=skip)


def claims(result: LoadResult, predicate: str, obj: str | None = None) -> list[Claim]:
    return [
        c for c in result.claims if c.predicate == predicate and (obj is None or c.object == obj)
    ]


def test_format_is_detected() -> None:
    assert detect_format(DATA / "entities.ftm.json") == "ftm"


def test_parties_resolve_onto_curated_entities() -> None:
    result = load("entities.ftm.json")
    ids = {e.id for e in result.entities}
    assert {"company/huawei", "company/hisilicon", "company/smic", "company/nvidia"} <= ids
    assert not any(e.id.startswith("company/huawei-technologies") for e in result.entities)
    shell = next(e for e in result.entities if e.name == "Example Relay Components Limited")
    assert shell.aliases == ["ERC Ltd"]


def test_countries_come_directly_or_through_addresses() -> None:
    result = load("entities.ftm.json")
    located = {(c.subject, c.object) for c in claims(result, "LOCATED_IN")}
    assert ("company/smic", "country/cn") in located  # via its Address record
    assert ("company/nvidia", "country/us") in located  # via jurisdiction
    assert any(s.endswith("example-relay-components") and o == "country/hk" for s, o in located)


def test_sanctions_become_dated_targets_from_their_programme() -> None:
    result = load("entities.ftm.json")
    huawei = claims(result, "TARGETS", "company/huawei")
    assert len(huawei) == 1 and huawei[0].valid_from == "2019-05-16"
    assert huawei[0].properties["programme"] == "Entity List"
    assert len(huawei[0].sources) == 2  # the file and the sanction's source URL
    reg = next(e for e in result.entities if e.id == huawei[0].subject)
    assert reg.properties["jurisdiction"] == "country/us"
    issued = [c.object for c in claims(result, "ISSUED_BY") if c.subject == reg.id]
    assert issued == ["governmentbody/us-bis"]
    smic = claims(result, "TARGETS", "company/smic")
    assert len({c.subject for c in smic}) == 2
    shell = [c for c in claims(result, "TARGETS") if c.object.endswith("example-relay-components")]
    assert (shell[0].valid_from, shell[0].valid_to) == ("2030-01-01", "2031-12-31")


def test_ownership_becomes_subsidiary_of_with_share() -> None:
    result = load("entities.ftm.json")
    owned = claims(result, "SUBSIDIARY_OF", "company/huawei")
    assert [(c.subject, c.properties["share"]) for c in owned] == [("company/hisilicon", 1.0)]


def test_other_schemas_are_counted_not_fatal() -> None:
    result = load("entities.ftm.json")
    assert any("skipped 2 records of schemas Person (1), Vessel (1)" in n for n in result.notes)
    assert any("Sanction -> Person" in n for n in result.notes)
    assert not any(e.name in ("Jane Example", "EXAMPLE STAR") for e in result.entities)


def test_every_claim_has_the_file_as_source_with_its_line() -> None:
    result = load("entities.ftm.json")
    lines = (DATA / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    for claim in result.claims:
        rows = [ev.row for ev in claim.evidence if ev.row is not None]
        if claim.predicate == "ISSUED_BY" or (claim.predicate == "LOCATED_IN" and not rows):
            continue
        assert rows, claim.key
        assert '"schema"' in lines[rows[0] - 1]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.ftm.json", "truncated.ftm.json:3: truncated or invalid JSON"),
        ("unknown_ref.ftm.json", "unknown_ref.ftm.json:3: unknown entity id 'ex-missing'"),
        ("bad_date.ftm.json", "bad_date.ftm.json:3: bad date '16 May 2019' in startDate"),
        ("not_ftm.ftm.json", "not_ftm.ftm.json:2: not a FollowTheMoney entity"),
        ("empty.ftm.json", "empty.ftm.json: empty file"),
        ("latin1.ftm.json", "latin1.ftm.json:2: not valid UTF-8"),
    ],
)
def test_bad_input_fails_with_file_and_line(name: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    assert message in str(info.value)


def test_skip_invalid_keeps_the_good_lines() -> None:
    result = load("truncated.ftm.json", skip=True)
    assert len(result.skipped) == 1 and ":3: truncated or invalid JSON" in result.skipped[0]
    ids = {e.id for e in result.entities}
    assert "company/huawei" in ids and "company/hisilicon" not in ids  # line 3 is the bad one
    assert claims(result, "TARGETS", "company/huawei")  # the sanction on line 1 still loads


def test_loading_twice_changes_no_count(tmp_path: Path) -> None:
    assert_second_load_changes_nothing(tmp_path / "db", DATA / "entities.ftm.json", "ftm")
