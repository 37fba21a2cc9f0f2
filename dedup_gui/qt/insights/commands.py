"""The Insights… and Export report… commands: run the engine in its process like a scan (same
progress bar and Cancel, same cache, so after a scan only thumbnails are decoded), then show the
Insights window or offer to open the report. A report folder is checked before any work starts.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dedup_gui.qt.common import desktop
from dedup_gui.qt.insights import view
from dedup_gui.qt.review.folder_prompt import start_folder
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.settings import Settings
from dedup_gui.tasks.insights import InsightsRequest, insights, report, report_folder_problem
from dedup_gui.tasks.scan import ScanSettings

REPORT_NAME = "dedup-gui report"


def report_folder_dialog(parent: QWidget | None, start: str) -> QFileDialog:
    """A save dialog that takes a folder's name: a report wants a new folder, and Qt's folder
    chooser refuses a name that does not exist yet ("Directory not found"). An existing empty
    folder can be chosen too (report_folder_problem checks it before any work)."""
    dialog = QFileDialog(parent, "Export report to a new or empty folder", start)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, "New folder:")
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Export")
    dialog.selectFile(os.path.join(start, REPORT_NAME))
    return dialog


def choose_report_folder(parent: QWidget, start: str) -> str:
    dialog = report_folder_dialog(parent, start)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]


class InsightsCommands(QObject):
    """View ▸ Insights… and File ▸ Export report…, run as the window's foreground task."""

    message = Signal(str)

    def __init__(self, parent: QWidget, foreground: ForegroundTask,
                 roots: Callable[[], Sequence[str]], settings: Callable[[], Settings]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.foreground = foreground
        self.roots = roots
        self.settings = settings
        self.dialog: view.InsightsDialog | None = None
        self.report_box: QMessageBox | None = None

    def open_insights(self) -> None:
        if (request := self._request()) is not None:
            self._start(insights, request, "Looking at the whole library…", self._show)

    def export_report(self) -> None:
        if (request := self._request()) is None:
            return
        start = start_folder(self.settings().last_folder, request.settings.roots)
        out = choose_report_folder(self.parent_widget, start)  # never inside the library
        if not out:
            return
        if problem := report_folder_problem(out, request.settings.roots):
            QMessageBox.warning(self.parent_widget, "Export report",
                                f"The report cannot go there: {problem}.")
            return
        self._start(report, dataclasses.replace(request, out=out), "Writing the report…",
                    self._written)

    def _request(self) -> InsightsRequest | None:
        if self.foreground.busy:
            self.message.emit("Wait until the current scan or move is over.")
            return None
        roots = tuple(self.roots())
        if not roots:
            self.message.emit("Add a folder first: drop it on the window or click Add folder.")
            return None
        settings = self.settings()
        return InsightsRequest(ScanSettings.of(roots, settings), tuple(settings.protected_folders),
                               tuple(settings.keep_rules))

    def _start(self, function: Any, request: InsightsRequest, text: str,
               finished: Callable[[Any], None]) -> None:
        from dedup_gui.tasks.process import in_process  # subprocess, pickle: not at start-up

        self.foreground.start(in_process(function, request), text, finished=finished,
                              cancelled=lambda: self.message.emit(
                                  "Cancelled. What was read so far is cached."),
                              failed=lambda message, _details: QMessageBox.warning(
                                  self.parent_widget, "dedup-gui", message))

    def _show(self, found: Any) -> None:
        self.dialog = view.InsightsDialog(found, self.parent_widget)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.show()

    def _written(self, index: str) -> None:
        self.message.emit(f"Report written: {index}")
        box = QMessageBox(QMessageBox.Icon.Information, "Export report",
                          f"The report is in {os.path.dirname(index)}.",
                          parent=self.parent_widget)
        opener = box.addButton("Open report", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        opener.clicked.connect(lambda: desktop.open_url(QUrl.fromLocalFile(index)))
        self.report_box = box
        box.open()
