"""Find similar to a photo: the window's part. Opens the dialog, runs the engine's query by example
in the engine process (one search at a time: a newer photo cancels the running search), and opens
the compare view on a match.

Where a search starts: "Find similar to this photo" (the current file of the group), "Find
similar to a photo…" (a file chooser), a photo dropped on the dialog, or a single photo dropped
on the main window while there are folders to search (a drop on the Folders list adds it to the
scan instead).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.common.drops import local_paths, single_image
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.similar.dialog import SimilarDialog
from dedup_gui.qt.similar.matches import counts_as_copy, percent_alike, remove_refused
from dedup_gui.qt.workers.runner import EngineTask, TaskRunner
from dedup_gui.tasks.similar import SimilarOutcome, SimilarPhoto, find_similar_call

NO_FOLDERS = "Add a folder first: the search looks for similar photos in your folders."


class SimilarPhotos(QObject):
    added = Signal(int)  # a match was added to this group of the review

    def __init__(self, window: QWidget, runner: TaskRunner, pictures: ThumbnailLoader,
                 full: ThumbnailLoader, roots: Callable[[], list[str]],
                 blocked: Callable[[], str | None]) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.pictures = pictures
        self.full = full
        self.roots = roots
        self.blocked = blocked  # why no search may start now (a scan is running), or None
        self.dialog: SimilarDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.state: ReviewState | None = None  # the review that "Add to group" adds to
        self.task: EngineTask | None = None
        self._next: str | None = None

    def open(self, photo: str | None = None, choose: bool = False) -> SimilarDialog:
        """Show the dialog; search for `photo`, or let the person choose one."""
        dialog = self._dialog()
        if not dialog.isVisible():  # a note on what an add did is old news now
            dialog.describe_outcome()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if photo:
            self.search(photo)
        elif choose:
            dialog.choose()
        return dialog

    def dropped_photo(self, mime: QMimeData) -> str | None:
        """The photo to search for when a drop on the window is one image and there are folders
        to search; None: the drop adds folders."""
        return single_image(local_paths(mime)) if self.roots() else None

    def search(self, photo: str) -> None:
        dialog = self._dialog()
        roots = self.roots()
        if problem := (NO_FOLDERS if not roots else self.blocked()):
            dialog.show_problem(problem)
            return
        if self.task is not None:
            self._next = photo
            self.task.cancel()
            return
        dialog.searching(photo, len(roots))
        self.task = self.runner.start(
            find_similar_call(photo, roots), finished=self._found,
            progress=dialog.bar.update_progress, cancelled=self._cancelled, failed=self._failed)

    def cancel(self) -> None:
        self._next = None
        if self.task is not None:
            self.task.cancel()
            self._dialog().bar.cancelling()

    def _over(self) -> bool:
        """The task is done; True when a newer photo is waiting (it starts now)."""
        self.task = None
        photo, self._next = self._next, None
        if photo:
            self.search(photo)
        return photo is not None

    def _found(self, outcome: SimilarOutcome) -> None:
        if not self._over():
            self._dialog().show_outcome(outcome)

    def _cancelled(self) -> None:
        if not self._over():
            self._dialog().show_problem("Search cancelled.")

    def _failed(self, message: str, _details: str) -> None:
        if not self._over():
            self._dialog().show_problem(f"This photo could not be searched for: {message}")

    def compare(self, match: SimilarPhoto) -> None:
        dialog = self._dialog()
        if dialog.outcome is None:
            return
        self.compare_dialog = CompareDialog((dialog.outcome.query, match.file), None, self.full,
                                            dialog)
        self.compare_dialog.setWindowTitle("Compare with the photo searched for")
        self.compare_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog.finished.connect(lambda _r: setattr(self, "compare_dialog", None))
        self.compare_dialog.open()

    def add(self, match: SimilarPhoto, remove: bool) -> None:
        """Add a match to the group of the photo searched for, through the review state (so
        the Trash, Undo and the saved results see it), and say what happened."""
        dialog = self._dialog()
        if dialog.outcome is None or self.state is None:
            return
        if remove and (refused := remove_refused(match)):
            dialog.show_note(refused)
            return
        same = counts_as_copy(match)
        group = self.state.add_found(dialog.outcome.query, match.file, remove,
                                     percent_alike(match.distance), same)
        if isinstance(group, str):
            dialog.show_note(group)
            return
        name = os.path.basename(match.file.path)
        query = os.path.basename(dialog.outcome.query.path)
        dialog.show_note(f"{name} added to the group of {query}, marked "  # no group numbers
                         f"{'Remove' if remove else 'Keep'}: the window shows it.")  # on show

        self.added.emit(group)

    def _dialog(self) -> SimilarDialog:
        if self.dialog is None:
            self.dialog = SimilarDialog(self.pictures, self.window)
            self.dialog.search_requested.connect(self.search)
            self.dialog.compare_requested.connect(self.compare)
            self.dialog.add_requested.connect(self.add)
            self.dialog.cancel_requested.connect(self.cancel)
            self.dialog.rejected.connect(self.cancel)  # closing the dialog stops its search
        return self.dialog
