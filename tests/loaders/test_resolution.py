"""Entity resolution: names and aliases in several languages land on one entity."""

from __future__ import annotations

import pytest

from chipkg.loaders.reference import load_reference
from chipkg.loaders.resolver import Resolver
from chipkg.ontology import Entity
from chipkg.ontology.names import mint_id, normalize_name


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    built = Resolver()
    load_reference(resolver=built)
    return built


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Stati Uniti", "country/us"),
        ("USA", "country/us"),
        ("Vereinigte Staaten", "country/us"),
        ("États-Unis", "country/us"),
        ("Etats Unis", "country/us"),
        ("United States of America", "country/us"),
        ("Cina", "country/cn"),
        ("Volksrepublik China", "country/cn"),
        ("Paesi Bassi", "country/nl"),
        ("NVIDIA Corporation", "company/nvidia"),
        ("Nvidia", "company/nvidia"),
        ("nvidia corp", "company/nvidia"),
        ("Semiconductor Manufacturing International Corporation", "company/smic"),
        ("SMIC", "company/smic"),
        ("Huawei Technologies Co., Ltd.", "company/huawei"),
    ],
)
def test_aliases_resolve(resolver: Resolver, name: str, expected: str) -> None:
    entity = resolver.resolve(name)
    assert entity is not None and entity.id == expected


def test_normalisation_rules() -> None:
    assert normalize_name("NVIDIA Corporation") == normalize_name("Nvidia") == "nvidia"
    assert normalize_name("Société Générale S.A.") == "societe generale"
    assert normalize_name("Samsung Electronics Co., Ltd.") == "samsung electronics"
    assert mint_id("Company", "Sophgo Inc.") == "company/sophgo"


def test_no_merge_on_a_shared_word(resolver: Resolver) -> None:
    assert resolver.resolve("Semiconductor") is None
    assert resolver.resolve("Huawei Cloud") is None
    assert resolver.resolve("Taiwan Semiconductor") is None


def test_ambiguous_name_resolves_to_nothing() -> None:
    built = Resolver.of(
        [
            Entity(id="company/acme-us", label="Company", name="Acme"),
            Entity(id="company/acme-cn", label="Company", name="ACME Ltd."),
        ]
    )
    assert built.resolve("Acme") is None
    assert {e.id for e in built.lookup("acme")} == {"company/acme-us", "company/acme-cn"}


def test_label_filter(resolver: Resolver) -> None:
    assert resolver.resolve("China", label="Company") is None
    entity = resolver.resolve("China", label="Country")
    assert entity is not None and entity.id == "country/cn"


def test_suggestions_for_typos(resolver: Resolver) -> None:
    assert "company/nvidia" in [e.id for e in resolver.suggest("Nvdia")]
