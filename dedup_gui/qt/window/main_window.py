"""The main window: folders and the group list on the left, the group under review on the right,
the scan's progress across the top, a summary in the status bar. It wires the parts together and
holds no duplicate-finding logic: scanning, proposing, moving and remembering are engine calls.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from dedup_gui.qt.common.compare_marks import MarkCalls
from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.insights.commands import InsightsCommands
from dedup_gui.qt.resources import icon
from dedup_gui.qt.review.file_card import PICTURE_SIDE
from dedup_gui.qt.review.group_model import THUMB_SIDE
from dedup_gui.qt.review.marking import How
from dedup_gui.qt.review.marking import apply as apply_marks
from dedup_gui.qt.review.pair_decisions import PairDecisions
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.series_view import SeriesView
from dedup_gui.qt.review.trash_flow import TrashFlow
from dedup_gui.qt.scan.scanning import Scanning
from dedup_gui.qt.similar.photos import SimilarPhotos
from dedup_gui.qt.window import dialogs, status
from dedup_gui.qt.window.actions import (
    Actions,
    all_actions,
    build_menus,
    build_toolbar,
    make_actions,
)
from dedup_gui.qt.window.central import build_central, build_status_bar
from dedup_gui.qt.window.help import GUIDE, shortcut_html, show_text
from dedup_gui.qt.window.mark_menu import (
    GROUP,
    SHOWN,
    add_series_helper,
    build_mark_menu,
    show_card_menu,
)
from dedup_gui.qt.window.results_files import ResultsFiles
from dedup_gui.qt.window.series_dock import build_series_dock
from dedup_gui.qt.window.view_controls import ViewControls
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.qt.workers.runner import TaskRunner
from dedup_gui.settings import Settings, save_settings
from dedup_gui.tasks.removal import warm_up_call
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

COMPARE_SIDE = 4096
WARM_UP_AFTER_MS = 300  # after the first paint: imports for in-process calls, in a worker
JOURNAL_CHECK_AFTER_MS = 1000  # after a scan: is there a batch to undo (a rebuilt cache has none)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.setWindowTitle("dedup-gui")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.state = ReviewState(self)
        self.thumbs = ThumbnailLoader(THUMB_SIDE, capacity=2000, parent=self)
        self.pictures = ThumbnailLoader(PICTURE_SIDE, capacity=300, parent=self)
        self.full = ThumbnailLoader(COMPARE_SIDE, capacity=4, parent=self)
        self.runner = TaskRunner(self)
        self._reopening = False  # the last results are being read back (reopen_last_results)
        self.compare_dialog: CompareDialog | None = None
        self.issues_dialog: IssuesDialog | None = None
        self.help_dialog: QDialog | None = None
        self.confirm_quit = self._ask_quit  # tests replace it
        self._asked = False  # Quit asked already: closing needs no second question
        self._pair_row = 0  # where the list was when a pair was marked
        self.actions = make_actions(self)
        self.menus = build_menus(self, self.actions)
        self.mark_actions = build_mark_menu(self.menus["&Mark"], self.mark)
        self.toolbar = build_toolbar(self, self.actions)
        central = build_central(self.state, self.thumbs, self.pictures,
                                self.actions.add_folder, self.actions.scan)
        self.setCentralWidget(central.widget)
        self.folders, self.results = central.folders, central.results
        self.group_view, self.welcome = central.group_view, central.welcome
        self.review, self.splitter, self.scan_bar = central.review, central.splitter, \
            central.scan_bar
        self.view_controls = ViewControls(self, central, settings)  # sizes, panes, light/dark
        self.view_controls.add_to_menu(self.menus["&View"])
        self.issues_button, self.summary = build_status_bar(self.statusBar(),
                                                            self.actions.unreadable)
        self.foreground = ForegroundTask(self.runner, self.scan_bar, self)
        self.scanning = Scanning(self, self.foreground, self.state, self.folders,
                                 lambda: self.settings)
        self.insights = InsightsCommands(self, self.foreground,
                                         lambda: [f.path for f in self.folders.folders()],
                                         lambda: self.settings)
        self.flow = TrashFlow(self, self.state, self.foreground,
                              lambda: self.settings.protected_folders,
                              lambda: [f.path for f in self.folders.folders()])
        self.pairs = PairDecisions(self.state, self.runner, self.flow,
                                   lambda: self.settings.protected_folders,
                                   lambda: self.settings.keep_rules)
        self.similar = SimilarPhotos(self, self.runner, self.pictures, self.full,
                                     lambda: [f.path for f in self.folders.folders()],
                                     self._similar_blocked)
        self.similar.state = self.state  # "Add to group" adds through the review state
        self.similar.added.connect(self._show_added)
        self.series_view = SeriesView(self.state, self.pictures,
                                      lambda: self.settings.protected_folders)
        self.series_dock = build_series_dock(self, self.series_view, self.menus["&View"])
        self.keep_best_action = add_series_helper(self.menus["&Mark"], self.series_view.keep_best)
        self.results_files = ResultsFiles(self)
        self._connect()
        self.folders.set_folders(settings.folders)
        self.folders.last_folder = settings.last_folder
        self._summary_timer = QTimer(self, singleShot=True, interval=0)
        self._summary_timer.timeout.connect(self._update_summary)
        self._journal_timer = QTimer(self, singleShot=True, interval=JOURNAL_CHECK_AFTER_MS)
        self._journal_timer.timeout.connect(self.flow.refresh_journal)
        self._restore_geometry()
        self._update_everything()
        QTimer.singleShot(WARM_UP_AFTER_MS, self, self._warm_up)

    def _warm_up(self) -> None:
        self.runner.start(warm_up_call, finished=lambda _: None,
                          failed=lambda *_: None)

    def _connect(self) -> None:
        a: Actions = self.actions
        a.add_folder.triggered.connect(self.folders.choose_folder)
        a.scan.triggered.connect(self.scanning.start)
        a.cancel.triggered.connect(self.foreground.cancel)
        a.export.triggered.connect(lambda: dialogs.export(
            self, self.state.outcome, self.settings, self.folders.folders(),
            self.state.current_removals()))
        a.preferences.triggered.connect(self.preferences)
        a.quit.triggered.connect(self.request_quit)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.flow.redo)
        a.save_results.triggered.connect(self.results_files.save)
        a.open_results.triggered.connect(self.results_files.open)
        self.results_files.opened.connect(self.show_saved_results)
        a.move_folder.triggered.connect(
            lambda: self.flow.folder_group(self.results.selected_group()))
        a.move_folder_shown.triggered.connect(
            lambda: self.flow.folder_shown(self.results.shown_groups()))
        a.trash.triggered.connect(lambda: self.flow.trash_group(self.results.selected_group()))
        a.trash_shown.triggered.connect(lambda: self.flow.trash_shown(self.results.shown_groups()))
        a.trash_identical.triggered.connect(self.flow.trash_identical)
        a.toggle.triggered.connect(self.group_view.toggle_current)
        a.not_duplicates.triggered.connect(self.not_duplicates)
        a.not_duplicates_pair.triggered.connect(self.not_duplicates_pair)
        a.next_group.triggered.connect(lambda: self.results.step(1))
        a.prev_group.triggered.connect(lambda: self.results.step(-1))
        a.next_file.triggered.connect(lambda: self.group_view.move(1))
        a.prev_file.triggered.connect(lambda: self.group_view.move(-1))
        a.compare.triggered.connect(self.open_compare)
        a.find_similar.triggered.connect(
            lambda: self.similar.open(self.group_view.current_path(), choose=True))
        a.find_similar_photo.triggered.connect(lambda: self.similar.open(choose=True))
        a.unreadable.triggered.connect(self.show_unreadable)
        a.about.triggered.connect(lambda: dialogs.about(self))
        a.guide.triggered.connect(lambda: self.show_help("Guide", GUIDE))
        a.shortcuts.triggered.connect(lambda: self.show_help(
            "Keyboard shortcuts",
            shortcut_html(all_actions(self.actions) + self.view_controls.actions())))
        a.insights.triggered.connect(self.insights.open_insights)
        a.export_report.triggered.connect(self.insights.export_report)
        self.foreground.changed.connect(self._update_everything)
        self.scanning.results.connect(self.show_results)
        self.scanning.reproposed.connect(self._reproposed)
        self.scanning.scanned.connect(self._check_journal_soon)
        for part in (self.scanning, self.insights, self.flow, self.pairs, self.results_files):
            part.message.connect(self.show_message)
        self.folders.changed.connect(self._folders_changed)
        self.results.group_selected.connect(self._group_selected)
        self.group_view.message.connect(self.show_message)
        self.group_view.compare_requested.connect(self.open_compare)
        self.group_view.menu_requested.connect(
            lambda path, where: show_card_menu(self, path, where, self.mark, self.open_compare))
        self.group_view.current_changed.connect(self._update_actions)
        self.state.group_changed.connect(lambda _g: self._summary_timer.start())
        self.state.reset.connect(self._update_everything)
        self.flow.changed.connect(self._update_everything)
        self.pairs.changed.connect(self._update_actions)
        self.pairs.show_group.connect(self._show_group_after_pair)
        self.series_view.message.connect(self.show_message)
        self.series_view.trash_requested.connect(self.flow.trash_series)

    def _restore_geometry(self) -> None:
        geometry = QByteArray.fromBase64(self.settings.window_geometry.encode())
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1360, 860)
        state = QByteArray.fromBase64(self.settings.window_state.encode())
        if not state.isEmpty():
            self.restoreState(state)
        self.setMinimumSize(900, 600)
        self.view_controls.restore(self.settings)

    # -- scanning ----------------------------------------------------------------------------
    def _check_journal_soon(self) -> None:
        """Not while the results are being shown: it opens the cache on a worker (GIL
        contention)."""
        self._journal_timer.start()

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

    def _open_first_group(self) -> None:
        if self.results.selected_group() is None:
            self.results.select_row(0)

    # -- reviewing ---------------------------------------------------------------------------
    def _group_selected(self, group: int | None) -> None:
        if group is not None:
            self.state.mark_opened(group)
        self.group_view.show_group(group)
        self._update_actions()

    def mark(self, how: How, scope: str) -> None:
        """A Mark helper on the group on show (GROUP), the shown groups (SHOWN) or one tier."""
        state = self.state
        if scope == GROUP:
            groups = [] if self.group_view.group is None else [self.group_view.group]
        elif scope == SHOWN:
            groups = self.results.shown_groups()
        else:
            groups = [g for g in state.active_groups() if state.groups[g].tier == scope]
        changed, refused = apply_marks(state, groups, how)
        message = f"{how.value}: {plural(changed, 'group')} changed."
        if refused:
            message += (f" {plural(refused, 'group')} left as they were: every file still in "
                        "place would have been marked Remove.")
        self.show_message(message)

    def not_duplicates(self) -> None:
        group = self.results.selected_group()
        row = self.results.view.currentIndex().row()
        if self.flow.not_duplicates(group):
            self.results.select_row(min(row, self.results.proxy.rowCount() - 1))

    def not_duplicates_pair(self) -> None:
        self.flow.redone.clear()  # a new action: what Undo took back cannot be redone now
        self._pair_row = self.results.view.currentIndex().row()
        self.pairs.mark(self.group_view.group, self.group_view.compare_pair())

    def _show_group_after_pair(self, group: int) -> None:
        if group >= 0:
            self.results.select_group(group)
        else:
            self.results.select_row(min(self._pair_row, self.results.proxy.rowCount() - 1))

    def undo(self) -> None:
        """The newest step first: a pair decision, else the trash flow's (batch or group)."""
        self.pairs.undo() if self.pairs.owns_undo() else self.flow.undo()

    def open_compare(self) -> None:
        pair = self.group_view.compare_pair()
        if pair is None or self.group_view.group is None:
            return
        group = self.group_view.group
        marks = (self.state.is_marked(group, pair[0].path),
                 self.state.is_marked(group, pair[1].path))
        known = self.state.outcome.provenance if self.state.outcome else {}
        origins = tuple(known[f.path].label if f.path in known else "" for f in pair)
        calls = MarkCalls(lambda path: self.state.is_marked(group, path),
                          lambda path, remove: self.state.set_marked(group, path, remove))
        self.compare_dialog = CompareDialog(pair, marks, self.full, self,
                                            offer_not_duplicates=True, origins=origins,
                                            mark_calls=calls)
        self.compare_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog.finished.connect(lambda _r: setattr(self, "compare_dialog", None))
        self.compare_dialog.not_duplicates.connect(self.actions.not_duplicates_pair.trigger)
        self.compare_dialog.open()

    def _show_added(self, group: int) -> None:
        """A Find similar match joined `group`: show the group with its new file."""
        self.results.select_group(group)
        self.group_view.show_group(group)

    def _similar_blocked(self) -> str | None:
        return "A scan is running: search when it is done." if self.foreground.scanning \
            else None

    def show_help(self, title: str, html: str) -> None:
        self.help_dialog = show_text(self, title, html)

    def show_unreadable(self) -> None:
        self.issues_dialog = dialogs.show_unreadable(self, self.state.outcome) \
            or self.issues_dialog

    def preferences(self) -> None:
        """Edit ▸ Preferences; new keeper rules mark every group again at once."""
        new = dialogs.preferences(self, self.settings)
        if new is None:
            return
        old, self.settings = self.settings, new
        self.view_controls.settings_changed(new)
        self.save()
        if self.state.outcome is None:
            return
        if new.keep_rules != old.keep_rules:
            self.scanning.repropose()
        elif (new.embeddings, new.similar_shots, new.raw_jpeg_duplicates) != (
                old.embeddings, old.similar_shots, old.raw_jpeg_duplicates):
            self.show_message("Scan again to look for duplicates with the new settings.")

    # -- keeping the window up to date -------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _folders_changed(self) -> None:
        self.settings.folders = self.folders.folders()
        self.save()
        self._update_everything()

    def _update_everything(self) -> None:
        scanning = self.foreground.scanning
        self.results.set_empty_text(status.empty_text(scanning, len(self.folders.folders()),
                                                      self.state))
        waiting = self.state.outcome is None and not scanning
        self.review.setCurrentWidget(self.welcome if waiting else self.group_view)
        if self.state.outcome is None:
            self.group_view.show_group(None, "Scanning…" if scanning else "")
        self._update_summary()
        self._update_actions()

    def _update_summary(self) -> None:
        status.update_summary(self.summary, self.issues_button, self.actions, self.state,
                              len(self.folders.folders()))

    def _update_actions(self) -> None:
        pairs_undo = self.pairs.owns_undo()
        status.update_actions(self.actions, status.Now(
            scanning=self.foreground.scanning,
            busy=self.foreground.busy or self.pairs.busy,
            has_results=self.state.outcome is not None,
            has_group=self.group_view.group is not None,
            files_in_group=len(self.group_view.cards),
            has_folders=bool(self.folders.folders()),
            can_undo=self.flow.can_undo or pairs_undo,
            undo_text="&Undo Not duplicates" if pairs_undo else self.flow.undo_text(),
            pairs_busy=self.pairs.busy,
            can_redo=self.flow.can_redo and not pairs_undo, redo_text=self.flow.redo_text()))
        for action in self.mark_actions:
            action.setEnabled(self.group_view.group is not None and not self.foreground.busy)
        self.keep_best_action.setEnabled(bool(self.state.series) and not self.foreground.busy)
        self.series_view.set_busy(self.foreground.busy)

    # -- drag and drop anywhere on the window ------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.folders.dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.folders.dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """One photo, with folders to search: find similar; anything else: folders to scan."""
        if photo := self.similar.dropped_photo(event.mimeData()):
            event.acceptProposedAction()
            self.similar.open(photo)
        else:
            self.folders.dropEvent(event)

    # -- closing -----------------------------------------------------------------------------
    def save(self) -> None:
        self.settings.last_folder = self.folders.last_folder
        if problem := save_settings(self.settings):
            self.show_message(problem)

    # -- results that survive a restart -----------------------------------------------------
    def reopen_last_results(self) -> None:
        """The last results with their marks, read on a worker (seconds at 50,000 groups: the
        window stays responsive), shown when ready unless a scan came first; then every grouped
        file is checked against the disk off the UI thread (changed or gone files leave)."""
        if not session_path().exists():
            return
        self._reopening = True
        self.show_message("Reopening the last results…")
        self.runner.start(lambda _p, _c: reopen_session(), finished=self._reopened,
                          failed=lambda *_: setattr(self, "_reopening", False))

    def _reopened(self, reopened: Reopened) -> None:
        self._reopening = False
        session = reopened.session
        if reopened.problem:
            self.show_message(reopened.problem)
        if session is None or self.state.outcome is not None or self.foreground.busy:
            return  # nothing saved, or results of a scan started meanwhile: those stay
        self.state.restore(session, reopened.reclaim)
        QTimer.singleShot(0, self._open_first_group)
        outcome, skip = session.outcome, set(session.trashed)
        self.runner.start(lambda _p, _c: changed_since_scan(outcome, skip),
                          finished=self._rechecked, failed=lambda *_: None)
        self.show_message("The last results are back, with your marks; checking the files…")

    def show_saved_results(self, session: Session, changed: set[str]) -> None:
        """File ▸ Open results: read and re-checked on the worker; shown like reopened ones."""
        self.thumbs.clear()
        self.pictures.clear()
        self.state.restore(session)
        QTimer.singleShot(0, self._open_first_group)
        if changed:
            self._rechecked(changed)
        else:
            self.show_message("The results are open, with their marks; every file is as "
                              "it was saved.")

    def _rechecked(self, changed: set[str]) -> None:
        if self.state.outcome is None or not changed:
            self.show_message("The last results are back, with your marks.")
            return
        self.state.set_gone(changed)
        self.show_message(f"{plural(len(changed), 'file')} changed or went away since the scan: "
                          "left out of the review. Scan again to see them as they are now.")

    def save_results(self) -> None:
        if self._reopening:  # closed before the last results were back: they stay saved
            return
        if problem := save_session(self.state.snapshot()):
            self.show_message(problem)

    def may_quit(self) -> bool:
        """Asks when files of groups the person reviewed are marked and not moved yet."""
        state = self.state
        count = sum(len(state.marked_files(g)) for g in state.opened
                    if g < len(state.groups) and g not in state.dismissed)
        return count == 0 or self.confirm_quit(count)

    def _ask_quit(self, count: int) -> bool:
        answer = QMessageBox.question(
            self, "Quit dedup-gui",
            f"{plural(count, 'file')} in groups you reviewed {'is' if count == 1 else 'are'} "
            "marked Remove and not moved yet. Quit anyway? Your results and marks will be here "
            "when you open dedup-gui again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def request_quit(self) -> None:
        """File ▸ Quit: asks first when reviewed marks are not acted on yet."""
        if self.may_quit():
            self._asked = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window manager's close button asks like Quit; a close by the program (the
        self-test, tests) never waits for a question."""
        if event.spontaneous() and not self._asked and not self.may_quit():
            event.ignore()
            return
        self.save_results()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode()
        self.settings.window_state = bytes(self.saveState().toBase64()).decode()
        self.view_controls.save(self.settings)
        self.save()
        self._journal_timer.stop()  # a closed window opens no cache any more
        self.runner.shutdown()
        for loader in (self.thumbs, self.pictures, self.full):
            loader.shutdown()
        super().closeEvent(event)

