"""The main window: folders and the group list on the left, the group under review on the right,
the scan's progress across the top, a summary in the status bar. It wires the parts together and
holds no duplicate-finding logic: scanning, proposing, moving and remembering are engine calls.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.common.issues_dialog import IssuesDialog
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.insights.commands import InsightsCommands
from dedup_gui.qt.resources import icon
from dedup_gui.qt.review.card_sizes import PICTURE_SIDE
from dedup_gui.qt.review.group_model import THUMB_SIDE
from dedup_gui.qt.review.marking import protect_folders
from dedup_gui.qt.review.pair_decisions import PairDecisions
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.series_view import SeriesView
from dedup_gui.qt.review.trash_flow import TrashFlow
from dedup_gui.qt.scan.scanning import Scanning
from dedup_gui.qt.similar.photos import SimilarPhotos
from dedup_gui.qt.window import dialogs
from dedup_gui.qt.window.actions import build_menus, build_toolbar, make_actions
from dedup_gui.qt.window.button_keys import ButtonKeys
from dedup_gui.qt.window.central import build_central, build_status_bar
from dedup_gui.qt.window.help import show_text
from dedup_gui.qt.window.mark_menu import add_series_helper, build_mark_menu
from dedup_gui.qt.window.message_log import MessageLog
from dedup_gui.qt.window.refresh import refresh_actions, refresh_everything, refresh_summary
from dedup_gui.qt.window.results_files import ResultsFiles
from dedup_gui.qt.window.results_lifecycle import ResultsLifecycle
from dedup_gui.qt.window.review_commands import ReviewCommands
from dedup_gui.qt.window.saved_layout import restore_layout, save_layout
from dedup_gui.qt.window.series_dock import build_series_dock
from dedup_gui.qt.window.status_line import FittingStatusBar
from dedup_gui.qt.window.view_controls import ViewControls
from dedup_gui.qt.window.wiring import connect_parts
from dedup_gui.qt.workers.foreground import ForegroundTask
from dedup_gui.qt.workers.runner import TaskRunner
from dedup_gui.settings import Settings, save_settings
from dedup_gui.tasks.removal import warm_up_call

COMPARE_SIDE = 4096
WARM_UP_AFTER_MS = 300  # after the first paint: imports for in-process calls, in a worker
JOURNAL_CHECK_AFTER_MS = 1000  # after a scan: is there a batch to undo (a rebuilt cache has none)
# A group counts as opened (reviewed: the bulk removal's default moves only those) once it has
# been on show this long. Why: every group a filter's keystrokes, End or a held arrow key passed
# through was "opened" the moment it was selected, and the default then moved the copies of
# groups nobody had looked at (two first-user checks). A mark changed by hand counts at once.
OPENED_AFTER_MS = 1000


class MainWindow(ReviewCommands, ResultsLifecycle, QMainWindow):
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
        self._opening = QTimer(self, singleShot=True, interval=OPENED_AFTER_MS)
        self._opening.timeout.connect(self._looked_at)
        self.compare_dialog: CompareDialog | None = None
        self.issues_dialog: IssuesDialog | None = None
        self.message_log = MessageLog()
        self.help_dialog: QDialog | None = None
        self.confirm_quit = self._ask_quit  # tests replace it
        self._asked = False  # Quit asked already: closing needs no second question
        self._pair_row = 0  # where the list was when a pair was marked
        self.actions = make_actions(self)
        self.button_keys = ButtonKeys(self)  # Space / Enter on a focused button press it
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
        self.setStatusBar(FittingStatusBar(self))
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
        connect_parts(self)
        self.folders.set_folders(settings.folders)
        self.folders.last_folder = settings.last_folder
        self._summary_timer = QTimer(self, singleShot=True, interval=0)
        self._summary_timer.timeout.connect(lambda: refresh_summary(self))
        proxy = self.results.proxy  # a filter changes how many groups are shown
        for signal in (proxy.modelReset, proxy.rowsInserted, proxy.rowsRemoved,
                       proxy.layoutChanged):
            signal.connect(self._summary_timer.start)
        self._journal_timer = QTimer(self, singleShot=True, interval=JOURNAL_CHECK_AFTER_MS)
        self._journal_timer.timeout.connect(self.flow.refresh_journal)
        restore_layout(self, settings)
        self.view_controls.restore(settings)
        self._update_everything()
        QTimer.singleShot(WARM_UP_AFTER_MS, self, self._warm_up)

    def _warm_up(self) -> None:
        self.runner.start(warm_up_call, finished=lambda _: None,
                          failed=lambda *_: None)

    # -- scanning ----------------------------------------------------------------------------
    def _check_journal_soon(self) -> None:
        """Not while the results are being shown: it opens the cache on a worker (GIL
        contention)."""
        self._journal_timer.start()

    # -- reviewing ---------------------------------------------------------------------------
    def _group_selected(self, group: int | None) -> None:
        self._opening.stop()
        if group is not None:
            self._opening.start()  # opened once it stays on show (OPENED_AFTER_MS)
        self.group_view.show_group(group)
        self._update_actions()

    def _looked_at(self) -> None:
        if (group := self.results.selected_group()) is not None:
            self.state.mark_opened(group)

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

    # -- keeping the window up to date: refresh.py -------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)  # drawn fitted: status_line.py
        self.message_log.add(text)  # View ▸ Recent messages: whole, after 8 s too

    def _folders_changed(self) -> None:
        self.settings.folders = self.folders.folders()
        self.save()
        if note := protect_folders(self.state, self.settings.protected_folders):
            self.show_message(note)
        self._update_everything()

    def _update_everything(self) -> None:
        refresh_everything(self)

    def _update_actions(self) -> None:
        refresh_actions(self)

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
    def save(self) -> str | None:
        """Save the settings; why they were not saved, also on the status line."""
        self.settings.last_folder = self.folders.last_folder
        if problem := save_settings(self.settings):
            self.show_message(problem)
        return problem

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window manager's close button asks like Quit; a close by the program (the
        self-test, tests) never waits for a question."""
        if event.spontaneous() and not self._asked and not self.may_quit():
            event.ignore()
            return
        unsaved = self.save_results()
        save_layout(self, self.settings)
        self.view_controls.save(self.settings)
        unsaved = " ".join(filter(None, (unsaved, self.save())))
        if unsaved and (event.spontaneous() or self._asked):  # the person closes: tell them
            QMessageBox.warning(self, "Not saved", unsaved)  # (the status line closes too)
        self._journal_timer.stop()  # a closed window opens no cache any more
        self.runner.shutdown()
        for loader in (self.thumbs, self.pictures, self.full):
            loader.shutdown()
        super().closeEvent(event)

