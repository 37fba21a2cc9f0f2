"""File ▸ Save results… and Open results…: the review (groups, marks, decisions) as the CLI's
JSON, written on a worker. Opening reads and re-checks the files in the engine process
(tasks/results_file.py), then the window shows them like results reopened at start-up. The
dialogs start outside the photo library (qt/review/folder_prompt.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from dedup_gui.qt.review.folder_prompt import start_folder
from dedup_gui.tasks.results_file import open_results_call, save_results_file
from dedup_gui.tasks.scan import keeper_rules
from dedup_gui.tasks.session import Session

FILTER = "dedup-gui results (*.json);;All files (*)"


class ResultsFiles(QObject):
    message = Signal(str)
    opened = Signal(object, object)  # Session, the files changed or gone since it was saved

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window  # the MainWindow: its folders, state, settings, foreground task
        self.last_folder = ""  # where a results file was saved or opened last
        self.choose_save: Callable[[str], str | None] = self._ask_save  # tests replace these
        self.choose_open: Callable[[str], str | None] = self._ask_open

    def _roots(self) -> list[str]:
        return [f.path for f in self.window.folders.folders()]

    def _start(self, name: str = "") -> str:
        remembered = self.last_folder or self.window.settings.last_folder  # or the last export
        return os.path.join(start_folder(remembered, self._roots()), name)

    def _ask_save(self, start: str) -> str | None:
        return QFileDialog.getSaveFileName(self.window, "Save results", start, FILTER)[0] or None

    def _ask_open(self, start: str) -> str | None:
        return QFileDialog.getOpenFileName(self.window, "Open results", start, FILTER)[0] or None

    def save(self) -> None:
        """Ask where, then write the results with the person's marks and decisions, on the
        worker: the JSON of 50,000 groups takes seconds to write."""
        window = self.window
        session = window.state.snapshot()
        if session is None or window.foreground.busy or not (
                name := self.choose_save(self._start("duplicates.json"))):
            return
        out = Path(name) if Path(name).suffix else Path(name).with_suffix(".json")
        roots = self._roots()
        window.foreground.start(lambda _p, _c: save_results_file(session, out, roots),
                                "Saving results…", cancellable=False,
                                finished=lambda problem: self._saved(out, problem),
                                failed=lambda message, _details: self._saved(out, message))

    def _saved(self, out: Path, problem: str | None) -> None:
        if problem:
            self.message.emit(problem)
            QMessageBox.warning(self.window, "Results not saved", problem)
            return
        self.last_folder = str(out.parent)
        self.message.emit(f"Results saved with your marks to {out}.")

    def open(self) -> None:
        """Ask which file, then read and re-check it on the worker; the results appear after."""
        window = self.window
        if window.foreground.busy or not (name := self.choose_open(self._start())):
            return
        self.last_folder = os.path.dirname(name)
        settings = window.settings
        call = open_results_call(Path(name), settings.protected_folders,
                                 keeper_rules(settings.keep_rules, settings.raw_jpeg_duplicates))
        window.foreground.start(call, "Opening results…", finished=self._read,
                                cancelled=lambda: self.message.emit("Opening was cancelled."),
                                failed=lambda message, _details: self._failed(name, message))

    def _read(self, read: tuple[Session, set[str]]) -> None:
        self.opened.emit(*read)

    def _failed(self, name: str, message: str) -> None:
        text = f"{name} could not be opened: {message}"
        self.message.emit(text)
        QMessageBox.warning(self.window, "Results not opened", text)
