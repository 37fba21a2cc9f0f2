"""The worker: results, errors and cancellation reach the main thread; progress is throttled."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.engine.progress import CancelToken, ProgressEvent
from dedup_gui.qt.workers.runner import TaskRunner
from dedup_gui.qt.workers.throttle import ProgressThrottle


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_throttle_lets_through_at_most_five_a_second() -> None:
    clock = FakeClock()
    throttle = ProgressThrottle(0.2, clock)
    shown = []
    for i in range(10_000):  # 10,000 events over 5 s
        clock.now = i * 0.0005
        if info := throttle.update(ProgressEvent("reading images", i, 10_000)):
            shown.append(info)
    assert 24 <= len(shown) <= 26
    last = shown[-1]
    assert last.rate == pytest.approx(2000, rel=0.01)
    assert last.seconds_left == pytest.approx((10_000 - last.done) / 2000, rel=0.01)


def test_rate_restarts_with_each_stage() -> None:
    clock = FakeClock()
    throttle = ProgressThrottle(0.2, clock)
    throttle.update(ProgressEvent("finding files", 0, 0))
    clock.now = 5.0
    throttle.update(ProgressEvent("finding files", 5000, 0))
    info = throttle.update(ProgressEvent("reading images", 0, 1000))
    for second in (6, 7, 8, 9):
        clock.now = float(second)
        info = throttle.update(ProgressEvent("reading images", 50 * (second - 5), 1000))
    assert info is not None and info.stage == "reading images"
    assert info.rate == pytest.approx(50) and info.seconds_left == pytest.approx(16.0)
    assert info.fraction == pytest.approx(0.2)


def test_no_time_left_until_the_rate_is_stable() -> None:
    """Issue 17: the first estimate said 2 min 28 s for a scan that ended 11 s later. A stage
    starts slowly (processes, the model): its first rates say nothing about the rest."""
    clock = FakeClock()
    throttle = ProgressThrottle(0.2, clock)
    throttle.update(ProgressEvent("reading images", 0, 3000))
    clock.now = 1.0
    early = throttle.update(ProgressEvent("reading images", 20, 3000))  # start-up: 20/s
    assert early is not None and early.rate is not None and early.seconds_left is None
    clock.now = 3.5
    rising = throttle.update(ProgressEvent("reading images", 700, 3000))  # then 280/s
    assert rising is not None and rising.seconds_left is None  # rate still changing
    clock.now = 4.0
    steady = throttle.update(ProgressEvent("reading images", 840, 3000))
    assert steady is not None and steady.seconds_left == pytest.approx((3000 - 840) / 210)


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_result_arrives_on_the_main_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen = {}

    def call(progress, cancel: CancelToken) -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def finished(value: int) -> None:
        seen["value"] = value
        seen["on_main"] = QThread.currentThread() is QApplication.instance().thread()

    runner.start(call, finished=finished)
    qtbot.waitUntil(lambda: "on_main" in seen)
    assert seen == {"worker": seen["worker"], "value": 42, "on_main": True}
    assert seen["worker"] != threading.get_ident()


def test_errors_are_reported_not_lost(qtbot: QtBot, runner: TaskRunner) -> None:
    def call(progress, cancel: CancelToken) -> None:
        raise RuntimeError("disk on fire")

    failures = []
    runner.start(call, finished=lambda _v: None,
                 failed=lambda message, details: failures.append((message, details)))
    qtbot.waitUntil(lambda: bool(failures))
    assert failures[0][0] == "disk on fire"
    assert "RuntimeError" in failures[0][1]


def test_cancel_stops_a_long_call_and_progress_is_throttled(
        qtbot: QtBot, runner: TaskRunner) -> None:
    started = threading.Event()

    def call(progress, cancel: CancelToken) -> None:
        done = 0
        while True:  # an engine loop: report often, check the token between small steps
            done += 1
            progress(ProgressEvent("reading images", done, 10**9))
            if done == 1000:
                started.set()
            cancel.raise_if_cancelled()

    updates, cancelled = [], []
    task = runner.start(call, finished=lambda _v: None, progress=updates.append,
                        cancelled=lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: len(updates) >= 3, timeout=5000)
    assert started.is_set()
    with qtbot.waitSignal(task.signals.done, timeout=1000):  # cancel takes effect within 1 s
        task.cancel()
    assert cancelled == [True]
    # hundreds of thousands of engine events became a handful of UI updates (≤ 5 a second)
    assert len(updates) <= 20
