"""The one foreground task: the engine call that owns the progress bar (a scan, new keeper
proposals, insights, a report, a trash or undo batch). Only one runs at a time; this object says
whether one is running, starts it with the bar, relays the bar's Cancel and cleans up after it,
so the scan, trash and insights commands do not each keep their own copy of that bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from dedup_gui.qt.workers.progress_bar import ScanBar
from dedup_gui.qt.workers.runner import EngineCall, EngineTask, TaskRunner

Finished = Callable[[Any], None]


class ForegroundTask(QObject):
    """busy / start / cancel / changed, once for every command that shows the progress bar."""

    changed = Signal()  # a task started or ended

    def __init__(self, runner: TaskRunner, bar: ScanBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.bar = bar
        self.task: EngineTask | None = None
        self.cancellable = False  # the running task stops on the bar's Cancel
        bar.cancel_requested.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self.task is not None

    @property
    def scanning(self) -> bool:
        """A cancellable task (scan, proposals, insights) runs: the results may be replaced."""
        return self.busy and self.cancellable

    @property
    def moving(self) -> bool:
        """A trash, quarantine or undo batch runs: it is short and is not cancelled half-way."""
        return self.busy and not self.cancellable

    def start(self, call: EngineCall, text: str | None, *, finished: Finished,
              cancelled: Callable[[], None] | None = None,
              failed: Callable[[str, str], None] | None = None,
              cancellable: bool = True) -> bool:
        """Start `call` with the bar showing `text` (None: a quick task, no bar); False
        (nothing started) while busy. Each callback runs after the bar is hidden and before
        `changed` is emitted."""
        if self.busy:
            return False
        self.cancellable = cancellable
        if text is not None:
            self.bar.start(text)
        self.task = self.runner.start(
            call, progress=self.bar.update_progress if text is not None else None,
            finished=lambda result: self._over(finished, result),
            cancelled=lambda: self._over(cancelled),
            failed=lambda message, details: self._over(failed, message, details))
        self.changed.emit()
        return True

    def cancel(self) -> None:
        if self.task is not None and self.cancellable:
            self.task.cancel()
            self.bar.cancelling()

    def _over(self, then: Callable[..., None] | None, *args: Any) -> None:
        self.task = None
        self.bar.finish()
        if then is not None:
            then(*args)
        self.changed.emit()
