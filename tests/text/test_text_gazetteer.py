"""The gazetteer: one compiled trie regex, case rules that keep common words out."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from chipkg.loaders.text.gazetteer import Gazetteer, _trie_regex, case_ok
from chipkg.ontology import Entity


def ents() -> list[Entity]:
    return [
        Entity(id="country/us", label="Country", name="United States", aliases=["US", "U.S."]),
        Entity(
            id="product/ascend",
            label="Product",
            name="Ascend",
            properties={"category": "ai_accelerator"},
        ),
        Entity(id="product/h100", label="Product", name="H100", aliases=["NVIDIA H100"]),
        Entity(id="company/nvidia", label="Company", name="NVIDIA", aliases=["Nvidia Corp."]),
        Entity(id="company/hua-hong", label="Company", name="Hua Hong"),
    ]


def found(text: str) -> list[tuple[str, str]]:
    g = Gazetteer(ents())
    return [(text[h.start : h.end], h.entity_id) for h in g.find(text)]


def test_short_all_caps_aliases_need_capitals() -> None:
    assert found("tell us about the US rules") == [("US", "country/us")]


def test_capitalised_names_are_not_matched_as_common_words() -> None:
    assert found("prices ascend as Ascend chips ship") == [("Ascend", "product/ascend")]


def test_longest_name_wins_and_spaces_may_vary() -> None:
    assert found("the United  States and Hua\nHong") == [
        ("United  States", "country/us"),
        ("Hua\nHong", "company/hua-hong"),
    ]


def test_brand_prefixed_product_alias_is_left_to_the_maker_rules() -> None:
    assert found("NVIDIA H100") == [("NVIDIA", "company/nvidia"), ("H100", "product/h100")]


def test_case_rule() -> None:
    assert case_ok("US", "US") and not case_ok("US", "us")
    assert case_ok("NVIDIA", "Nvidia") and not case_ok("Ascend", "ascend")
    assert case_ok("governo olandese", "Governo olandese")


@given(
    st.lists(
        st.text(alphabet="abcd ", min_size=1, max_size=6).map(str.strip).filter(bool),
        min_size=1,
        max_size=12,
    )
)
def test_trie_regex_matches_exactly_the_words_longest_first(words: list[str]) -> None:
    regex = re.compile(_trie_regex(words))
    for word in words:
        m = regex.match(word)
        assert m is not None
        # the match is the longest word that is a prefix of `word`
        longest = max((w for w in words if word.startswith(w.replace(" ", " "))), key=len)
        assert m.group(0) == longest
    assert regex.fullmatch("zzz") is None
