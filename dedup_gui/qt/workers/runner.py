"""Engine calls on a worker thread: a QRunnable plus a separate signals QObject.

The runnable owns a CancelToken and a ProgressThrottle, so the engine's progress reaches the UI at
most ~5 times a second, and Cancel is the engine's own cooperative cancel (it stops within a
fraction of a second). Results, cancellation and errors arrive as signals, which Qt delivers on the
main thread because the signals object lives there. `TaskRunner.start` connects every handler
before the task starts, and keeps a reference until the task is over.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressCallback, ProgressEvent
from dedup_gui.qt.workers.throttle import INTERVAL_S, ProgressThrottle

EngineCall = Callable[[ProgressCallback, CancelToken], Any]


class TaskSignals(QObject):
    progress = Signal(object)  # ProgressInfo
    finished = Signal(object)  # the call's return value
    cancelled = Signal()
    failed = Signal(str, str)  # message, traceback
    done = Signal()  # after any of the three above


class EngineTask(QRunnable):
    """Runs `call(progress, cancel)` once on a pool thread."""

    def __init__(self, call: EngineCall, interval_s: float = INTERVAL_S) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it: no double delete across the binding
        self.call = call
        self.signals = TaskSignals()
        self.cancel_token = CancelToken()
        self._throttle = ProgressThrottle(interval_s)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def cancelling(self) -> bool:
        return self.cancel_token.cancelled

    def _on_progress(self, event: ProgressEvent) -> None:
        if not self.cancel_token.cancelled and (info := self._throttle.update(event)):
            self.signals.progress.emit(info)

    def run(self) -> None:
        try:
            result = self.call(self._on_progress, self.cancel_token)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as error:  # reported on the main thread, never lost in a thread
            details = getattr(error, "details", None) or traceback.format_exc()
            self.signals.failed.emit(str(error) or type(error).__name__, details)
        else:
            if self.cancel_token.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        self.signals.done.emit()


class TaskRunner(QObject):
    """Starts EngineTasks on its own pool and keeps them alive until they are done."""

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: set[EngineTask] = set()

    def start(self, call: EngineCall, *, finished: Callable[[Any], None],
              progress: Callable[[Any], None] | None = None,
              cancelled: Callable[[], None] | None = None,
              failed: Callable[[str, str], None] | None = None) -> EngineTask:
        task = EngineTask(call)
        task.signals.finished.connect(finished)
        if progress:
            task.signals.progress.connect(progress)
        if cancelled:
            task.signals.cancelled.connect(cancelled)
        if failed:
            task.signals.failed.connect(failed)
        task.signals.done.connect(lambda: self._running.discard(task))
        self._running.add(task)
        self.pool.start(task)  # only after every connection is made
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait for the threads (on close)."""
        for task in list(self._running):
            task.cancel()
        return self.pool.waitForDone(timeout_ms)
