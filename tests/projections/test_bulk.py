"""projections/bulk.py: the cycle collector is paused for a page of bulk work and left
as it was found, whatever happens in the page."""

from __future__ import annotations

import gc

import pytest

from projections.bulk import collector_paused


def test_the_collector_is_paused_in_a_page_and_back_on_after_it_even_after_an_error() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the page failed")
    assert gc.isenabled()


def test_a_collector_turned_off_before_the_page_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
