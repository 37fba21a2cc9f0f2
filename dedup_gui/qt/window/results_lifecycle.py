"""Results shown after a scan, results that survive a restart, File ▸ Open results, and the
question before quitting.

A mixin of MainWindow (it uses the window's state, runner and message line), kept apart so the
window module holds construction and status only.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from dedup_gui.qt.review import series_marks
from dedup_gui.qt.review.marking import protect_folders
from dedup_gui.qt.review.trash_texts import released_note
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.session import (
    Reopened,
    Session,
    changed_since_scan,
    reopen_session,
    save_session,
    session_path,
)
from dedup_gui.text import plural


class ResultsLifecycle:
    """Show, reopen, re-check and save the review; ask before quitting with marks not acted
    on."""

    def show_results(self, outcome: ScanOutcome) -> None:
        """The list first; the first group opens on the next turn of the event loop, so neither
        step holds the UI for long, even with 20,000 groups."""
        self.thumbs.clear()
        self.pictures.clear()
        self.state.load(outcome)
        QTimer.singleShot(0, self._open_first_group)

    def _reproposed(self, outcome: ScanOutcome) -> None:
        """Only the marks change: the group on show stays (or the first opens)."""
        group = self.results.selected_group()
        self.state.repropose(outcome)
        if group is not None and group not in self.state.dismissed:
            self.results.select_group(group)
        QTimer.singleShot(0, self._open_first_group)

    def _open_group_or_first(self, group: int) -> None:
        """The group that was on show when the app closed, if the list still shows it."""
        if 0 <= group < len(self.state.groups) and group in self.results.shown_groups():
            self.results.select_group(group)
        self._open_first_group()

    def _open_first_group(self) -> None:
        if self.results.selected_group() is None:
            self.results.select_row(0)

    def reopen_last_results(self) -> None:
        """The last results with their marks, read on a worker (seconds at 50,000 groups: the
        window stays responsive), shown when ready unless a scan came first; then every grouped
        file is checked against the disk off the UI thread (changed or gone files leave)."""
        if not session_path().exists():
            self._check_journal_soon()  # Undo of a batch moved before the restart
            return
        self._reopening = True
        self.show_message("Reopening the last results…")
        self.runner.start(lambda _p, _c: reopen_session(), finished=self._reopened,
                          failed=lambda *_: setattr(self, "_reopening", False))

    def _reopened(self, reopened: Reopened) -> None:
        self._reopening = False
        self._check_journal_soon()  # Undo offers the last batch, as the Guide says
        session = reopened.session
        if reopened.problem:
            self.show_message(reopened.problem)
        if session is None or self.state.outcome is not None or self.foreground.busy:
            return  # nothing saved, or results of a scan started meanwhile: those stay
        self.state.restore(session, reopened.reclaim)
        note = self._protect_as_listed()
        on_show = getattr(session, "on_show", -1)  # older sessions: the first group
        QTimer.singleShot(0, lambda: self._open_group_or_first(on_show))
        outcome, skip = session.outcome, set(session.trashed)
        self.runner.start(lambda _p, _c: changed_since_scan(outcome, skip),
                          finished=self._rechecked, failed=lambda *_: None)
        self.show_message(f"The last results are back, with your marks; checking the files… "
                          f"{note}".strip())

    def show_saved_results(self, session: Session, changed: set[str]) -> None:
        """File ▸ Open results: read and re-checked on the worker; shown like reopened ones."""
        self.thumbs.clear()
        self.pictures.clear()
        self.state.restore(session)
        note = self._protect_as_listed()
        QTimer.singleShot(0, self._open_first_group)
        if changed:
            self._rechecked(changed)
        else:
            self.show_message(f"The results are open, with their marks; every file is as "
                              f"it was saved. {note}".strip())

    def _protect_as_listed(self) -> str:
        """Saved results hold the protection of their scan; the folder list may say otherwise
        now (a folder ticked or cleared after that scan): the review follows the list, as it
        does when a tick changes. What the status line says of it ("" when no mark changed)."""
        return protect_folders(self.state, self.settings.protected_folders)

    def _rechecked(self, changed: set[str]) -> None:
        if self.state.outcome is None or not changed:
            self.show_message("The last results are back, with your marks.")
            return
        released = self.state.set_gone(changed)
        self.results.model.resort()  # what the gone files freed is no longer in their rows
        self.show_message(f"{plural(len(changed), 'file')} changed or went away since the scan: "
                          "left out of the review. Scan again to see them as they are now."
                          + released_note(released, "changed or gone"))

    def save_results(self) -> str | None:
        """Save the review for next time; why it was not saved (also on the status line)."""
        if self._reopening:  # closed before the last results were back: they stay saved
            return None
        session = self.state.snapshot()
        if session is not None:  # reopened where it was (a long review: 3,000 groups)
            on_show = self.results.selected_group()
            session.on_show = -1 if on_show is None else on_show
        if problem := save_session(session):
            self.show_message(problem)
        return problem

    def may_quit(self) -> bool:
        """Asks when files of groups the person reviewed, or similar shots (only ever marked
        by the person), are marked and not moved yet."""
        state = self.state
        files = sum(len(state.marked_files(g)) for g in state.opened
                    if g < len(state.groups) and g not in state.dismissed)
        shots = series_marks.marked_totals(state)[0]
        return files + shots == 0 or self.confirm_quit(files, shots)

    def _ask_quit(self, files: int, shots: int) -> bool:
        suggested = max(0, self.state.marked_totals()[0] - files)
        answer = QMessageBox.question(
            self, "Quit dedup-gui", quit_question(files, shots, suggested),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def request_quit(self) -> None:
        """File ▸ Quit: asks first when reviewed marks are not acted on yet."""
        if self.may_quit():
            self._asked = True
            self.close()


def quit_question(files: int, shots: int, suggested: int = 0) -> str:
    """'9 files in groups you reviewed and 12 similar shots are marked Remove …', and how many
    more the suggestions mark in groups not opened (the status line counts those too: a
    real-window review read "12 files" here beside "188 files marked Remove" there)."""
    marked = [plural(files, "file") + " in groups you reviewed"] if files else []
    marked += [plural(shots, "similar shot")] if shots else []
    verb = "is" if files + shots == 1 else "are"
    more = (f" {plural(suggested, 'more file')} {'is' if suggested == 1 else 'are'} marked by "
            "the suggestions in groups you have not opened." if suggested else "")
    return (f"{' and '.join(marked)} {verb} marked Remove and not moved yet.{more} Quit anyway? "
            "Your results and marks will be here when you open dedup-gui again.")
