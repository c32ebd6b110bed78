"""``gc_paused``: the cycle collector is off inside a load and back as it was after."""

from __future__ import annotations

import gc

import pytest

from chipkg.cli.common import gc_paused


def test_collector_is_off_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("load failed")
    assert gc.isenabled()


def test_inactive_or_already_disabled_collector_is_left_alone() -> None:
    with gc_paused(active=False):
        assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # not switched on by the block
    finally:
        gc.enable()
