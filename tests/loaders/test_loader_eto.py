"""The ETO Chip Explorer loader on a small hand-written dataset directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipkg.cli import app
from chipkg.errors import InputError
from chipkg.graph import EmbeddedStore
from chipkg.loaders.base import LoadResult, detect_format, load_path
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Claim
from tests.support.load_helpers import assert_second_load_changes_nothing, run_load
from tests.support.paths import DATA as TEST_DATA

DATA = TEST_DATA / "eto"
REFERENCE = load_reference().entities


def load(name: str, resolver: Resolver | None = None, skip: bool = False) -> LoadResult:
    return load_path(DATA / name, resolver or Resolver.of(REFERENCE), "eto", skip_invalid=skip)


def claim(result: LoadResult, subject: str, predicate: str, obj: str) -> Claim:
    found = [
        c for c in result.claims if (c.subject, c.predicate, c.object) == (subject, predicate, obj)
    ]
    assert len(found) == 1, (subject, predicate, obj)
    return found[0]


def test_directory_is_detected() -> None:
    assert detect_format(DATA / "sample") == "eto"
    with pytest.raises(InputError, match="cannot tell the format"):
        detect_format(DATA / "sample" / "inputs.csv")  # one file of the set is not a dataset


def test_providers_resolve_onto_curated_companies_and_country_codes() -> None:
    result = load("sample")
    ids = {e.id for e in result.entities}
    assert {"company/nvidia", "company/asml", "company/smic", "company/nikon"} <= ids
    assert not any(e.id == "company/nvidia-2" or e.name == "Nvidia" for e in result.entities)
    claim(result, "company/smic", "LOCATED_IN", "country/cn")
    claim(result, "company/asml", "LOCATED_IN", "country/nl")
    # Country providers given as ISO alpha-3 codes are the curated Country nodes.
    claim(result, "country/us", "MANUFACTURES", "product/deposition-equipment")
    claim(result, "country/tw", "MANUFACTURES", "technology/wafer-fabrication")


def test_inputs_map_to_curated_products_or_new_typed_entities() -> None:
    result = load("sample")
    by_id = {e.id: e for e in result.entities}
    assert "product/euv-lithography-system" in by_id
    assert by_id["technology/wafer-fabrication"].properties == {"kind": "process"}
    assert by_id["product/logic-chips"].properties == {"category": "chip"}
    assert by_id["product/eda-software"].label == "Product"


def test_provision_becomes_manufactures_with_share_and_year() -> None:
    result = load("sample")
    euv = claim(result, "company/asml", "MANUFACTURES", "product/euv-lithography-system")
    assert euv.properties == {"market_share": 1.0, "year": 2021}  # ETO shares are percentages
    duv = claim(result, "company/nikon", "MANUFACTURES", "product/duv-immersion-lithography-system")
    assert duv.properties == {"market_share": 0.1, "year": 2021}
    assert len(euv.sources) == 2  # the provision file and the URL it cites
    design = claim(result, "company/nvidia", "MANUFACTURES", "technology/chip-design")
    assert design.properties == {}


def test_sequence_becomes_input_to_and_type_of() -> None:
    result = load("sample")
    claim(result, "product/euv-lithography-system", "INPUT_TO", "technology/wafer-fabrication")
    claim(result, "product/euv-lithography-system", "TYPE_OF", "product/lithography-system")
    claim(result, "technology/wafer-fabrication", "INPUT_TO", "product/logic-chips")


def test_every_claim_cites_its_file_and_line() -> None:
    result = load("sample")
    titles = {e.id: e.name for e in result.entities if e.label == "Source"}
    for c in result.claims:
        ev = next(ev for ev in c.evidence if ev.row is not None)
        file = titles[ev.source].rsplit("/", 1)[-1]
        line = (DATA / "sample" / file).read_text(encoding="utf-8").splitlines()[ev.row - 1]
        assert line.split(",")[0], (c.key, file, ev.row)
    euv = claim(result, "company/asml", "MANUFACTURES", "product/euv-lithography-system")
    row = next(ev for ev in euv.evidence if ev.row is not None)
    assert titles[row.source].endswith("provision.csv") and row.row == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown_provider", "provision.csv:5: unknown provider_id 'P99'"),
        ("bad_share", "provision.csv:3: bad share_provided 'a lot'"),
        ("bad_type", "inputs.csv:4: unknown type 'widget_resource'"),
        ("missing_providers", "missing_providers: missing providers.csv"),
        ("reused_id", "providers.csv:11: provider_id 'P3' reused for 'Canon' (was 'Nikon')"),
        ("empty_inputs", "inputs.csv: empty file"),
        ("latin1", "providers.csv:11: not valid UTF-8"),
    ],
)
def test_bad_input_fails_with_file_and_line(name: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    assert message in str(info.value)


def test_repeated_provider_adds_aliases() -> None:
    result = load("sample")
    asml = next(e for e in result.entities if e.id == "company/asml")
    assert "ASML Netherlands B.V." in asml.aliases


def test_stages_become_technologies_with_country_shares() -> None:
    result = load("sample")
    by_id = {e.id: e for e in result.entities}
    design = next(e for e in result.entities if e.name == "Design stage")
    atp = next(e for e in result.entities if e.name.startswith("Assembly, testing"))
    assert design.properties == {"kind": "design"} and atp.properties == {"kind": "packaging"}
    fab = next(e for e in result.entities if e.name == "Fabrication stage")
    assert by_id[fab.id].properties == {"kind": "process"}
    share = claim(result, "country/us", "MANUFACTURES", design.id)
    assert share.properties == {"market_share": 0.46, "year": 2022}
    # The stage's chart caption says what a stage share measures; it is the quote.
    assert "design market by country" in (share.evidence[0].quote or "")
    assert claim(result, "country/cn", "MANUFACTURES", atp.id).properties["market_share"] == 0.3
    # Processes that name their stage are inputs to it.
    claim(result, "technology/chip-design", "INPUT_TO", design.id)
    claim(result, "technology/wafer-fabrication", "INPUT_TO", fab.id)


def test_stages_come_from_inputs_when_stages_csv_is_absent(tmp_path: Path) -> None:
    folder = tmp_path / "eto"
    shutil.copytree(DATA / "sample", folder)
    (folder / "stages.csv").unlink()
    result = load_path(folder, Resolver.of(REFERENCE), "eto")
    design = next(e for e in result.entities if e.name == "Design stage")
    assert claim(result, "country/us", "MANUFACTURES", design.id).properties["year"] == 2022


def test_unknown_stage_id_is_malformed(tmp_path: Path) -> None:
    folder = tmp_path / "eto"
    shutil.copytree(DATA / "sample", folder)
    with (folder / "provision.csv").open("a", encoding="utf-8") as out:
        out.write("USA,P4,Retail,S9,5.0,2022,\n")
    with pytest.raises(InputError, match=r"provision.csv:19: unknown provided_id 'S9'"):
        load_path(folder, Resolver.of(REFERENCE), "eto")


def test_aggregate_providers_and_their_rows_are_skipped_and_counted() -> None:
    result = load("sample")
    names = {e.name for e in result.entities}
    assert not names & {"Various countries", "Various companies", "EUR", "Europe"}
    tallies = {Path(t.file).name: t for t in result.tallies}
    provision = tallies["provision.csv"]
    assert (provision.read, provision.mapped) == (17, 13)
    assert provision.skipped == {
        "aggregate provider (no single country or company)": 3,
        "country provider is no single country": 1,
    }
    providers = tallies["providers.csv"]
    assert (providers.read, providers.mapped, sum(providers.skipped.values())) == (14, 11, 3)
    assert tallies["sequence.csv"].mapped == 10 and tallies["stages.csv"].mapped == 3
    # A company placed in no single country is loaded without LOCATED_IN, and noted.
    works = next(e for e in result.entities if e.name == "Example Pan-European Works")
    assert not [c for c in result.claims if c.subject == works.id and c.predicate == "LOCATED_IN"]
    assert any("Example Pan-European Works (EUR)" in n for n in result.notes)


def test_providers_matched_by_exact_name_are_reported_as_merges() -> None:
    resolver = Resolver.of(REFERENCE)
    load("sample", resolver)
    merges = {(m.name, m.entity_id, m.via) for m in resolver.merges}
    assert ("ASML", "company/asml", "name") in merges
    assert ("EUV scanners", "product/euv-lithography-system", "alias") in merges
    assert ("TWN", "country/tw", "alias") in merges


def test_cli_prints_the_row_summary(tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    out = CliRunner().invoke(app, ["load", "--db", db, str(DATA / "sample"), "--format", "eto"])
    assert out.exit_code == 0, out.output
    assert "provision.csv: 17 rows read, 13 mapped, 4 skipped" in out.output
    assert "aggregate provider (no single country or company): 3" in out.output


def test_cli_malformed_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    out = run_load("--db", str(db), str(DATA / "bad_share"))
    assert out.returncode == 2
    assert "provision.csv:3: bad share_provided 'a lot'" in out.stderr + out.stdout
    store = EmbeddedStore(db)
    try:
        assert store.counts().to_json()["nodes"] == {}
    finally:
        store.close()


def test_skip_invalid_loads_the_rest() -> None:
    result = load("unknown_provider", skip=True)
    assert len(result.skipped) == 1 and "unknown provider_id 'P99'" in result.skipped[0]
    claim(result, "company/asml", "MANUFACTURES", "product/euv-lithography-system")


def test_loading_twice_changes_no_count(tmp_path: Path) -> None:
    assert_second_load_changes_nothing(tmp_path / "db", DATA / "sample", "eto")
