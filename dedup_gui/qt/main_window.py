"""The main window: folders and the group list on the left, the group under review on the right,
the scan's progress across the top, a summary in the status bar. It wires the parts together and
holds no duplicate-finding logic: scanning, proposing, moving and remembering are engine calls.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt import engine_calls, window_dialogs
from dedup_gui.qt.compare_view import CompareDialog
from dedup_gui.qt.engine_calls import ScanOutcome
from dedup_gui.qt.file_card import PICTURE_SIDE
from dedup_gui.qt.folder_panel import FolderPanel
from dedup_gui.qt.formatting import human_bytes, plural
from dedup_gui.qt.group_model import THUMB_SIDE
from dedup_gui.qt.group_view import GroupView
from dedup_gui.qt.issues_dialog import IssuesDialog
from dedup_gui.qt.resources import icon
from dedup_gui.qt.results_panel import ResultsPanel
from dedup_gui.qt.review_state import ReviewState
from dedup_gui.qt.scan_bar import ScanBar
from dedup_gui.qt.thumbnails import ThumbnailLoader
from dedup_gui.qt.trash_flow import TrashFlow
from dedup_gui.qt.welcome import Welcome
from dedup_gui.qt.window_actions import Actions, build_menus, build_toolbar, make_actions
from dedup_gui.qt.workers import TaskRunner
from dedup_gui.settings import Settings, save_settings

COMPARE_SIDE = 4096
NO_FOLDERS = "No results yet."


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
        self.scan_task = None
        self.compare_dialog: CompareDialog | None = None
        self.issues_dialog: IssuesDialog | None = None
        self.actions = make_actions(self)
        build_menus(self, self.actions)
        self.toolbar = build_toolbar(self, self.actions)
        self._build_central()
        self._build_status_bar()
        self.flow = TrashFlow(self, self.state, self.runner, self.scan_bar,
                              lambda: self.settings.protected_folders)
        self._connect()
        self.folders.set_folders(settings.folders)
        self.folders.last_folder = settings.last_folder
        self._summary_timer = QTimer(self, singleShot=True, interval=0)
        self._summary_timer.timeout.connect(self._update_summary)
        self._restore_geometry()
        self._update_everything()

    # -- layout ------------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.folders = FolderPanel()
        folders_box = _boxed("Folders", self.folders)
        self.results = ResultsPanel(self.state, self.thumbs)
        results_box = _boxed("Duplicate groups", self.results)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(folders_box)
        left.addWidget(results_box)
        left.setStretchFactor(1, 1)
        left.setSizes([190, 600])
        self.group_view = GroupView(self.state, self.pictures)
        self.welcome = Welcome(self.actions.add_folder, self.actions.scan)
        self.review = QStackedWidget()
        self.review.addWidget(self.welcome)
        self.review.addWidget(self.group_view)
        review_box = _boxed("Review", self.review)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(review_box)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 840])
        self.scan_bar = ScanBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.scan_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.summary = QLabel()
        self.issues_button = QToolButton()
        self.issues_button.setDefaultAction(self.actions.unreadable)
        self.issues_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.issues_button.setAutoRaise(True)
        bar = self.statusBar()
        bar.addPermanentWidget(self.issues_button)
        bar.addPermanentWidget(self.summary)

    def _connect(self) -> None:
        a: Actions = self.actions
        a.add_folder.triggered.connect(self.folders.choose_folder)
        a.scan.triggered.connect(self.start_scan)
        a.cancel.triggered.connect(self.cancel_scan)
        a.export.triggered.connect(lambda: window_dialogs.export(self))
        a.preferences.triggered.connect(lambda: window_dialogs.preferences(self))
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.flow.undo)
        a.trash.triggered.connect(self.flow.trash_marked)
        a.toggle.triggered.connect(self.group_view.toggle_current)
        a.not_duplicates.triggered.connect(self.not_duplicates)
        a.next_group.triggered.connect(lambda: self.results.step(1))
        a.prev_group.triggered.connect(lambda: self.results.step(-1))
        a.next_file.triggered.connect(lambda: self.group_view.move(1))
        a.prev_file.triggered.connect(lambda: self.group_view.move(-1))
        a.compare.triggered.connect(self.open_compare)
        a.find_similar.triggered.connect(self.find_similar)
        a.unreadable.triggered.connect(lambda: window_dialogs.show_unreadable(self))
        a.about.triggered.connect(lambda: window_dialogs.about(self))
        self.scan_bar.cancel_requested.connect(self.cancel_scan)
        self.folders.changed.connect(self._folders_changed)
        self.results.group_selected.connect(self._group_selected)
        self.group_view.message.connect(self.show_message)
        self.group_view.compare_requested.connect(self.open_compare)
        self.group_view.current_changed.connect(self._update_actions)
        self.state.group_changed.connect(lambda _g: self._summary_timer.start())
        self.state.reset.connect(self._update_everything)
        self.flow.message.connect(self.show_message)
        self.flow.changed.connect(self._update_everything)

    def _restore_geometry(self) -> None:
        geometry = QByteArray.fromBase64(self.settings.window_geometry.encode())
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1360, 860)
        state = QByteArray.fromBase64(self.settings.window_state.encode())
        if not state.isEmpty():
            self.restoreState(state)
        self.setMinimumSize(900, 600)

    # -- scanning ----------------------------------------------------------------------------
    def start_scan(self) -> None:
        if self.scan_task is not None or self.flow.busy:
            return
        folders = self.folders.folders()
        if not folders:
            self.show_message("Add a folder first: drop it on the window or click Add folder.")
            return
        call = engine_calls.scan_call(engine_calls.ScanRequest(
            tuple(f.path for f in folders), tuple(f.path for f in folders if f.protected),
            tuple(self.settings.keep_rules), hash_kind=self.settings.hash_kind,
            threshold=self.settings.threshold, include_hidden=self.settings.include_hidden,
            embeddings=self.settings.embeddings, similar_shots=self.settings.similar_shots))
        self.scan_bar.start("Finding files…")
        self.scan_task = self.runner.start(
            call, finished=self._scan_finished, progress=self.scan_bar.update_progress,
            cancelled=self._scan_cancelled, failed=self._scan_failed)
        self._update_everything()

    def cancel_scan(self) -> None:
        if self.scan_task is not None:
            self.scan_task.cancel()
            self.scan_bar.cancelling()

    def _scan_over(self) -> None:
        self.scan_task = None
        self.scan_bar.finish()

    def _scan_finished(self, outcome: ScanOutcome) -> None:
        self._scan_over()
        self.show_results(outcome)
        result = outcome.result
        message = (f"Scan finished: {plural(result.stats.files, 'image')} in "
                   f"{result.stats.seconds:.1f} s, {plural(len(result.groups), 'group')} found.")
        self.show_message(message)
        self.flow.refresh_journal()

    def show_results(self, outcome: ScanOutcome) -> None:
        """The list first; the first group opens on the next turn of the event loop, so neither
        step holds the UI for long, even with 20,000 groups."""
        self.thumbs.clear()
        self.pictures.clear()
        self.state.load(outcome)
        QTimer.singleShot(0, self._open_first_group)

    def _open_first_group(self) -> None:
        if self.results.selected_group() is None:
            self.results.select_row(0)

    def _scan_cancelled(self) -> None:
        self._scan_over()
        self.show_message("Cancelled. What was read so far is cached: "
                          "scanning again continues from there.")
        self._update_everything()

    def _scan_failed(self, message: str, details: str) -> None:
        self._scan_over()
        self.show_message(f"The scan failed: {message}")
        self.issues_dialog = IssuesDialog("The scan failed", message, [], [details], self)
        self.issues_dialog.open()
        self._update_everything()

    # -- reviewing ---------------------------------------------------------------------------
    def _group_selected(self, group: int | None) -> None:
        self.group_view.show_group(group)
        self._update_actions()

    def not_duplicates(self) -> None:
        group = self.results.selected_group()
        row = self.results.view.currentIndex().row()
        if self.flow.not_duplicates(group):
            self.results.select_row(min(row, self.results.proxy.rowCount() - 1))

    def open_compare(self) -> None:
        pair = self.group_view.compare_pair()
        if pair is None or self.group_view.group is None:
            return
        group = self.group_view.group
        marks = (self.state.is_marked(group, pair[0].path),
                 self.state.is_marked(group, pair[1].path))
        self.compare_dialog = CompareDialog(pair, marks, self.full, self)
        self.compare_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog.finished.connect(lambda _r: setattr(self, "compare_dialog", None))
        self.compare_dialog.open()

    def find_similar(self) -> None:
        if not engine_calls.has_find_similar():
            self.show_message("Find similar needs the engine's query-by-example, "
                              "which this version does not have yet.")
            return
        path = self.group_view.current_path() or QFileDialog.getOpenFileName(
            self, "Find photos similar to…", self.settings.last_folder,
            "Images (*.jpg *.jpeg *.png *.webp *.heic *.heif *.tif *.tiff *.bmp *.gif)")[0]
        roots = [f.path for f in self.folders.folders()]
        if not path or not roots:
            return
        if self.scan_task is not None or self.flow.busy:
            return
        self.scan_bar.start("Looking for similar photos…")
        self.scan_task = self.runner.start(
            engine_calls.find_similar_call(path, roots), finished=self._similar_found,
            progress=self.scan_bar.update_progress, cancelled=self._scan_cancelled,
            failed=self._scan_failed)
        self._update_everything()

    def _similar_found(self, matches: list) -> None:
        self._scan_over()
        self._update_everything()
        window_dialogs.show_similar(self, matches)

    def repropose(self) -> None:
        """Mark every group again with the settings' rule chain (after Preferences)."""
        outcome = self.state.outcome
        if outcome is None or self.scan_task is not None:
            return
        protected = tuple(self.settings.protected_folders)
        rules = tuple(self.settings.keep_rules)
        self.scan_task = self.runner.start(
            lambda progress, cancel: engine_calls.review_start(
                outcome.result, protected, rules, progress, cancel),
            finished=self._reproposed, cancelled=self._scan_cancelled, failed=self._scan_failed)
        self._update_everything()

    def _reproposed(self, outcome: ScanOutcome) -> None:
        self._scan_over()
        self.show_results(outcome)
        self.show_message("Every group is marked again with the new keeper rules.")

    # -- keeping the window up to date -------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _folders_changed(self) -> None:
        self.settings.folders = self.folders.folders()
        self.save()
        self._update_everything()

    def _update_everything(self) -> None:
        self.results.set_empty_text(self._empty_text())
        waiting = self.state.outcome is None and self.scan_task is None
        self.review.setCurrentWidget(self.welcome if waiting else self.group_view)
        if self.state.outcome is None:
            self.group_view.show_group(None, "Scanning…" if self.scan_task else "")
        self._update_summary()
        self._update_actions()

    def _empty_text(self) -> str:
        if self.scan_task is not None:
            return "Scanning…"
        if not self.folders.folders():
            return NO_FOLDERS
        outcome = self.state.outcome
        if outcome is None:
            count = len(self.folders.folders())
            return f"Click Scan to look for duplicates in {plural(count, 'folder')}."
        if not outcome.result.groups:
            return f"No duplicates found among {plural(outcome.result.stats.files, 'image')}."
        return "Every group is dealt with."

    def _update_summary(self) -> None:
        outcome = self.state.outcome
        if outcome is None:
            count = len(self.folders.folders())
            self.summary.setText(f"{plural(count, 'folder')} to scan" if count
                                 else "No folders yet")
            self.issues_button.setVisible(False)
            self.actions.unreadable.setEnabled(False)
            return
        groups = self.state.active_groups()
        files = self.state.live_file_count()
        count, size = self.state.marked_totals()
        self.summary.setText(f"{plural(len(groups), 'group')} · {plural(files, 'file')} · "
                             f"{plural(count, 'file')} marked Remove ({human_bytes(size)})")
        issues = len(outcome.result.issues)
        self.issues_button.setVisible(bool(issues))
        self.actions.unreadable.setEnabled(bool(issues))
        self.actions.unreadable.setText(f"{plural(issues, 'unreadable file')}…")

    def _update_actions(self) -> None:
        a = self.actions
        scanning = self.scan_task is not None
        busy = scanning or self.flow.busy
        has_results = self.state.outcome is not None
        has_group = self.group_view.group is not None
        a.scan.setEnabled(not busy)
        a.cancel.setEnabled(scanning)
        a.export.setEnabled(has_results and not scanning)
        a.trash.setEnabled(has_results and not busy)
        a.undo.setEnabled(self.flow.can_undo and not scanning)
        a.undo.setText(self.flow.undo_text())
        for action in (a.toggle, a.not_duplicates, a.next_file, a.prev_file):
            action.setEnabled(has_group and not busy)
        a.compare.setEnabled(has_group and len(self.group_view.cards) > 1)
        a.find_similar.setEnabled(bool(self.folders.folders()) and not busy
                                  and engine_calls.has_find_similar())
        if not engine_calls.has_find_similar():
            a.find_similar.setToolTip("Find similar: not available yet (needs the engine's "
                                      "query-by-example)")

    # -- drag and drop anywhere on the window ------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.folders.dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.folders.dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.folders.dropEvent(event)

    # -- closing -----------------------------------------------------------------------------
    def save(self) -> None:
        self.settings.last_folder = self.folders.last_folder
        if problem := save_settings(self.settings):
            self.show_message(problem)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode()
        self.settings.window_state = bytes(self.saveState().toBase64()).decode()
        self.save()
        self.runner.shutdown()
        for loader in (self.thumbs, self.pictures, self.full):
            loader.shutdown()
        super().closeEvent(event)


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    box.setFlat(True)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 8, 4, 4)
    layout.addWidget(widget)
    return box
