"""The FollowTheMoney / OpenSanctions loader on a small hand-written JSON-lines file."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipkg.errors import InputError
from chipkg.loaders.base import LoadResult, detect_format, load_path
from chipkg.loaders.bloom import Bloom
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim
from tests.support.load_helpers import assert_second_load_changes_nothing
from tests.support.paths import DATA as TEST_DATA

DATA = TEST_DATA / "ftm"
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
    skipped = result.tallies[0].skipped
    assert skipped["schema Person (not loaded)"] == 1 and skipped["schema Vessel (not loaded)"] == 1
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


# The published shape: caption, referents, datasets, first_seen/last_seen; nested exports.


def test_published_records_load_with_a_row_summary() -> None:
    result = load("published.ftm.json")
    assert detect_format(DATA / "published.ftm.json") == "ftm"
    tally = result.tallies[0]
    assert (tally.read, tally.mapped) == (14, 8)
    assert tally.skipped == {
        "Address of no loaded party": 1,
        "Directorship with a party not loaded": 1,
        "Ownership with a party not loaded": 1,
        "Sanction of a record not loaded": 1,
        "schema Person (not loaded)": 1,
        "schema Vessel (not loaded)": 1,
    }
    assert any("1 Ownership -> Person links skipped" in n for n in result.notes)
    assert any("country codes with no ISO country: suhh (1)" in n for n in result.notes)


def test_references_through_referents_reach_the_merged_entity() -> None:
    result = load("published.ftm.json")
    (listing,) = claims(result, "TARGETS", "company/huawei")  # the Sanction names a referent
    assert listing.valid_from == "2019-05-16"
    owned = claims(result, "SUBSIDIARY_OF", "company/huawei")
    assert [(c.subject, c.properties) for c in owned] == [("company/hisilicon", {"share": 1.0})]


def test_evidence_keeps_the_record_id_datasets_and_seen_dates() -> None:
    result = load("published.ftm.json")
    (listing,) = claims(result, "TARGETS", "company/huawei")
    quote = next(ev.quote for ev in listing.evidence if ev.row == 3)
    assert quote is not None and quote.startswith("Example reason text written for tests.")
    assert "ftm sanc-example-1; datasets us_trade_csl; 2023-01-05T10:00:00..2026-11-30" in quote


def test_corporate_director_is_read_as_control_with_lower_confidence() -> None:
    result = load("published.ftm.json")
    holding = next(e.id for e in result.entities if e.name == "Example Chip Holding Limited")
    (control,) = claims(result, "SUBSIDIARY_OF", holding)
    assert control.subject == "company/hisilicon" and control.valid_from == "2021-03"
    assert control.confidence == 0.6 and control.properties == {}


def test_sanction_without_programme_is_keyed_by_its_dataset() -> None:
    result = load("published.ftm.json")
    holding = next(e.id for e in result.entities if e.name == "Example Chip Holding Limited")
    (listing,) = claims(result, "TARGETS", holding)
    reg = next(e for e in result.entities if e.id == listing.subject)
    assert reg.name == "OpenSanctions example_watchlist" and listing.valid_from == "2024-12-02"


def test_nested_export_is_flattened_and_points_back_to_its_parent() -> None:
    result = load("targets.nested.json")
    assert result.tallies[0].read == 4 and result.tallies[0].skipped == {}
    (listing,) = claims(result, "TARGETS", "company/smic")
    assert listing.valid_from == "2020-12-22"
    (owned,) = [c for c in claims(result, "SUBSIDIARY_OF") if c.subject == "company/smic"]
    assert owned.properties == {"share": 0.51}


def test_skip_invalid_counts_a_bad_line_once(tmp_path: Path) -> None:
    lines = (DATA / "published.ftm.json").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:30]  # HiSilicon's line, truncated
    path = tmp_path / "bad.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.ftm.json:4: truncated or invalid JSON"):
        load_path(path, Resolver.of(REFERENCE), "ftm")
    result = load_path(path, Resolver.of(REFERENCE), "ftm", skip_invalid=True)
    # The bad line is reported once; the two links naming the lost HiSilicon record then
    # point at an id the file lacks, and are skipped too.
    where = [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in result.skipped]
    assert where == ["4", "5", "7"]
    assert result.tallies[0].skipped["malformed (--skip-invalid)"] == 3
    assert claims(result, "TARGETS", "company/huawei")


def test_bloom_filter_never_forgets_an_id() -> None:
    seen = Bloom(bits=1 << 16)
    ids = [f"NK-{n}" for n in range(3000)]
    for key in ids:
        seen.add(key)
    assert all(key in seen for key in ids)
    strangers = sum(f"Q-{n}" in seen for n in range(3000))
    assert strangers < 300  # a small filter: false positives are rare, never negatives
