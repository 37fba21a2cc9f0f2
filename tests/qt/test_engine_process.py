"""The engine process: results, errors with their traceback, progress and cancel come back."""

from __future__ import annotations

import os
import time

import pytest

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressEvent
from dedup_gui.qt.engine_process import ChildFailed, run_in_process


def double(request: int, progress, cancel: CancelToken) -> tuple[int, int]:
    for done in range(3):
        progress(ProgressEvent(f"stage {done}", done, 3))
    return request * 2, os.getpid()


def explode(request: str, progress, cancel: CancelToken) -> None:
    raise ValueError(request)


def spin(request: None, progress, cancel: CancelToken) -> None:
    done = 0
    while True:
        done += 1
        progress(ProgressEvent("spinning", done, 0))
        cancel.raise_if_cancelled()
        time.sleep(0.001)


def test_result_and_progress_come_back() -> None:
    events = []
    value, pid = run_in_process(double, 21, events.append, CancelToken())
    assert value == 42 and pid != os.getpid()
    assert [e.stage for e in events] == ["stage 0", "stage 1", "stage 2"]  # no stage skipped


def test_errors_come_back_with_the_childs_traceback() -> None:
    with pytest.raises(ChildFailed, match="boom") as failure:
        run_in_process(explode, "boom", lambda e: None, CancelToken())
    assert "ValueError" in failure.value.details and "explode" in failure.value.details


def test_cancel_stops_the_child_within_a_second() -> None:
    token = CancelToken()
    started: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if not started:
            started.append(time.monotonic())
            token.cancel()

    with pytest.raises(Cancelled):
        run_in_process(spin, None, progress, token)
    assert time.monotonic() - started[0] < 1.0
