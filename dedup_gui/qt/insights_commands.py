"""The Insights… and Export report… commands: run the engine in its process like a scan (same
progress bar and Cancel, same cache, so after a scan only thumbnails are decoded), then show the
Insights window or offer to open the report. A report folder is checked before any work starts.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox

from dedup_gui.qt import insights_calls, insights_view
from dedup_gui.qt.engine_calls import in_process

if TYPE_CHECKING:
    from dedup_gui.qt.main_window import MainWindow


def _request(window: MainWindow, out: str | None = None) -> insights_calls.InsightsRequest | None:
    if window.scan_task is not None or window.flow.busy:
        window.show_message("Wait until the current scan or move is over.")
        return None
    roots = tuple(f.path for f in window.folders.folders())
    if not roots:
        window.show_message("Add a folder first: drop it on the window or click Add folder.")
        return None
    s = window.settings
    return insights_calls.InsightsRequest(roots, s.hash_kind, s.threshold, s.include_hidden,
                                          s.embeddings, s.similar_shots, out)


def _start(window: MainWindow, function: Any, request: Any, text: str, finished: Any) -> None:
    """Run `function` in the engine process as the window's current task (one at a time,
    cancellable from the progress bar)."""
    def over() -> None:
        window.scan_task = None
        window.scan_bar.finish()

    def done(result: Any) -> None:
        over()
        finished(result)

    def cancelled() -> None:
        over()
        window.show_message("Cancelled. What was read so far is cached.")

    def failed(message: str, _details: str) -> None:
        over()
        QMessageBox.warning(window, "dedup-gui", message)

    window.scan_bar.start(text)
    window.scan_task = window.runner.start(
        in_process(function, request), finished=done, progress=window.scan_bar.update_progress,
        cancelled=cancelled, failed=failed)


def open_insights(window: MainWindow) -> None:
    if (request := _request(window)) is None:
        return

    def show(insights: Any) -> None:
        window.insights_dialog = insights_view.InsightsDialog(insights, window)
        window.insights_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.insights_dialog.show()

    _start(window, insights_calls.insights, request, "Looking at the whole library…", show)


def choose_report_folder(window: MainWindow) -> str:
    start = window.settings.last_folder or os.path.expanduser("~")
    return QFileDialog.getExistingDirectory(window, "Export report to a new or empty folder",
                                            start)


def export_report(window: MainWindow) -> None:
    if (request := _request(window)) is None:
        return
    out = choose_report_folder(window)
    if not out:
        return
    if problem := insights_calls.report_folder_problem(out, request.roots):
        QMessageBox.warning(window, "Export report", f"The report cannot go there: {problem}.")
        return
    request = dataclasses.replace(request, out=out)

    def written(index: str) -> None:
        window.show_message(f"Report written: {index}")
        box = QMessageBox(QMessageBox.Icon.Information, "Export report",
                          f"The report is in {os.path.dirname(index)}.", parent=window)
        opener = box.addButton("Open report", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        opener.clicked.connect(lambda: insights_view.open_url(QUrl.fromLocalFile(index)))
        window.report_box = box
        box.open()

    _start(window, insights_calls.report, request, "Writing the report…", written)
