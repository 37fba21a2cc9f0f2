"""The one foreground task: one at a time, the bar's Cancel reaches only a cancellable task, and
every end (finished, cancelled, failed) hides the bar before its callback and emits `changed`."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.qt.workers.progress_bar import ScanBar
from dedup_gui.qt.workers.runner import TaskRunner


def make(qtbot: QtBot) -> tuple[ForegroundTask, ScanBar]:
    bar = ScanBar()
    qtbot.addWidget(bar)
    return ForegroundTask(TaskRunner(), bar), bar


def waits_for(release: threading.Event):
    def call(_progress: ProgressCallback, cancel: CancelToken) -> str:
        while not release.wait(0.01):
            cancel.raise_if_cancelled()
        return "done"
    return call


def test_one_task_at_a_time_and_the_bar_is_hidden_before_the_callback(qtbot: QtBot) -> None:
    foreground, bar = make(qtbot)
    release, seen = threading.Event(), []
    assert foreground.start(waits_for(release), "Working…",
                            finished=lambda value: seen.append((value, bar.isVisibleTo(None),
                                                                foreground.busy)))
    assert foreground.busy and foreground.scanning and not foreground.moving
    assert not foreground.start(waits_for(release), "Second", finished=seen.append)
    with qtbot.waitSignal(foreground.changed, timeout=5000):
        release.set()
    assert seen == [("done", False, False)]
    assert not foreground.busy


def test_cancel_reaches_a_cancellable_task_only(qtbot: QtBot) -> None:
    foreground, bar = make(qtbot)
    release, ends = threading.Event(), []
    foreground.start(waits_for(release), "Moving…", finished=ends.append,
                     cancelled=lambda: ends.append("cancelled"), cancellable=False)
    assert foreground.moving
    bar.cancel_requested.emit()  # the bar's Cancel button
    with qtbot.waitSignal(foreground.changed, timeout=5000):
        release.set()
    assert ends == ["done"]  # a move is never stopped half-way
    release.clear()
    foreground.start(waits_for(release), "Scanning…", finished=ends.append,
                     cancelled=lambda: ends.append("cancelled"))
    with qtbot.waitSignal(foreground.changed, timeout=5000):
        bar.cancel_requested.emit()
    assert ends == ["done", "cancelled"] and not foreground.busy


def test_a_failure_reaches_its_callback(qtbot: QtBot) -> None:
    foreground, _bar = make(qtbot)
    failures = []

    def boom(_progress: ProgressCallback, _cancel: CancelToken) -> None:
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(foreground.changed, timeout=5000):
        foreground.start(boom, None, finished=failures.append,
                         failed=lambda message, _details: failures.append(message))
    qtbot.waitUntil(lambda: not foreground.busy, timeout=5000)
    assert failures == ["disk on fire"]
