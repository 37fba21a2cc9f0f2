"""The main window's secondary dialogs: unreadable files, export, preferences, about. Each is
opened by the person (a menu, the status bar), never popped up by the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from dedup_gui import __version__
from dedup_gui.qt.formatting import plural
from dedup_gui.qt.issues_dialog import IssuesDialog
from dedup_gui.qt.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from dedup_gui.qt.main_window import MainWindow


def show_unreadable(window: MainWindow) -> None:
    outcome = window.state.outcome
    if outcome is None:
        return
    rows = [(issue.path, issue.reason) for issue in outcome.result.issues]
    window.issues_dialog = IssuesDialog(
        "Unreadable files", f"The last scan could not read {plural(len(rows), 'file')}:",
        rows, outcome.result.warnings, window)
    window.issues_dialog.open()


def export(window: MainWindow) -> None:
    from dedup_gui.qt.export_dialog import export_results

    if window.state.outcome is not None:
        export_results(window, window.state.outcome.result, window.settings,
                       window.folders.folders())


def about(window: MainWindow) -> None:
    QMessageBox.about(window, "About dedup-gui",
                      f"<h3>dedup-gui {__version__}</h3><p>Find duplicate and near-duplicate "
                      "photos, review them side by side, and move the extra copies to the "
                      "Trash — with undo.</p><p>MIT licence.</p>")


def preferences(window: MainWindow) -> None:
    dialog = SettingsDialog(window.settings, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    old = window.settings
    new = dialog.result_settings()
    rules_changed = new.keep_rules != old.keep_rules
    scan_changed = (new.embeddings, new.similar_shots) != (old.embeddings, old.similar_shots)
    window.settings = new
    window.save()
    if rules_changed and window.state.outcome is not None:
        window.repropose()
    elif scan_changed and window.state.outcome is not None:
        window.show_message("Scan again to look for duplicates with the new settings.")
