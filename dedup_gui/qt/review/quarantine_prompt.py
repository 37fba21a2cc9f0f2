"""When the Trash refuses files (a network share, a drive without a trash folder): ask whether to
move them to a folder the person chooses instead. Leaving them where they are is the default;
deleting them for good is never offered. The move itself is the engine's
(engine/actions/quarantine.py), journaled like a trash batch, so Undo puts the files back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.tasks.cache import open_cache
from dedup_gui.tasks.removal import ActionOutcome
from dedup_gui.text import plural

TITLE = "The Trash is not available"


NO_TRASH = "This happens on network shares and on drives without a trash folder."
DISK_FULL = ("The disk is full: the Trash needs a little room to record each file. Free some "
             "space and move them again.")
READ_ONLY = ("Their folder, or the Trash's, cannot be written (read-only): the Trash cannot "
             "take them from there.")


def cause_of(reasons: list[str]) -> str:
    """Why the Trash refused, from the files' reasons: a full disk and a read-only folder
    were told "This happens on network shares…" (a hostile-input check)."""
    said = " ".join(reasons)
    if "No space left" in said or "Disk quota exceeded" in said:
        return DISK_FULL
    if "Permission denied" in said or "Read-only file system" in said:
        return READ_ONLY
    return NO_TRASH


def ask_for_folder(window: QWidget, paths: list[str], cause: str = NO_TRASH) -> str | None:
    """The folder to move `paths` to, or None to leave them where they are; `cause`: why the
    Trash refused them (cause_of)."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE,
                      f"The Trash cannot take {plural(len(paths), 'file')}: they are still "
                      "where they were.", QMessageBox.StandardButton.NoButton, window)
    box.setInformativeText(
        f"{cause} dedup-gui never deletes files for good. You can move them to a folder you "
        "choose instead (a quarantine folder: Undo puts them back), or leave them.")
    choose = box.addButton("Choose a Folder…", QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton("Leave Them", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(leave)
    box.exec()
    if box.clickedButton() is not choose:
        return None
    return QFileDialog.getExistingDirectory(window, "Move the files to this folder") or None


def quarantine_call(plan: Any, folder: str
                    ) -> Callable[[ProgressCallback, CancelToken], ActionOutcome]:
    """The engine's quarantine move, for the worker thread, with the journal undo reads."""

    def call(progress: ProgressCallback, cancel: CancelToken) -> ActionOutcome:
        from dedup_gui.engine.actions.journal import Journal
        from dedup_gui.engine.actions.quarantine import move_to_quarantine

        cache = open_cache()
        try:
            journal = Journal(cache)
            outcomes = move_to_quarantine(plan, folder, journal, progress, cancel)
            return ActionOutcome(outcomes, [*journal.warnings, *cache.warnings])
        finally:
            cache.close()

    return call
