"""Acting on the review: "Move N files (X MB) to Trash" with one confirmation, "Not duplicates",
and Undo for both. The engine does the moving (plan, re-check, journal); this asks, shows progress,
lists per-file failures in one dialog the person can keep open, and updates the review state.

Undo takes back the newest action of this session; with none left it still restores the newest
batch the journal holds in the Trash (say, from before a restart). Files the Trash refuses (a
network share) are offered a quarantine folder instead (quarantine_prompt.py), never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Group
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.review import quarantine_prompt, series_marks
from dedup_gui.qt.review.removal_scope import REVIEWED, Scope, ask_scope, count_scope
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.qt.workers.runner import EngineCall
from dedup_gui.tasks.cache import forget_not_duplicates, mark_not_duplicates
from dedup_gui.tasks.removal import (
    ActionOutcome,
    can_undo_call,
    plan_removal,
    trash_call,
    undo_call,
)
from dedup_gui.text import human_bytes, plural


def _question(plan: Any, what: str = "") -> str:
    """"Move 3 files (2 MB) from this group…", or with companions "Move 3 photos (5 files with
    their RAW/Live video/sidecars, 40 MB)…": the person sees every file that will move."""
    size = human_bytes(plan.total_bytes)
    if plan.count == plan.photos:
        return f"Move {plural(plan.count, 'file')} ({size}) {what}to the Trash?"
    return (f"Move {plural(plan.photos, 'photo')} ({plural(plan.count, 'file')} with their "
            f"RAW/Live video/sidecars, {size}) {what}to the Trash?")


SERIES_DETAIL = ("These are other shots of a scene, not copies: only the shots marked Remove "
                 "move, and every series keeps at least one shot.")


@dataclass
class _Done:
    """One undoable step: a trash batch (`paths` moved) or a dismissed group."""

    kind: str  # "trash" | "dismiss"
    paths: set[str] = field(default_factory=set)
    group: int = -1
    generation: int = 0  # ReviewState.generation when it was done


class TrashFlow(QObject):
    message = Signal(str)
    changed = Signal()  # busy or undo availability changed

    def __init__(self, window: QWidget, state: ReviewState, foreground: ForegroundTask,
                 protected_folders: Callable[[], list[str]]) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.foreground = foreground
        self.protected_folders = protected_folders
        self.history: list[_Done] = []
        self.journal_has_batch = False
        self.confirm: Callable[[str, str], bool] = self._ask  # tests replace this
        self.confirm_bulk: Callable[[str, str], bool] = (  # this (Cancel is its default)
            lambda question, detail: self._ask(question, detail, move_is_default=False))
        self.choose_scope: Callable[[Scope], str | None] = (  # and this
            lambda scope: ask_scope(self.window, scope))
        self.choose_quarantine: Callable[[list[str]], str | None] = (  # and this
            lambda paths: quarantine_prompt.ask_for_folder(self.window, paths))
        self.last_dialog: IssuesDialog | None = None
        self._plan_groups: Sequence[Group] = ()  # what the last plan checked (groups, series)

    @property
    def busy(self) -> bool:
        """A batch of this flow (trash, quarantine, undo) is moving files."""
        return self.foreground.moving

    # -- Move to Trash -----------------------------------------------------------------------
    def trash_group(self, group: int | None) -> None:
        """Delete: the marked files of the group on show, and nothing else."""
        if group is None or self.foreground.busy:
            return
        self.state.mark_opened(group)
        self._trash({f.path for f in self.state.marked_files(group)}, "from this group ")

    def trash_shown(self, groups: Sequence[int]) -> None:
        """The marked files of the groups the list shows, after a confirmation that tells
        reviewed groups from suggested ones; its default moves only the reviewed."""
        if self.foreground.busy:
            return
        scope = count_scope(self.state, groups)
        if not scope.files:
            self.message.emit("Nothing is marked Remove in the groups shown.")
            return
        choice = self.choose_scope(scope)
        if choice is not None:
            self._trash(scope.reviewed if choice == REVIEWED else scope.everything, "",
                        confirmed=True)

    def trash_identical(self) -> None:
        """An explicit bulk command for the safest kind: byte-identical copies, every group."""
        if self.foreground.busy:
            return
        groups = [g for g in self.state.active_groups() if self.state.groups[g].tier == IDENTICAL]
        self._trash(count_scope(self.state, groups).everything, "identical copies ",
                    "Only files with the same bytes as a file that is kept, in every group, "
                    "opened or not.", ask=self.confirm_bulk)

    def trash_series(self) -> None:
        """The shots marked Remove in the similar-shot series ("keep the best of each series"
        or by hand), after a confirmation whose default is Cancel: these are other photos, not
        copies. The plan sees every series and group, so none is ever emptied."""
        if self.foreground.busy:
            return
        marked = series_marks.all_marked(self.state)
        if not marked:
            self.message.emit("No shot is marked Remove in the similar-shot series.")
            return
        groups = (*self.state.groups, *series_marks.as_groups(self.state))
        self._trash(set().union(*marked.values()),
                    f"from {plural(len(marked), 'similar-shot series', 'similar-shot series')} ",
                    SERIES_DETAIL, ask=self.confirm_bulk, groups=groups)

    def _trash(self, marks: set[str], what: str, detail: str = "", confirmed: bool = False,
               ask: Callable[[str, str], bool] | None = None,
               groups: Sequence[Group] | None = None) -> None:
        if not marks:
            self.message.emit("Nothing is marked Remove.")
            return
        self._plan_groups = groups if groups is not None else self.state.groups
        plan = plan_removal(self._plan_groups, marks, self.protected_folders())
        if plan.count == 0:
            self._show_failures("Nothing can be moved", "No marked file can be moved:",
                                [(p, r.reason) for r in plan.refusals for p in r.paths])
            return
        if plan.refusals:
            skipped = sum(len(r.paths) for r in plan.refusals)
            detail = (f"{detail} " if detail else "") + \
                f"{plural(skipped, 'marked file')} will be left alone (see why afterwards)."
        question = _question(plan, what)
        if not confirmed and not (ask or self.confirm)(question, detail):
            return
        self._refused = [(p, r.reason) for r in plan.refusals for p in r.paths]
        self._run(trash_call(plan), "Moving to the Trash…", self._trashed)

    def _ask(self, question: str, detail: str, move_is_default: bool = True) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Move to Trash", question,
                          QMessageBox.StandardButton.Cancel, self.window)
        move = box.addButton("Move to Trash", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(move if move_is_default
                             else box.button(QMessageBox.StandardButton.Cancel))
        box.setInformativeText((detail + "\n\n" if detail else "")
                               + "You can undo this with Edit ▸ Undo (Ctrl+Z).")
        box.exec()
        return box.clickedButton() is move

    def _trashed(self, outcome: ActionOutcome) -> None:
        failures = self._moved(outcome)
        self.message.emit(f"Moved {plural(len(outcome.succeeded), 'file')} to the Trash."
                          + (f" {plural(len(failures), 'file')} not moved." if failures else ""))
        self._report_failures(failures, outcome, f"{plural(len(failures), 'file')} stayed where "
                                                 "they were; nothing else was touched:")
        refused = [o.path for o in outcome.outcomes  # a photo's companions go with it
                   if getattr(o, "trash_unavailable", False) and self.state.is_reviewed(o.path)]
        if refused:
            self._offer_quarantine(refused)

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

    def _moved(self, outcome: ActionOutcome) -> list[tuple[str, str]]:
        """Mark what moved as gone and remember it for Undo; every file that did not move."""
        moved = outcome.succeeded
        self.state.set_trashed(moved, True)
        if moved:
            self.history.append(_Done("trash", moved))
        return outcome.failures + self._refused

    def _report_failures(self, failures: list[tuple[str, str]], outcome: ActionOutcome,
                         intro: str) -> None:
        if failures or outcome.warnings:
            self._show_failures("Some files were not moved", intro, failures, outcome.warnings)

    # -- Not duplicates ----------------------------------------------------------------------
    def not_duplicates(self, group: int | None) -> bool:
        if group is None or self.busy:
            return False
        files = self.state.live_files(group)
        problem = mark_not_duplicates(files)
        if problem:
            self.message.emit(f"Not remembered: {problem}")
            return False
        self.state.set_dismissed(group, True)
        self.history.append(_Done("dismiss", {f.path for f in files}, group,
                                  self.state.generation))
        self.message.emit(f"Remembered: these {len(files)} files are not duplicates.")
        self.changed.emit()
        return True

    # -- Undo --------------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return not self.busy and (bool(self.history) or self.journal_has_batch)

    def undo_text(self) -> str:
        if self.history and self.history[-1].kind == "dismiss":
            return "&Undo Not duplicates"
        return "&Undo Move to Trash" if self.can_undo else "&Undo"

    def undo(self) -> None:
        if not self.can_undo:
            self.message.emit("Nothing to undo.")
            return
        if self.history and self.history[-1].kind == "dismiss":
            done = self.history.pop()
            if problem := forget_not_duplicates(sorted(done.paths)):
                self.message.emit(f"Could not undo: {problem}")
                self.history.append(done)
                return
            if done.generation == self.state.generation:
                self.state.set_dismissed(done.group, False)
                self.message.emit("The group is back.")
            else:
                self.message.emit("Forgotten: the next scan shows these files as duplicates "
                                  "again.")
            self.changed.emit()
            return
        self._run(undo_call, "Restoring from the Trash…", self._restored)

    def _restored(self, outcome: ActionOutcome) -> None:
        restored = outcome.succeeded
        if self.history and self.history[-1].kind == "trash":
            done = self.history[-1]
            done.paths -= restored
            if not done.paths or not outcome.outcomes:
                self.history.pop()
        self.state.set_trashed(restored, False)
        self.message.emit(f"Restored {plural(len(restored), 'file')} from the Trash.")
        if outcome.failures or outcome.warnings:
            self._show_failures("Some files were not restored",
                                "These files could not be put back:", outcome.failures,
                                outcome.warnings)
        self.refresh_journal()

    def refresh_journal(self) -> None:
        """Ask (on the worker) whether the journal holds an undoable batch."""
        self.foreground.runner.start(can_undo_call, finished=self._journal_known,
                                     failed=lambda *_: None)

    def _journal_known(self, has_batch: bool) -> None:
        self.journal_has_batch = bool(has_batch)
        self.changed.emit()

    # -- shared ------------------------------------------------------------------------------
    def _run(self, call: EngineCall, text: str,
             done: Callable[[ActionOutcome], None]) -> None:
        """A batch as the foreground task (not cancellable: a half-done move is worse)."""
        self.foreground.start(call, text, finished=done, failed=self._failed, cancellable=False)

    def _failed(self, message: str, details: str) -> None:
        self.message.emit(f"Failed: {message}")
        self._show_failures("Something went wrong", message, [], [details])

    def _show_failures(self, title: str, intro: str, rows: list[tuple[str, str]],
                       notes: Sequence[str] = ()) -> None:
        self.last_dialog = IssuesDialog(title, intro, rows, notes, self.window)
        self.last_dialog.open()
