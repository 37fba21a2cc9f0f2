"""Move to folder: the marked files of the group on show, or of the shown groups (scoped and
confirmed as for the Trash), into a folder the person chooses, the structure below the scanned
folders kept; and the quarantine folder offered for files the Trash refuses. A part of
TrashFlow (mixed in): it plans and moves through the same calls."""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.qt.review import quarantine_prompt
from dedup_gui.qt.review.removal_scope import count_scope
from dedup_gui.qt.review.steps import Done
from dedup_gui.qt.review.trash_texts import nothing_in_group, stayed_text
from dedup_gui.tasks.removal import ActionOutcome, folder_problem, plan_removal
from dedup_gui.text import plural


class FolderMoves:
    def folder_group(self, group: int | None) -> None:
        """The marked files of the group on show, into a folder the person chooses."""
        if group is None or self.foreground.busy:
            return
        self.state.mark_opened(group)
        marks = {f.path for f in self.state.marked_files(group)}
        if not marks:  # asked before the folder: no chooser for nothing
            self.message.emit(nothing_in_group(self.state, "folder"))
        elif folder := self._target():
            self._trash(marks, "from this group ", folder=folder)

    def folder_shown(self, groups: Sequence[int]) -> None:
        """The marked files of the shown groups, scoped and confirmed like the Trash."""
        if self.foreground.busy:
            return
        if not count_scope(self.state, groups).files:
            self.message.emit("Nothing is marked Remove in the groups shown.")
        elif folder := self._target():
            self.trash_shown(groups, folder)

    def _target(self) -> str | None:
        """The chosen folder, or None (cancelled, or refused: then the person is told why)."""
        folder = self.choose_folder()
        if folder and (problem := folder_problem(folder, self.roots())):
            self.message.emit(f"Not moved: {problem}.")
            self._show_failures("Choose another folder", "Nothing was moved:", [], [problem])
            return None
        self.last_target = folder or self.last_target
        return folder or None

    def _foldered(self, outcome: ActionOutcome, step: Done, redo: bool) -> None:
        failures = self._moved(outcome, step, redo)
        self.message.emit(f"Moved {plural(len(outcome.succeeded), 'file')} to {step.folder}; Undo "
                          "puts them back." + (f" {plural(len(failures), 'file')} not moved."
                                               if failures else ""))
        self._report_failures(failures, outcome, stayed_text(failures, redo))

    def _offer_quarantine(self, paths: list[str]) -> None:
        folder = self.choose_quarantine(paths)
        if not folder:
            return
        plan = plan_removal(self._plan_groups, set(paths), self.protected_folders())
        self._refused = [(p, r.reason) for r in plan.refusals for p in r.paths]
        self._run(quarantine_prompt.quarantine_call(plan, folder),
                  "Moving to the quarantine folder…", self._quarantined)

    def _quarantined(self, outcome: ActionOutcome) -> None:
        failures = self._moved(outcome)
        self.message.emit(f"Moved {plural(len(outcome.succeeded), 'file')} to the quarantine "
                          "folder; Undo puts them back.")
        self._report_failures(failures, outcome, "These files stayed where they were:")
