"""The main window's secondary dialogs: unreadable files, export, preferences, about. Each is
opened by the person (a menu, the status bar), never popped up by the app. They return what the
window keeps (a dialog, new settings) instead of writing on the window."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from dedup_gui import __version__
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.settings.dialog import SettingsDialog
from dedup_gui.settings import FolderSetting, Settings
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.text import plural


def show_unreadable(parent: QWidget, outcome: ScanOutcome | None) -> IssuesDialog | None:
    """The files the last scan could not read, with why; the open dialog."""
    if outcome is None:
        return None
    rows = [(issue.path, issue.reason) for issue in outcome.result.issues]
    title, intro = ("Scan notes", "The last scan read every file it found.")
    if rows:
        title = "Unreadable files"
        intro = f"The last scan could not read {plural(len(rows), 'file')}:"
    dialog = IssuesDialog(title, intro, rows, outcome.result.warnings, parent)
    dialog.open()
    return dialog


def export(parent: QWidget, outcome: ScanOutcome | None, settings: Settings,
           folders: Sequence[FolderSetting], removals: Sequence[set[str]] | None = None
           ) -> Path | None:
    """Export the results with `removals` as the keep/remove marks (the person's marks now;
    default: the keeper proposal); the file written, or None."""
    from dedup_gui.engine.export.results import Keepers
    from dedup_gui.qt.window.export_dialog import export_results

    if outcome is not None:
        labels = {path: known.label for path, known in outcome.provenance.items()}
        marks = outcome.removals if removals is None else removals
        keepers = Keepers(marks, outcome.reasons, labels)
        return export_results(parent, outcome.result, settings, list(folders), keepers)
    return None


def about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About dedup-gui",
                      f"<h3>dedup-gui {__version__}</h3><p>Find duplicate and near-duplicate "
                      "photos, review them side by side, and move the extra copies to the "
                      "Trash — with undo.</p><p>MIT licence.</p>")


def preferences(parent: QWidget, settings: Settings) -> Settings | None:
    """The settings the person accepted in Edit ▸ Preferences, or None when cancelled."""
    dialog = SettingsDialog(settings, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_settings()
