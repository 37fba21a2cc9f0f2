"""Running a scan from the window: start it with the chosen folders and settings as the
foreground task, cancel it, and turn its end into results, a message or a failure dialog. New
keeper proposals for the same results (after Preferences) run the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from dedup_gui import paths
from dedup_gui.engine.signals.system_folders import headline
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.scan.folder_panel import FolderPanel
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.settings import Settings
from dedup_gui.tasks.scan import (
    ScanOutcome,
    ScanRequest,
    ScanSettings,
    keeper_rules,
    review_start,
    scan_call,
)
from dedup_gui.text import plural

NO_FOLDERS_YET = "Add a folder first: drop it on the window or click Add folder."


class Scanning(QObject):
    """Start / cancel / finish of a scan; `results` carries the outcome to show."""

    results = Signal(object)  # ScanOutcome: a scan finished
    reproposed = Signal(object)  # ScanOutcome: new proposals for the results on show
    scanned = Signal()  # a scan (not new proposals) finished and its results were shown
    message = Signal(str)

    def __init__(self, parent: QWidget, foreground: ForegroundTask, state: ReviewState,
                 folders: FolderPanel, settings: Callable[[], Settings]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.foreground = foreground
        self.state = state
        self.folders = folders
        self.settings = settings
        self.issues_dialog: IssuesDialog | None = None
        self.clock: Callable[[], float] = time.monotonic  # tests replace it
        self.started = 0.0  # self.clock() when the running scan started

    def start(self) -> None:
        if self.foreground.busy:
            return
        folders = self.folders.folders()
        if not folders:
            self.message.emit(NO_FOLDERS_YET)
            return
        settings = self.settings()
        request = ScanRequest(ScanSettings.of([f.path for f in folders], settings),
                              tuple(f.path for f in folders if f.protected),
                              tuple(settings.keep_rules))
        self.started = self.clock()
        self.foreground.start(scan_call(request), "Finding files…", finished=self._finished,
                              cancelled=self._cancelled, failed=self._failed)

    def repropose(self) -> None:
        """Mark every group again with the settings' rule chain (after Preferences)."""
        outcome = self.state.outcome
        if outcome is None or self.foreground.busy:
            return
        settings = self.settings()
        protected = tuple(settings.protected_folders)
        rules = keeper_rules(settings.keep_rules, settings.raw_jpeg_duplicates)
        gone = frozenset(self.state.out_of_place)  # in the Trash, or changed since the scan
        self.foreground.start(
            lambda progress, cancel: review_start(
                outcome.result, protected, rules, progress, cancel, gone,
                provenance=outcome.provenance, cache_path=str(paths.cache_path())),
            None, finished=self._reproposed, cancelled=self._cancelled,
            failed=self._failed)

    def _finished(self, outcome: ScanOutcome) -> None:
        self.results.emit(outcome)
        result = outcome.result
        # The whole time the person waited (engine start, keeper proposals and all), not only
        # the engine's part: a warm rescan said "0.1 s" after 1.4 s.
        seconds = max(self.clock() - self.started, result.stats.seconds)
        message = (f"Scan finished: {plural(result.stats.files, 'image')} in {seconds:.1f} s, "
                   f"{plural(len(result.groups), 'group')} found.")
        if result.warnings:  # e.g. a damaged or locked cache: the groups are right, say why slow
            message += " " + " ".join(headline(w) for w in result.warnings)
        if kept := len(self.state.carried):  # review_carry.py
            message += (f" Your own marks stay on {plural(kept, 'group')} found again "
                        "unchanged.")
        if names := self.state.marks_replaced:
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            message += (f" {plural(len(names), 'group')} you had marked by hand changed since "
                        f"({shown}): {'it shows' if len(names) == 1 else 'they show'} new "
                        "suggestions.")
        self.message.emit(message)
        self.scanned.emit()

    def _reproposed(self, outcome: ScanOutcome) -> None:
        self.reproposed.emit(outcome)
        self.message.emit("Every group is marked again with the new keeper rules.")

    def _cancelled(self) -> None:
        self.message.emit("Cancelled. What was read so far is cached: "
                          "scanning again continues from there.")

    def _failed(self, message: str, details: str) -> None:
        self.message.emit(f"The scan failed: {message}")
        self.issues_dialog = IssuesDialog("The scan failed", message, [], [details],
                                          self.parent_widget)
        self.issues_dialog.open()
