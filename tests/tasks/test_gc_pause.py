"""gc_paused: overlapping pauses on two threads keep the collector off until the last one ends,
and a collector that was off before stays off."""

from __future__ import annotations

import gc
import threading

from dedup_gui.tasks.gc_pause import gc_paused


def test_overlapping_pauses_on_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        with gc_paused():
            inside.set()
            release.wait(10)

    assert gc.isenabled()
    thread = threading.Thread(target=other_thread)
    with gc_paused():
        thread.start()
        assert inside.wait(10)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause is still running
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_existed_is_frozen_and_an_error_still_restores_the_collector() -> None:
    before = gc.get_freeze_count()
    kept = [[index] for index in range(1000)]
    try:
        with gc_paused():
            raise KeyError("boom")
    except KeyError:
        pass
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    gc.unfreeze()
