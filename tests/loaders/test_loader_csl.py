"""The Consolidated Screening List loader on small hand-written CSV and JSON exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chipkg.errors import InputError
from chipkg.loaders.base import LoadResult, detect_format, load_path
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim, Entity
from tests.support.load_helpers import assert_second_load_changes_nothing
from tests.support.paths import DATA as TEST_DATA

DATA = TEST_DATA / "csl"
REFERENCE = load_reference().entities


def curated() -> Resolver:
    """A resolver that knows the curated reference entities, as ``chipkg load`` builds it."""
    return Resolver.of(REFERENCE)


def load(name: str, resolver: Resolver | None = None, skip: bool = False) -> LoadResult:
    return load_path(DATA / name, resolver or curated(), "csl", skip_invalid=skip)


def targets(result: LoadResult, obj: str) -> list[Claim]:
    return [c for c in result.claims if c.predicate == "TARGETS" and c.object == obj]


def entity(result: LoadResult, entity_id: str) -> Entity:
    return next(e for e in result.entities if e.id == entity_id)


def test_formats_are_detected() -> None:
    assert detect_format(DATA / "consolidated.csv") == "csl"
    assert detect_format(DATA / "consolidated.json") == "csl"


def test_listings_land_on_curated_companies_and_regulations() -> None:
    result = load("consolidated.csv")
    assert result.skipped == []
    huawei = targets(result, "company/huawei")
    assert [c.subject for c in huawei] == ["regulation/us-entity-list-huawei-2019"]
    assert huawei[0].properties["licence_policy"] == "Presumption of denial."
    assert huawei[0].valid_from == "2019-05-21"
    assert [c.subject for c in targets(result, "company/hisilicon")] == [
        "regulation/us-entity-list-huawei-2019"
    ]
    assert {c.subject for c in targets(result, "company/ymtc")} == {
        "regulation/us-entity-list-ymtc-2022"
    }
    smic = {c.subject for c in targets(result, "company/smic")}
    assert "regulation/us-entity-list-smic-2020" in smic
    assert len(smic) == 2  # the Entity List notice and the Treasury CMIC list


def test_a_subsidiary_sharing_a_word_stays_a_new_entity() -> None:
    result = load("consolidated.csv")
    northern = [e for e in result.entities if e.name.startswith("SMIC Northern")]
    assert len(northern) == 1 and northern[0].id != "company/smic"
    assert targets(result, northern[0].id)


def test_evidence_has_the_file_row_and_the_federal_register_notice() -> None:
    result = load("consolidated.csv")
    claim = targets(result, "company/huawei")[0]
    rows = {ev.row for ev in claim.evidence if ev.row is not None}
    assert rows == {2}  # the Huawei entry is on line 2 of the CSV
    kinds = {entity(result, s).properties.get("kind") for s in claim.sources}
    assert kinds == {"dataset", "official_document"}
    notice = next(s for s in claim.sources if "federal-register" in s)
    assert entity(result, notice).name == "Federal Register 84 FR 22961"


def test_new_listing_gets_a_regulation_issuer_and_countries() -> None:
    result = load("consolidated.csv")
    company = "company/example-optics-trading"
    assert {e.id for e in result.entities} >= {company, "country/hk"}
    located = {
        c.object for c in result.claims if c.predicate == "LOCATED_IN" and c.subject == company
    }
    assert located == {"country/hk", "country/sg"}
    reg_id = targets(result, company)[0].subject
    reg = entity(result, reg_id)
    assert reg.properties["citation"] == "99 FR 12345"
    # The notice's regulation starts at its earliest listing (line 11 is dated before line 7).
    assert reg.properties["effective_from"] == "2029-12-30"
    assert reg.properties["jurisdiction"] == "country/us"
    issued = [c.object for c in result.claims if c.predicate == "ISSUED_BY" and c.subject == reg_id]
    assert issued == ["governmentbody/us-bis"]


def test_treasury_list_without_notice_is_keyed_by_list_and_programme() -> None:
    result = load("consolidated.csv")
    cmic = [e for e in result.entities if e.label == "Regulation" and "CMIC" in e.name]
    assert len(cmic) == 1
    assert "effective_from" not in cmic[0].properties  # a whole list has no one start date
    listed = [c for c in result.claims if c.predicate == "TARGETS" and c.subject == cmic[0].id]
    assert [c.valid_from for c in listed] == ["2021-06-03"]
    issued = [
        c.object for c in result.claims if c.predicate == "ISSUED_BY" and c.subject == cmic[0].id
    ]
    assert len(issued) == 1 and entity(result, issued[0]).name == "Office of Foreign Assets Control"


def test_people_and_vessels_are_counted_not_loaded() -> None:
    result = load("consolidated.csv")
    assert any("1 vessel entries" in n for n in result.notes)
    assert any("1 individual entries" in n for n in result.notes)
    assert not any("EXAMPLE STAR" in e.name or "DOE" in e.name for e in result.entities)


def test_json_export_gives_the_same_facts_with_line_numbers() -> None:
    result = load("consolidated.json")
    claim = targets(result, "company/smic")[0]
    row = next(ev.row for ev in claim.evidence if ev.row is not None)
    lines = (DATA / "consolidated.json").read_text(encoding="utf-8").splitlines()
    assert lines[row - 1].strip() == "{"
    assert "Semiconductor Manufacturing International" in "".join(lines[row : row + 8])
    located = {c.object for c in result.claims if c.predicate == "LOCATED_IN"}
    assert located == {"country/cn"}


def test_resolution_is_recorded_for_explain_merges() -> None:
    resolver = curated()
    load("consolidated.csv", resolver)
    merged = {(m.name, m.entity_id) for m in resolver.merges}
    assert ("Semiconductor Manufacturing International Corporation", "company/smic") in merged
    assert ("84 FR 22961", "regulation/us-entity-list-huawei-2019") in merged


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_date.csv", "bad_date.csv:3: bad date '2020-13-45' in start_date"),
        ("bad_type.csv", "bad_type.csv:3: unknown type 'Spaceship'"),
        ("missing_column.csv", "missing_column.csv:1: missing column(s): name"),
        ("short_row.csv", "short_row.csv:3: wrong number of fields"),
        ("bad_date.json", "bad_date.json:28: bad date 'not a date'"),
        ("empty.csv", "empty.csv: empty file"),
        ("latin1.csv", "latin1.csv:2: not valid UTF-8"),
        ("truncated.json", "truncated.json:54: truncated or invalid JSON"),
    ],
)
def test_bad_input_fails_with_file_and_line(name: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_skip_invalid_loads_the_rest_and_says_why() -> None:
    result = load("bad_date.csv", skip=True)
    assert len(result.skipped) == 1 and "bad_date.csv:3: bad date" in result.skipped[0]
    assert targets(result, "company/huawei") and targets(result, "company/ymtc")
    assert not targets(result, "company/smic")


def test_loading_twice_changes_no_count(tmp_path: Path) -> None:
    assert_second_load_changes_nothing(tmp_path / "db", DATA / "consolidated.csv", "csl")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipkg", "load", "--quiet", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1", "COLUMNS": "200"},
        timeout=300,
    )


def test_cli_skip_invalid_and_explain_merges(tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    bad = _cli("--db", db, str(DATA / "bad_date.csv"))
    assert bad.returncode != 0
    assert "bad_date.csv:3: bad date" in bad.stderr + bad.stdout
    ok = _cli(
        "--db", db, "--reference", "--skip-invalid", "--explain-merges", str(DATA / "bad_date.csv")
    )
    assert ok.returncode == 0, ok.stderr
    assert "skipped 1 invalid rows" in ok.stdout
    assert "merged 'Huawei Technologies Co., Ltd.' -> company/huawei" in ok.stdout


# The published layout: BIS and State lists give no ``type``; notices come in several forms.


@pytest.mark.parametrize("name", ["published.csv", "published.json"])
def test_published_lists_load_whole_with_a_row_summary(name: str) -> None:
    result = load(name)
    assert detect_format(DATA / name) == "csl"
    tally = result.tallies[0]
    assert (tally.read, tally.mapped) == (10, 9)
    assert tally.skipped == {"individual (TARGETS takes companies)": 1}
    assert any("8 entries without a type" in n for n in result.notes)
    listed = {c.object for c in result.claims if c.predicate == "TARGETS"}
    assert len(listed) == 9


@pytest.mark.parametrize("name", ["published.csv", "published.json"])
def test_licence_review_is_derived_and_published_texts_kept(name: str) -> None:
    result = load(name)

    def review(prefix: str) -> object:
        (claim,) = [c for c in result.claims if c.predicate == "TARGETS" and prefix in c.object]
        return claim.properties.get("licence_review")

    assert review("company/hygon") == "presumption_of_denial"
    # "Policy of denial ... food and medicine ... case-by-case": the strictest policy named.
    assert review("research-institute") == "presumption_of_denial"
    assert review("case-example-optics") == "case_by_case"
    assert review("approval-example") == "presumption_of_approval"
    # MEU: a licence is required, the review policy is only referenced, not stated.
    assert review("aero-engine") == "license_required"
    assert review("example-shipping") is None  # an OFAC listing states no licence policy
    meu = next(c for c in result.claims if "aero-engine" in c.object and c.predicate == "TARGETS")
    assert meu.properties["licence_policy"].startswith("The license application procedure")
    assert meu.properties["licence_requirement"].startswith("For any item subject to the EAR")


@pytest.mark.parametrize("name", ["published.csv", "published.json"])
def test_listings_are_dated_by_start_date_or_notice(name: str) -> None:
    result = load(name)

    def listing(prefix: str) -> Claim:
        return next(c for c in result.claims if c.predicate == "TARGETS" and prefix in c.object)

    hygon = listing("company/hygon")
    assert hygon.valid_from == "2019-06-24" and hygon.subject == "regulation/us-84-fr-29371"
    notices = sorted(entity(result, s).name for s in hygon.sources if "federal-register" in s)
    assert notices == ["Federal Register 84 FR 29371", "Federal Register 99 FR 11111"]
    # "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02" and no start_date: the earliest notice date.
    denied = listing("example-exports")
    assert (denied.valid_from, denied.valid_to) == ("2002-03-11", "2032-03-04")
    assert entity(result, denied.subject).properties["citation"] == "67 FR 56530"


@pytest.mark.parametrize("name", ["published.csv", "published.json"])
def test_names_lose_boilerplate_and_acronyms_become_aliases(name: str) -> None:
    result = load(name)
    names = {e.name for e in result.entities if e.label == "Company"}
    assert "Example Import and Export Company" in names
    institute = next(e for e in result.entities if e.name.startswith("Example Semiconductor"))
    assert {"ESRI", "Example Semiconductor Research Institute", "ESI"} <= set(institute.aliases)
    assert "Example Research Institute 9" in institute.aliases  # the list's "and ..." dropped


def test_city_prefixed_chinese_name_resolves_through_its_address(tmp_path: Path) -> None:
    resolver = curated()
    result = load("published.csv", resolver)
    assert [c.subject for c in targets(result, "company/hygon")] == ["regulation/us-84-fr-29371"]
    via = {(m.name, m.entity_id, m.via) for m in resolver.merges}
    assert ("Wuxi Hygon Information Technology Co., Ltd.", "company/hygon", "address") in via
    # The same name with a city that is not in its address stays a new company.
    other = curated()
    text = (DATA / "published.csv").read_text(encoding="utf-8").replace("Wuxi, Jiangsu", "Nanjing")
    path = tmp_path / "published.csv"
    path.write_text(text, encoding="utf-8")
    moved = load_path(path, other, "csl")
    assert not targets(moved, "company/hygon")


@pytest.mark.parametrize("name", ["published.csv", "published.json"])
def test_licence_scope_is_the_phrase_the_review_policy_covers(name: str) -> None:
    result = load(name)

    def scope(prefix: str) -> object:
        (claim,) = [c for c in result.claims if c.predicate == "TARGETS" and prefix in c.object]
        return claim.properties.get("licence_scope")

    assert scope("case-example-optics") == "items not described in the rule"
    assert str(scope("research-institute")).startswith("all items subject to the EAR apart from")
    assert scope("company/hygon") is None  # "Presumption of denial." covers the whole listing


def test_scoped_denial_keeps_its_scope_next_to_the_published_text() -> None:
    result = load("consolidated.csv")
    (claim,) = [
        c
        for c in targets(result, "company/smic")
        if c.subject == "regulation/us-entity-list-smic-2020"
    ]
    assert claim.properties["licence_review"] == "presumption_of_denial"
    assert claim.properties["licence_scope"] == (
        "items uniquely required to produce semiconductors at advanced technology nodes"
    )
    assert claim.properties["licence_policy"].endswith("case-by-case otherwise.")
