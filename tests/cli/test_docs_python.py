"""The Python examples of ``docs/python.md`` and README's Python section run as doctests."""

from __future__ import annotations

import doctest

import pytest

from tests.support.paths import ROOT

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("page", ["docs/python.md", "README.md"])
def test_python_examples_run_and_print_what_the_page_says(page: str) -> None:
    result = doctest.testfile(str(ROOT / page), module_relative=False, optionflags=FLAGS)
    assert result.attempted > 0, f"{page} has no Python examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {page} failed"
