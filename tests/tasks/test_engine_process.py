"""The engine process: results, errors with their traceback, progress and cancel come back."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
import time

import pytest

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressEvent
from dedup_gui.tasks import engine_child, process
from dedup_gui.tasks.process import ChildFailed, run_in_process
from tests.qt.processes import alive, descendants


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


def many_values(count: int, progress, cancel: CancelToken) -> list[tuple[str, int]]:
    return [(f"/photos/{index:06d}.jpg", index) for index in range(count)]


def test_a_big_result_comes_back_whole_and_leaves_the_gc_as_it_was() -> None:
    """A result far over BIG_FRAME is unpickled with the GC paused; afterwards it is on again."""
    assert gc.isenabled()
    values = run_in_process(many_values, 50_000, lambda e: None, CancelToken())
    assert len(pickle.dumps(values)) > 10 * process.BIG_FRAME
    assert values == many_values(50_000, None, CancelToken())
    assert gc.isenabled()


def niceness(_request: None, progress, cancel: CancelToken) -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process niceness on this system")
def test_the_engine_runs_at_a_lower_cpu_priority_than_the_app() -> None:
    ours = os.nice(0)
    theirs = run_in_process(niceness, None, lambda e: None, CancelToken())
    assert theirs == min(19, ours + engine_child.ENGINE_NICENESS) > ours or ours == 19


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


def stubborn(request: None, progress, cancel: CancelToken) -> None:
    """Starts a pool of workers, then never looks at `cancel` (like a long C call)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver"))
    running = [pool.submit(time.sleep, 120) for _ in range(2)]
    while not all(f.running() for f in running):
        time.sleep(0.01)
    progress(ProgressEvent("pool started", 1, 1))
    while True:
        time.sleep(0.1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_child_that_ignores_cancel_is_killed_with_all_its_processes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "CANCEL_GRACE_S", 0.5)
    before = set(descendants(os.getpid()))
    token = CancelToken()
    seen: set[tuple[int, int]] = set()

    def progress(_event: ProgressEvent) -> None:  # the pool is up: note its processes, cancel
        seen.update(set(descendants(os.getpid())) - before)
        token.cancel()

    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        run_in_process(stubborn, None, progress, token)
    assert len(seen) >= 3  # the engine process, the forkserver, the workers
    deadline = time.monotonic() + 5
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(seen)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_at_exit_a_running_child_is_killed_with_all_its_processes() -> None:
    """The app quits while the engine is stuck: the exit handler takes its processes along."""
    before = set(descendants(os.getpid()))
    seen: set[tuple[int, int]] = set()
    started = threading.Event()
    failures: list[BaseException] = []

    def progress(_event: ProgressEvent) -> None:
        seen.update(set(descendants(os.getpid())) - before)
        started.set()

    def run() -> None:
        try:
            run_in_process(stubborn, None, progress, CancelToken())
        except BaseException as error:  # checked below, on the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    process._kill_remaining()  # what atexit runs
    thread.join(10)
    assert not thread.is_alive() and isinstance(failures[0], RuntimeError)
    deadline = time.monotonic() + 5
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(seen) >= 3 and not alive(seen)
