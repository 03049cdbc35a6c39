"""The cycle collector is held off inside ``cyclegc.paused()`` and restored as it was after."""

from __future__ import annotations

import gc

from execbrief import cyclegc


def test_nested_pauses_restore_the_collector_only_at_the_last_end() -> None:
    assert gc.isenabled()
    with cyclegc.paused():
        assert not gc.isenabled()
        with cyclegc.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with cyclegc.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
