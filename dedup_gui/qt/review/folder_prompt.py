"""Where file dialogs start, and the folder chooser of Move to folder.

A dialog that opens inside the photo library invites saving results, or moving files, right
back into the folders being scanned (the next scan then finds them again). So dialogs start in
the folder the person chose last time, when that is outside the scanned folders, else in their
Documents folder (their home where there is none)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def start_folder(remembered: str, roots: Sequence[str]) -> str:
    """`remembered` when it exists outside every scanned folder, else Documents, else home."""
    if remembered and os.path.isdir(remembered) and not any(_inside(remembered, r)
                                                            for r in roots):
        return remembered
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and os.path.isdir(documents) and not any(_inside(documents, r) for r in roots):
        return documents
    return os.path.expanduser("~")


def ask_target(window: QWidget, remembered: str, roots: Sequence[str]) -> str | None:
    """The folder Move to folder puts the files in, or None when cancelled."""
    chosen = QFileDialog.getExistingDirectory(
        window, "Move the marked files to this folder (their folders are kept inside it)",
        start_folder(remembered, roots))
    return chosen or None
