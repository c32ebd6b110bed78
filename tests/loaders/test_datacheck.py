"""``chipkg check-data``: each kind of gap is found in a small faulty set, a clean set passes.

The sets are written in the reference layout (entities/, claims/) so the command reads
them exactly as it reads the bundled data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from chipkg.datacheck import (
    BEFORE_EXISTENCE,
    ISLAND,
    KINDS,
    NO_EFFECTIVE_DATE,
    NO_RELEASE_DATE,
    NO_SOURCE_URL,
    check,
)
from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver

URL = "https://example.org/fact"
CLEAN_ENTITIES = [
    {"id": "country/xx", "label": "Country", "name": "Examplia"},
    {
        "id": "company/maker",
        "label": "Company",
        "name": "Maker",
        "properties": {"roles": ["foundry"], "founded": "1990"},
        "country": "country/xx",
        "source_url": URL,
        "date": "2024-01-01",
    },
    {
        "id": "company/buyer",
        "label": "Company",
        "name": "Buyer",
        "properties": {"roles": ["chip_designer"], "founded": "2000-05-01"},
        "source_url": URL,
        "date": "2024-01-01",
    },
    {
        "id": "company/press",
        "label": "Company",
        "name": "Press",
        "properties": {"roles": ["media"], "founded": "1950"},
    },
    {"id": "product/chip", "label": "Product", "name": "Chip", "properties": {"released": "2010"}},
    {
        "id": "regulation/rule",
        "label": "Regulation",
        "name": "Rule",
        "properties": {"effective_from": "2020-01-01", "jurisdiction": "country/xx"},
    },
]
CLEAN_CLAIMS = [
    {
        "subject": "company/maker",
        "predicate": "SUPPLIES",
        "object": "company/buyer",
        "properties": {"item": "product/chip"},
        "valid_from": "2011-01",
        "source_url": URL,
        "date": "2024-01-01",
    },
    {
        "subject": "regulation/rule",
        "predicate": "RESTRICTS",
        "object": "product/chip",
        "source_url": URL,
        "date": "2020-01-01",
    },
]


def write_set(
    root: Path, entities: list[dict[str, object]], claims: list[dict[str, object]]
) -> Path:
    (root / "entities").mkdir(parents=True)
    (root / "claims").mkdir()
    (root / "entities" / "all.yaml").write_text(yaml.safe_dump(entities), encoding="utf-8")
    (root / "claims" / "all.yaml").write_text(yaml.safe_dump(claims), encoding="utf-8")
    return root


def kinds_found(root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in check(load_reference(root, Resolver())):
        found.setdefault(finding.kind, set()).add(finding.subject)
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipkg", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
        timeout=300,
    )


def replaced(
    rows: list[dict[str, object]], row_id: str, **changes: object
) -> list[dict[str, object]]:
    return [{**row, **changes} if row.get("id") == row_id else row for row in rows]


def test_clean_set_has_no_findings(tmp_path: Path) -> None:
    assert kinds_found(write_set(tmp_path, CLEAN_ENTITIES, CLEAN_CLAIMS)) == {}


def test_company_without_supply_or_make_claim_is_an_island(tmp_path: Path) -> None:
    lonely = {
        "id": "company/lonely",
        "label": "Company",
        "name": "Lonely",
        "properties": {"roles": ["osat"], "founded": "1999"},
        "country": "country/xx",
        "source_url": URL,
        "date": "2024-01-01",
    }
    found = kinds_found(write_set(tmp_path, [*CLEAN_ENTITIES, lonely], CLEAN_CLAIMS))
    # LOCATED_IN does not count; the media company is not expected in the chain.
    assert found == {ISLAND: {"company/lonely"}}


def test_negated_supply_does_not_join_the_chain_but_a_subsidiary_does(tmp_path: Path) -> None:
    holding = {"id": "company/holding", "label": "Company", "name": "Holding"}
    negated = {
        "subject": "company/maker",
        "predicate": "SUPPLIES",
        "object": "company/holding",
        "properties": {"item": "product/chip"},
        "modality": "negated",
        "source_url": URL,
        "date": "2024-01-01",
    }
    found = kinds_found(
        write_set(tmp_path / "a", [*CLEAN_ENTITIES, holding], [*CLEAN_CLAIMS, negated])
    )
    assert found.get(ISLAND) == {"company/holding"}
    parent = replaced(CLEAN_ENTITIES, "company/buyer", parent="company/holding")
    found = kinds_found(write_set(tmp_path / "b", [*parent, holding], CLEAN_CLAIMS))
    assert ISLAND not in found


def test_regulation_without_effective_date(tmp_path: Path) -> None:
    entities = replaced(
        CLEAN_ENTITIES, "regulation/rule", properties={"jurisdiction": "country/xx"}
    )
    assert kinds_found(write_set(tmp_path, entities, CLEAN_CLAIMS)) == {
        NO_EFFECTIVE_DATE: {"regulation/rule"}
    }


def test_product_without_release_date_but_old_name_still_counts(tmp_path: Path) -> None:
    undated = {"id": "product/undated", "label": "Product", "name": "Undated"}
    old_name = {
        "id": "product/old",
        "label": "Product",
        "name": "Old",
        "properties": {"release_date": "2001"},
    }
    gas = {
        "id": "product/gas",
        "label": "Product",
        "name": "Gas",
        "properties": {"category": "material"},
    }
    gpu = {
        "id": "product/gpu",
        "label": "Product",
        "name": "GPU",
        "properties": {"category": "gpu"},
    }
    rows = [*CLEAN_ENTITIES, undated, old_name, gas, gpu]
    found = kinds_found(write_set(tmp_path, rows, CLEAN_CLAIMS))
    # A class of goods (category material) has no release; an undated GPU is a finding.
    assert found == {NO_RELEASE_DATE: {"product/undated", "product/gpu"}}


def test_claim_whose_source_is_not_a_url(tmp_path: Path) -> None:
    claims = [*CLEAN_CLAIMS[:1], {**CLEAN_CLAIMS[1], "source_url": "a phone call"}]
    found = kinds_found(write_set(tmp_path, CLEAN_ENTITIES, claims))
    assert found == {NO_SOURCE_URL: {"regulation/rule RESTRICTS product/chip"}}


def test_link_before_its_item_or_endpoint_existed(tmp_path: Path) -> None:
    early_item = [{**CLEAN_CLAIMS[0], "valid_from": "2009-12"}, CLEAN_CLAIMS[1]]
    found = kinds_found(write_set(tmp_path / "item", CLEAN_ENTITIES, early_item))
    assert found == {BEFORE_EXISTENCE: {"company/maker SUPPLIES company/buyer (item product/chip)"}}
    # Same year as a year-only founding date is not "before": the date is a whole year.
    same_year = [{**CLEAN_CLAIMS[0], "valid_from": "2010-06"}, CLEAN_CLAIMS[1]]
    assert kinds_found(write_set(tmp_path / "same", CLEAN_ENTITIES, same_year)) == {}
    entities = replaced(
        CLEAN_ENTITIES,
        "company/buyer",
        properties={"roles": ["chip_designer"], "founded": "2012-03-01"},
    )
    found = kinds_found(write_set(tmp_path / "end", entities, CLEAN_CLAIMS))
    message = {f.message for f in check(load_reference(tmp_path / "end", Resolver()))}
    assert found == {BEFORE_EXISTENCE: {"company/maker SUPPLIES company/buyer (item product/chip)"}}
    assert message == {"valid_from 2011-01 is before company/buyer founded 2012-03-01"}


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    clean = write_set(tmp_path / "clean", CLEAN_ENTITIES, CLEAN_CLAIMS)
    result = run("check-data", str(clean))
    assert result.returncode == 0, result.stderr
    assert "0 findings" in result.stdout
    undated = replaced(CLEAN_ENTITIES, "product/chip", properties={})
    faulty = write_set(tmp_path / "faulty", undated, CLEAN_CLAIMS)
    result = run("check-data", str(faulty), "--json")
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload["counts"]) == list(KINDS)
    assert payload["counts"][NO_RELEASE_DATE] == 1
    assert payload["findings"] == [
        {"kind": NO_RELEASE_DATE, "subject": "product/chip", "message": "no released date"}
    ]


def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run("check-data", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr
    broken = write_set(tmp_path / "broken", CLEAN_ENTITIES, CLEAN_CLAIMS)
    (broken / "claims" / "all.yaml").write_text("- {subject: [unclosed\n", encoding="utf-8")
    result = run("check-data", str(broken))
    assert result.returncode == 2
    assert "all.yaml:" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run("check-data", "--help").returncode == 0


def test_cli_on_the_bundled_reference_set_is_clean() -> None:
    result = run("check-data", "--json")
    payload = json.loads(result.stdout)
    assert payload["findings"] == []
    assert result.returncode == 0, result.stderr
    assert payload["companies"] >= 150
