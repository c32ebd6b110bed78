"""Counts and dates: "10.000" is ten thousand in Italian, "2,048" is 2048 in English."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chipkg.loaders.text.dates import find_dates
from chipkg.loaders.text.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "lang", "value", "approx"),
    [
        ("possiede circa 10.000 GPU", "it", 10000, True),
        ("a cluster of 2,048 H800 chips", "en", 2048, False),
        ("rund 50.000 Chips", "de", 50000, True),
        ("1,5 Millionen Einheiten", "de", 1_500_000, False),
        ("about 1.5 million units", "en", 1_500_000, True),
        ("environ 1,4 million de puces", "fr", 1_400_000, True),
        ("10 mila chip", "it", 10000, False),
    ],
)
def test_counts(text: str, lang: str, value: int, approx: bool) -> None:
    (found,) = find_quantities(text, lang)
    assert found.quantity.number == value
    assert found.quantity.approximate is approx


@pytest.mark.parametrize(
    "text",
    [
        "per un valore di quasi 1 miliardo di dollari",
        "a 50% share",
        "the 7 nm process",
        "in 2023 the rule changed",
        "3 years later",
    ],
)
def test_prices_shares_sizes_and_years_are_not_counts(text: str) -> None:
    assert find_quantities(text, "it" if "miliardo" in text else "en") == []


def test_a_year_before_a_chip_noun_is_a_count() -> None:
    (found,) = find_quantities("it bought 2048 GPUs", "en")
    assert found.quantity.number == 2048


@given(st.integers(min_value=1000, max_value=99_999_999), st.sampled_from([",", "."]))
def test_grouped_thousands_parse_in_either_convention(n: int, sep: str) -> None:
    written = f"{n:,}".replace(",", sep)
    assert parse_number(written) == n


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("after September 15, 2020", "2020-09-15"),
        ("il 15 settembre 2020", "2020-09-15"),
        ("am 15. September 2020", "2020-09-15"),
        ("le 15 septembre 2020", "2020-09-15"),
        ("the rule of October 2023", "2023-10"),
        ("nell'ottobre 2023", "2023-10"),
        ("on 2020-12-18", "2020-12-18"),
        ("since 2019", "2019"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    (found,) = find_dates(text)
    assert found.iso() == iso


def test_year_less_dates_need_a_year_from_context() -> None:
    (found,) = find_dates("after Sept. 15")
    assert found.iso() is None
    assert found.iso(2020) == "2020-09-15"


def test_lower_case_may_is_not_a_month() -> None:
    assert find_dates("prices may rise") == []
