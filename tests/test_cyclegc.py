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


def test_a_kept_pause_freezes_what_it_made_and_restores_the_collector() -> None:
    frozen_before = gc.get_freeze_count()
    try:
        with cyclegc.paused(keep=True):
            made = [[index] for index in range(100)]
            assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(made)
    finally:
        if not frozen_before:
            gc.unfreeze()


def test_a_kept_pause_inside_another_freezes_nothing_until_the_outer_ends() -> None:
    frozen_before = gc.get_freeze_count()
    with cyclegc.paused():
        with cyclegc.paused(keep=True):
            pass
        assert gc.get_freeze_count() == frozen_before
    assert gc.isenabled()


def test_a_run_lets_go_what_it_froze_but_not_what_was_frozen_before() -> None:
    gc.unfreeze()
    with cyclegc.until_done():
        with cyclegc.paused(keep=True):
            made = [[index] for index in range(100)]
        assert gc.get_freeze_count() >= len(made)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cyclegc.until_done(), cyclegc.paused(keep=True):
            more = [[index] for index in range(100)]
        assert gc.get_freeze_count() >= frozen + len(more)  # a caller's own: left alone
    finally:
        gc.unfreeze()
