"""Acting on the review: "Move N files (X MB) to Trash" with one confirmation, "Move to folder…"
(the same scopes, into a chosen folder, folder structure kept), "Not duplicates", and Undo and
Redo for each. The engine does the moving (plan, re-check, journal); this asks, shows progress,
lists per-file failures in one dialog the person can keep open, and updates the review state.

Undo and Redo live in undo_redo.py, Move to folder in folder_moves.py (both mixed in), the
words of its messages in trash_texts.py. Files the Trash refuses (a network share) are offered a
quarantine folder instead (folder_moves.py, quarantine_prompt.py), never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Group
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.review import folder_prompt, quarantine_prompt, series_marks
from dedup_gui.qt.review.folder_moves import FolderMoves
from dedup_gui.qt.review.removal_scope import (
    REVIEWED,
    TRASH,
    Scope,
    ask_move,
    ask_scope,
    count_scope,
    question_for,
)
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.steps import Done
from dedup_gui.qt.review.trash_texts import (
    NOTE_ONLY,
    SERIES_DETAIL,
    kept_copies_note,
    nothing_in_group,
    only_raws,
    only_raws_note,
    released_note,
    stayed_text,
)
from dedup_gui.qt.review.undo_redo import UndoRedo
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.qt.workers.runner import EngineCall
from dedup_gui.tasks.cache import mark_not_duplicates
from dedup_gui.tasks.removal import (
    ActionOutcome,
    folder_call,
    plan_removal,
    restamped,
    stamps_of,
    trash_call,
)
from dedup_gui.text import plural


class TrashFlow(QObject, UndoRedo, FolderMoves):
    message = Signal(str)
    changed = Signal()  # busy or undo availability changed
    restored = Signal(object)  # the paths Undo put back (set[str])
    show_group = Signal(int)  # a group Undo brought back, to review

    def __init__(self, window: QWidget, state: ReviewState, foreground: ForegroundTask,
                 protected_folders: Callable[[], list[str]],
                 roots: Callable[[], list[str]] = list) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.foreground = foreground
        self.protected_folders = protected_folders
        self.roots = roots  # the scanned folders: Move to folder keeps the structure below them
        self.history: list[Done] = []
        self.redone: list[Done] = []  # what Undo took back, newest last: Redo does it again
        self.journal_has_batch = False
        self.confirm: Callable[[str, str], bool] = (  # tests replace this
            lambda question, detail: ask_move(self.window, question, detail))
        self.confirm_bulk: Callable[[str, str], bool] = (  # this (Cancel is its default)
            lambda question, detail: ask_move(self.window, question, detail, False))
        self.choose_scope: Callable[[Scope], str | None] = (  # and this
            lambda scope: ask_scope(self.window, scope))
        self.trash_cause = quarantine_prompt.NO_TRASH  # why the Trash refused the last files
        self.choose_quarantine: Callable[[list[str]], str | None] = (  # and this
            lambda paths: quarantine_prompt.ask_for_folder(self.window, paths, self.trash_cause))
        self.last_target = ""  # the folder Move to folder used last (the chooser starts there)
        self.choose_folder: Callable[[], str | None] = (  # and this
            lambda: folder_prompt.ask_target(self.window, self.last_target, self.roots()))
        self.last_dialog: IssuesDialog | None = None
        self._plan_groups: Sequence[Group] = ()  # what the last plan checked (groups, series)
        self._released: list[str] = []  # marks the last move took off (ReviewState.set_trashed)

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
        marks = {f.path for f in self.state.marked_files(group)}
        if not marks:
            self.message.emit(nothing_in_group(self.state))
            return
        self._trash(marks, "from this group ")

    def trash_shown(self, groups: Sequence[int], folder: str | None = None) -> None:
        """The marked files of the groups the list shows, after a confirmation that tells
        reviewed groups from suggested ones; its default moves only the reviewed."""
        if self.foreground.busy:
            return
        scope = count_scope(self.state, groups)
        if folder:
            scope.where = folder
        scope.warning = only_raws_note(only_raws(self.state.groups, scope.everything,
                                                 self.state.out_of_place))
        if not scope.files:
            self.message.emit("Nothing is marked Remove in the groups shown.")
            return
        choice = self.choose_scope(scope)
        if choice is not None:
            self._trash(scope.reviewed if choice == REVIEWED else scope.everything, "",
                        confirmed=True, folder=folder)

    def trash_identical(self) -> None:
        """An explicit bulk command for the safest kind: byte-identical copies, every group."""
        if self.foreground.busy:
            return
        groups = [g for g in self.state.active_groups() if self.state.groups[g].tier == IDENTICAL]
        self._trash(count_scope(self.state, groups).everything, "from groups of identical copies ",
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
        shots = set().union(*marked.values())
        self._trash(shots,
                    f"from {plural(len(marked), 'similar-shot series', 'similar-shot series')} ",
                    SERIES_DETAIL + kept_copies_note(self.state, shots), ask=self.confirm_bulk,
                    groups=self._groups_and_series())

    def _groups_and_series(self) -> tuple[Group, ...]:
        return (*self.state.groups, *series_marks.as_groups(self.state))

    def _trash(self, marks: set[str], what: str, detail: str = "", confirmed: bool = False,
               ask: Callable[[str, str], bool] | None = None, folder: str | None = None,
               redo: Done | None = None, groups: Sequence[Group] | None = None) -> None:
        """Plan, ask, then move `marks` to the Trash, or below `folder` when one is given.
        `redo`: the step Redo does again; its files must be as they were then. `groups`: what
        no move may empty (default: the duplicate groups; series too for shots)."""
        if not marks:
            self.message.emit("Nothing is marked Remove.")
            return
        self._plan_groups = groups if groups is not None else self.state.groups
        plan = plan_removal(self._plan_groups, marks, self.protected_folders())
        if redo is not None:
            plan = restamped(plan, redo.stamps)
        if plan.count == 0:
            self._show_failures("Nothing can be moved", "No marked file can be moved:",
                                [(p, r.reason) for r in plan.refusals for p in r.paths])
            return
        if plan.refusals:
            skipped = sum(len(r.paths) for r in plan.refusals)
            detail = (f"{detail} " if detail else "") + \
                f"{plural(skipped, 'marked file')} will be left alone (see why afterwards)."
        question = question_for(plan, what, folder or TRASH)
        if raws := only_raws(self._plan_groups, marks, self.state.out_of_place):
            detail = f"{only_raws_note(raws)}\n\n{detail}".strip()
            ask = ask or self.confirm_bulk  # Cancel the default: RAWs are the originals
        if not confirmed and not (ask or self.confirm)(question, detail):
            return
        self._refused = [(p, r.reason) for r in plan.refusals for p in r.paths]
        step = Done("folder" if folder else "trash", generation=self.state.generation,
                    folder=folder or "", stamps=stamps_of(plan))
        if folder:
            self._run(folder_call(plan, folder, self.roots()), "Moving to the folder…",
                      lambda outcome: self._foldered(outcome, step, redo is not None))
        else:
            self._run(trash_call(plan), "Moving to the Trash…",
                      lambda outcome: self._trashed(outcome, step, redo is not None))

    def _trashed(self, outcome: ActionOutcome, step: Done, redo: bool = False) -> None:
        failures = self._moved(outcome, step, redo)
        self.message.emit(f"Moved {plural(len(outcome.succeeded), 'file')} to the Trash."
                          + (f" {plural(len(failures), 'file')} not moved." if failures else "")
                          + released_note(self._released))
        self._report_failures(failures, outcome, stayed_text(failures, redo))
        unavailable = [o for o in outcome.outcomes if getattr(o, "trash_unavailable", False)]
        refused = [o.path for o in unavailable  # a photo's companions go with it
                   if self.state.is_reviewed(o.path)]
        if refused:
            self.trash_cause = quarantine_prompt.cause_of([o.reason for o in unavailable])
            self._offer_quarantine(refused)

    def _moved(self, outcome: ActionOutcome, done: Done | None = None, redo: bool = False
               ) -> list[tuple[str, str]]:
        """Mark what moved as gone and remember it for Undo (a new action, not a Redo, also
        forgets what could be redone); every file that did not move."""
        moved = outcome.succeeded
        done = done or Done("trash")
        self._released = self.state.set_trashed(moved, True, done.folder)
        failed = {path for path, _reason in [*outcome.failures, *self._refused]}
        if gone := self.state.no_longer_as_scanned(failed - self.state.gone):
            self._released += self.state.set_gone(gone)  # out of the review, not counted
        if moved:
            done.paths = moved
            self.history.append(done)
            if not redo:
                self.redone.clear()
        return outcome.failures + self._refused

    def _report_failures(self, failures: list[tuple[str, str]], outcome: ActionOutcome,
                         intro: str) -> None:
        if failures:
            self._show_failures("Some files were not moved", intro, failures, outcome.warnings)
        elif outcome.warnings:  # a move that worked, with a note (a read-only cache's)
            self._show_failures("Moved, with a note", NOTE_ONLY, [], outcome.warnings)

    # -- Not duplicates ----------------------------------------------------------------------
    def not_duplicates(self, group: int | None, redo: bool = False) -> bool:
        if group is None or self.busy:
            return False
        files = self.state.live_files(group)
        problem = mark_not_duplicates(files)
        if problem:
            self.message.emit(f"Not remembered: {problem}")
            return False
        self.state.set_dismissed(group, True)
        self.history.append(Done("dismiss", {f.path for f in files}, group,
                                  self.state.generation))
        if not redo:
            self.redone.clear()
        self.message.emit(f"Remembered: these {len(files)} files are not duplicates.")
        self.changed.emit()
        return True

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
        """The files (hidden when none: the notes alone) and the notes."""
        self.last_dialog = IssuesDialog(title, intro, rows, notes, self.window)
        self.last_dialog.tree.setVisible(bool(rows))
        self.last_dialog.open()
