"""Find similar to a photo: drop or choose one image, see the closest photos in the scanned
folders as thumbnails, best first, and compare or open any of them.

The dialog only shows; SimilarPhotos (similar/photos.py) runs the search on the engine process and
feeds it. Dropping a photo on the dialog's drop zone always searches with it (on the main window a
single dropped photo does too, while a drop on the Folders list adds it to the scan).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common.drops import local_paths, single_image
from dedup_gui.qt.common.empty_label import empty_label
from dedup_gui.qt.common.screen_fit import resize_within_screen
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.similar.matches import MatchGrid, add_button, offer_remove
from dedup_gui.qt.workers.progress_bar import ScanBar
from dedup_gui.tasks.similar import SimilarOutcome
from dedup_gui.text import plural

QUERY_SIDE = 150
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp *.heic *.heif *.tif *.tiff *.bmp *.gif)"
START_TEXT = ("Drop a photo on the box above, or click Choose photo: the photos most like it in "
              "your folders appear here, best first.")
NOTHING_FOUND = "No photo in the folders could be compared with this one."


class DropZone(QFrame):
    """The photo being searched for; drop another one here (or click Choose photo)."""

    dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Sunken)
        self.setFixedSize(QUERY_SIDE + 24, QUERY_SIDE + 44)
        self.picture = QLabel("Drop a photo\nhere")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(QUERY_SIDE, QUERY_SIDE)
        self.picture.setStyleSheet("color: palette(placeholder-text);")
        self.name = QLabel()
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.name)

    def set_name(self, path: str) -> None:
        metrics = self.name.fontMetrics()
        self.name.setText(metrics.elidedText(os.path.basename(path),
                                             Qt.TextElideMode.ElideMiddle, QUERY_SIDE))
        self.name.setToolTip(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if single_image(local_paths(event.mimeData())):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if path := single_image(local_paths(event.mimeData())):
            event.acceptProposedAction()
            self.dropped.emit(path)


class SimilarDialog(QDialog):
    search_requested = Signal(str)  # a photo was dropped or chosen
    compare_requested = Signal(object)  # SimilarPhoto
    add_requested = Signal(object, bool)  # SimilarPhoto, marked Remove?
    cancel_requested = Signal()

    def __init__(self, pictures: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find similar photos")
        self.pictures = pictures
        self.outcome: SimilarOutcome | None = None
        self.query_key: tuple[str, int] | None = None  # the searched photo's (path, mtime_ns)
        self.last_folder = ""
        self.zone = DropZone()
        self.zone.dropped.connect(self.search_requested)
        self.title = QLabel("<b>Photos like this one</b>")
        self.where = QLabel()
        self.where.setWordWrap(True)
        choose = QPushButton("Choose photo…")
        choose.setAutoDefault(False)  # Enter in the grid compares, nothing else
        choose.clicked.connect(self.choose)
        self.bar = ScanBar()
        self.bar.cancel_requested.connect(self.cancel_requested)
        self.grid = MatchGrid(pictures)
        # after the key event is over: Return goes on to this dialog, which would press the
        # default button of any dialog already open inside it (the compare view's Close)
        self.grid.itemActivated.connect(lambda _item: QTimer.singleShot(0, self.compare_current))
        self.grid.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty = empty_label(START_TEXT)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.grid)
        self.buttons = self._make_buttons()
        side = QVBoxLayout()
        side.addWidget(self.title)
        side.addWidget(self.where)
        side.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        hint = QLabel("Drop any photo on the box to search for it. Enter or double-click "
                      "compares a match with it.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        side.addWidget(hint)
        side.addStretch(1)
        side.addWidget(self.bar)
        top = QHBoxLayout()
        top.addWidget(self.zone)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.stack, 1)
        layout.addWidget(self.buttons)
        pictures.ready.connect(self._on_picture)
        self._update_buttons()
        resize_within_screen(self, 940, 700)

    def _make_buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setToolTip("The match next to your photo, large, with linked zoom "
                                       "(Enter or double-click)")
        self.compare_button.clicked.connect(self.compare_current)
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the match in your image viewer")
        self.open_button.clicked.connect(lambda: self._open(folder=False))
        self.folder_button = QPushButton("Show folder")
        self.folder_button.setToolTip("Open the folder the match is in")
        self.folder_button.clicked.connect(lambda: self._open(folder=True))
        self.add_button = add_button(self, self.add_current)
        for button in (self.compare_button, self.add_button, self.open_button,
                       self.folder_button):
            box.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in box.buttons():
            button.setAutoDefault(False)
        return box

    # -- what the controller calls -----------------------------------------------------------
    def searching(self, query: str, folders: int) -> None:
        self.outcome = None
        self.grid.clear()
        self.zone.set_name(query)
        self.zone.picture.setText("…")
        try:
            self.query_key = (query, os.stat(query).st_mtime_ns)
        except OSError:
            self.query_key = None
        self._show_query()
        self.where.setText(f"Looking in {plural(folders, 'folder')} for photos like "
                           f"{os.path.basename(query)}. To scan this file instead, drop it on "
                           "the Folders list.")
        self.empty.setText("Searching…")
        self.stack.setCurrentWidget(self.empty)
        self.bar.start("Looking for similar photos…")
        self._update_buttons()

    def show_outcome(self, outcome: SimilarOutcome) -> None:
        self.bar.finish()
        self.outcome = outcome
        self.grid.show_matches(outcome.matches, outcome.query.path)
        self.describe_outcome()
        self.empty.setText(NOTHING_FOUND)
        self.stack.setCurrentWidget(self.grid if outcome.matches else self.empty)
        if outcome.matches:
            self.grid.setFocus()
        self._update_buttons()

    def describe_outcome(self) -> None:
        """The header over the matches shown (none: left as it is)."""
        if self.outcome is not None:
            self.where.setText(f"{plural(len(self.outcome.matches), 'photo')} most like "
                               f"{os.path.basename(self.outcome.query.path)}, best first.")

    def show_problem(self, text: str) -> None:
        self.bar.finish()
        self.where.setText("")  # it said "Looking in 1 folder for photos like b.png…"
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    def choose(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Find photos similar to…", self.last_folder,
                                           IMAGE_FILTER)[0]
        if path:
            self.last_folder = os.path.dirname(path)
            self.search_requested.emit(path)

    def compare_current(self) -> None:
        if (match := self.grid.current_match()) is not None:
            self.compare_requested.emit(match)

    def add_current(self, remove: bool) -> None:
        if (match := self.grid.current_match()) is not None:
            self.add_requested.emit(match, remove)

    def show_note(self, text: str) -> None:
        """What adding a match did, or why not."""
        self.where.setText(text)

    # -- the photo searched for, and the buttons -----------------------------------------------
    def _show_query(self) -> None:
        if self.query_key is None:
            return
        pixmap = self.pictures.get(*self.query_key)
        if pixmap is not None:
            self.zone.picture.setPixmap(pixmap.scaled(
                QUERY_SIDE, QUERY_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def _on_picture(self, path: str) -> None:
        if self.query_key is not None and path == self.query_key[0]:
            self._show_query()

    def _open(self, folder: bool) -> None:
        if (match := self.grid.current_match()) is not None:
            target = os.path.dirname(match.file.path) if folder else match.file.path
            QDesktopServices.openUrl(QUrl.fromLocalFile(target))

    def _update_buttons(self) -> None:
        match = self.grid.current_match()
        for button in (self.compare_button, self.add_button, self.open_button, self.folder_button):
            button.setEnabled(match is not None)
        offer_remove(self.add_button, match)
