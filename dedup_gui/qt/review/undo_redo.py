"""Undo and Redo for the review's actions (TrashFlow mixes this in): two stacks of steps
(steps.Done), the newest last. Undo takes back the newest step of this session; with none left
it still restores the newest batch the journal holds in the Trash (say, from before a restart).
Redo does again what this session's last Undo took back, as a new journaled batch re-checked
like the first (a file changed since stays, and says why); any new action clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dedup_gui.engine.actions.trash_restore import GONE as TRASH_ENTRY_GONE
from dedup_gui.qt.review.series_marks import live_shots
from dedup_gui.qt.review.steps import Done
from dedup_gui.qt.review.trash_texts import NOTE_ONLY
from dedup_gui.tasks.cache import forget_not_duplicates
from dedup_gui.tasks.removal import ActionOutcome, can_undo_call, undo_call
from dedup_gui.text import plural

if TYPE_CHECKING:
    from dedup_gui.qt.review.review_state import ReviewState
    from dedup_gui.qt.workers.foreground import ForegroundTask


class UndoRedo:
    """The Undo and Redo half of TrashFlow; it provides the state, the stacks, the signals and
    the moving (`_trash`, `_run`, `not_duplicates`)."""

    state: ReviewState
    foreground: ForegroundTask
    history: list[Done]
    redone: list[Done]
    journal_has_batch: bool
    message: Any  # Signal(str)
    changed: Any  # Signal()
    restored: Any  # Signal(object)
    show_group: Any  # Signal(int)

    # -- Undo --------------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return not self.busy and (bool(self.history) or self.journal_has_batch)

    def undo_text(self) -> str:
        if self.history:
            return f"&Undo {self.history[-1].text}"
        return "&Undo Move to Trash" if self.can_undo else "&Undo"

    def marked(self, helper: str, marks: dict[int, tuple[set[str], set[str]]],
               by_hand: bool = False) -> None:
        """A Mark helper changed `marks` (group -> before, after), or the person one mark
        (`by_hand`, `helper` "Keep NAME"): one step for Undo. Why: "Keep all" on 160 groups
        could not be taken back, and Ctrl+Z then put a Trash batch back instead (a first-user
        check); after one Space on a card, Ctrl+Z did the same (the last report)."""
        if marks:
            one = next(iter(marks)) if by_hand else -1
            self.history.append(Done("marks", generation=self.state.generation, marks=marks,
                                     helper=helper, group=one))
            self.redone.clear()
            self.changed.emit()

    def series_marked(self, helper: str, marks: dict[int, tuple[set[str], set[str]]]) -> None:
        """A Mark helper changed similar-shot series' marks (series -> before, after): one
        step for Undo, as for groups ("keep the best of each series" could not be taken back,
        a first-user check)."""
        if marks:
            self.history.append(Done("series_marks", generation=self.state.generation,
                                     marks=marks, helper=helper))
            self.redone.clear()
            self.changed.emit()

    def _put_series_marks(self, done: Done, back: bool) -> None:
        """Each series' marks as they were before (`back`) or after the helper; a series
        whose every shot in place would be marked is left alone (it keeps a shot)."""
        for index, (before, after) in done.marks.items():
            live = {f.path for f in live_shots(self.state, index)}
            marks = (before if back else after) - self.state.protected
            if live and marks >= live:
                continue
            self.state.series_remove[index] = set(marks)
            self.state.series_changed.emit(index)
        self.message.emit(f"Marks {'put back' if back else 'set again'} in "
                          f"{plural(len(done.marks), 'series', 'series')} ({done.helper}).")
        self.changed.emit()

    def _put_marks(self, done: Done, back: bool) -> None:
        """Each group's marks as they were before (`back`) or after the helper."""
        if done.kind == "series_marks":
            self._put_series_marks(done, back)
            return
        for group, (before, after) in done.marks.items():
            live = {f.path for f in self.state.live_files(group)}
            marks = (before if back else after) - self.state.protected
            if live and marks >= live:  # moved or gone since: a group keeps a file
                continue
            self.state.replace_marks(group, marks)
        word = "put back" if back else "set again"
        if done.group >= 0:
            self.message.emit(f"Mark {word}: {done.helper}.")
            self.show_group.emit(done.group)  # where it was set, as a pair's Undo does
        else:
            self.message.emit(f"Marks {word} in {plural(len(done.marks), 'group')} "
                              f"({done.helper}).")
        self.changed.emit()

    def undo(self) -> None:
        if not self.can_undo:
            self.message.emit("Nothing to undo.")
            return
        if self.history and self.history[-1].kind in ("marks", "series_marks"):
            done = self.history.pop()
            if done.generation != self.state.generation:
                self.message.emit("Cannot undo these marks: these are other results.")
                self.changed.emit()
                return
            self.redone.append(done)
            self._put_marks(done, back=True)
            return
        if self.history and self.history[-1].kind == "dismiss":
            done = self.history.pop()
            if problem := forget_not_duplicates(sorted(done.paths)):
                self.message.emit(f"Could not undo: {problem}")
                self.history.append(done)
                return
            if done.generation == self.state.generation:
                self.state.set_dismissed(done.group, False)
                self.redone.append(done)
                self.message.emit("The group is back.")
                self.show_group.emit(done.group)  # on show, as a pair's Undo does
            else:
                self.message.emit("Forgotten: the next scan shows these files as duplicates "
                                  "again.")
            self.changed.emit()
            return
        self._run(undo_call, "Restoring from the Trash…", self._restored)

    def _restored(self, outcome: ActionOutcome) -> None:
        restored = outcome.succeeded
        where = "from the Trash"
        if self.history and self.history[-1].kind in ("trash", "folder"):
            done = self.history[-1]
            back = done.paths & restored
            done.paths -= restored
            if not done.paths or not outcome.outcomes:
                self.history.pop()
            if back:
                self.redone.append(Done(done.kind, back, generation=done.generation,
                                        folder=done.folder, stamps=done.stamps))
            where = f"from {done.folder}" if done.kind == "folder" else where
        self.restored.emit(restored)  # before the cards ask for their pictures again
        self.state.set_trashed(restored, False)
        if emptied := {path for path, why in outcome.failures if why == TRASH_ENTRY_GONE}:
            self.state.set_trashed(emptied, False)  # not in the Trash, even after a restart
            self.state.set_gone(emptied)  # their cards said "In the Trash" (a first-user check)
        self.message.emit(f"Restored {plural(len(restored), 'file')} {where}.")
        if outcome.failures:
            self._show_failures("Some files were not restored",
                                "These files could not be put back:", outcome.failures,
                                outcome.warnings)
        elif outcome.warnings:  # every file back, with a note (a read-only cache's)
            self._show_failures("Restored, with a note", NOTE_ONLY, [], outcome.warnings)
        self.refresh_journal()

    # -- Redo --------------------------------------------------------------------------------
    @property
    def can_redo(self) -> bool:
        return not self.busy and bool(self.redone)

    def redo_text(self) -> str:
        return f"&Redo {self.redone[-1].text}" if self.redone else "&Redo"

    def redo(self) -> None:
        """Do again what the last Undo took back: the same files, re-checked and journaled as a
        new batch (a file changed since stays, and the dialog says why)."""
        if not self.can_redo or self.foreground.busy:
            self.message.emit("Nothing to redo.")
            return
        done = self.redone.pop()
        if done.generation != self.state.generation:  # another scan: other groups since
            self.message.emit("Cannot redo: these are other results (scan or open again).")
            self.changed.emit()
            return
        if done.kind == "dismiss":
            if done.group not in self.state.dismissed:
                self.not_duplicates(done.group, redo=True)
            return
        if done.kind in ("marks", "series_marks"):
            self.history.append(done)
            self._put_marks(done, back=False)
            return
        marks = {p for p in done.paths if self.state.is_reviewed(p)}  # companions follow
        self._trash(marks, "again ", confirmed=True, folder=done.folder or None, redo=done,
                    groups=self._groups_and_series())
        self.changed.emit()

    def refresh_journal(self) -> None:
        """Ask (on the worker) whether the journal holds an undoable batch."""
        self.foreground.runner.start(can_undo_call, finished=self._journal_known,
                                     failed=lambda *_: None)

    def _journal_known(self, has_batch: bool) -> None:
        self.journal_has_batch = bool(has_batch)
        self.changed.emit()
