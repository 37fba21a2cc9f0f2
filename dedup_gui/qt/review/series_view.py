"""The similar shots of the results, apart from the duplicate groups: the series on the left,
the shots of the selected one side by side on the right, the suggested best shot starred with
why. Nothing is marked until the person asks; "Keep the best of each series" marks all but the
best of every series, and "Move marked shots to Trash…" goes through the window's trash flow
(one confirmation, journaled, undoable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.engine.actions import burst_marks
from dedup_gui.engine.types import Series
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.review import series_marks
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.shot_card import MIN_SHOT_SIDE, SHOT_SIDE, ShotCard
from dedup_gui.text import human_duration, plural

INTRO = ("Other shots of one scene taken moments apart: alike, but different photos, so never "
         "counted as duplicates and never marked unless you ask.")
TRASH_TEXT = "Move marked shots to Trash…"
COMPACT_CHROME = 14  # a compact shot's frame and margins around its picture
COMPACT_SIDE = 48  # the smallest picture of a compact shot


class SeriesView(QWidget):
    message = Signal(str)
    trash_requested = Signal()
    marked = Signal(str, object)  # a Mark helper: its name, series -> (before, after)

    def __init__(self, state: ReviewState, pictures: ThumbnailLoader,
                 protected_folders: Callable[[], Sequence[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.pictures = pictures
        self.protected_folders = protected_folders
        self.cards: list[ShotCard] = []
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.keep_best_button = QPushButton(series_marks.KEEP_BEST)
        self.keep_best_button.clicked.connect(self.keep_best)
        self.trash_button = QPushButton(TRASH_TEXT)
        self.trash_button.clicked.connect(self.trash_requested)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda _row: self._show_shots())
        self.strip = QWidget()
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self._layout()
        self._busy = False
        # "keep the best" changes every series at once: the buttons are updated once after
        self._buttons_timer = QTimer(self, singleShot=True, interval=0)
        self._buttons_timer.timeout.connect(self._update_buttons)
        state.reset.connect(self.reload)
        state.series_changed.connect(self._series_changed)
        pictures.ready.connect(self._picture_ready)
        self.reload()

    def _layout(self) -> None:
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.strip)
        scroll.viewport().installEventFilter(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 800])
        buttons = QHBoxLayout()
        buttons.addWidget(self.header, 1)
        buttons.addWidget(self.keep_best_button)
        buttons.addWidget(self.trash_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_shots()
        return super().eventFilter(watched, event)

    def _fit_shots(self) -> None:
        """Pictures as large as the dock's height allows with each shot's name, facts, button
        and best-shot reason below them, or beside them when the dock is short: at 1000×700
        it is 180 px tall and showed only the tops of the pictures (a first-user review)."""
        shown = [card for card in self.cards if not card.isHidden()]
        if not shown:
            return
        margins = self.strip_layout.contentsMargins()
        room = self.scroll.viewport().height() - margins.top() - margins.bottom()
        for card in self.cards:
            card.set_compact(False)
        chrome = max(card.sizeHint().height() - card.side for card in shown)
        compact = room - chrome < MIN_SHOT_SIDE
        side = min(SHOT_SIDE, room - COMPACT_CHROME if compact else room - chrome)
        for card in self.cards:
            card.set_compact(compact)
            card.set_side(max(COMPACT_SIDE, side))

    # -- reading -----------------------------------------------------------------------------
    def current_series(self) -> int | None:
        row = self.list.currentRow()
        return row if 0 <= row < len(self.state.series) else None

    def shown_series(self) -> list[int]:
        """Every series of the results (the list has no filter)."""
        return list(range(len(self.state.series)))

    # -- commands ----------------------------------------------------------------------------
    def keep_best(self) -> None:
        """Mark all but the best shot of each series (nothing moves until the Trash command)."""
        if self._busy:
            return
        before = {i: set(marks) for i, marks in enumerate(self.state.series_remove)}
        done = series_marks.keep_best(self.state, self.shown_series(), self.protected_folders())
        self.marked.emit(series_marks.KEEP_BEST, {
            i: (was, set(self.state.series_remove[i])) for i, was in before.items()
            if was != self.state.series_remove[i]})  # one Undo step (undo_redo.py)
        marked = sum(len(p) for p in series_marks.all_marked(self.state).values())
        self.message.emit(series_marks.kept_best_text(done, marked, TRASH_TEXT))

    def toggle(self, path: str) -> None:
        series = self.current_series()
        if series is None or self._busy:
            return
        marked = series_marks.is_marked(self.state, series, path)
        problem = series_marks.set_marked(self.state, series, path, not marked,
                                          self.protected_folders())
        if problem:
            self.message.emit(problem)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    # -- showing -----------------------------------------------------------------------------
    def reload(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for index in range(len(self.state.series)):
            item = QListWidgetItem(self._row_text(index))
            item.setToolTip(item.text())  # the list is narrow: "· 3 cameras" was cut
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(0 if self.state.series else -1)
        self._show_shots()
        self._update_header()

    def _row_text(self, index: int) -> str:
        series = self.state.series[index]
        marked = len(series_marks.marked_shots(self.state, index))
        away = sum(f.path in self.state.out_of_place for f in series.files)
        text = f"Series {index + 1} · {plural(len(series.files), 'shot')}{_span(series)}"
        text += f" · {cameras} cameras" if (cameras := burst_marks.cameras(series)) > 1 else ""
        text += " · exposure bracket" if series.bracket else ""
        text += f" · {away} away" if away else ""  # "6 shots" with 5 in the Trash read as 6
        return text + (f" · {marked} marked" if marked else "")

    def _update_header(self) -> None:
        series = self.state.series
        if not series:
            self.header.setText("No similar shots in these results.")
        else:
            shots = sum(len(s.files) for s in series)
            self.header.setText(f"<b>{plural(len(series), 'series', 'series')}, "
                                f"{plural(shots, 'shot')}.</b> {INTRO}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = bool(self.state.series) and not self._busy
        self.keep_best_button.setEnabled(has)
        self.trash_button.setEnabled(has and bool(series_marks.all_marked(self.state)))

    def _show_shots(self) -> None:
        series = self.current_series()
        files = self.state.series[series].files if series is not None else ()
        while len(self.cards) < len(files):
            card = ShotCard()
            card.toggled.connect(self.toggle)
            self.strip_layout.addWidget(card)
            self.cards.append(card)
        for card, file in zip(self.cards, files, strict=False):
            one = self.state.series[series]
            card.show_shot(file, one.best_reason if file.path == one.best else None,
                           series_marks.is_marked(self.state, series, file.path),
                           file.path not in self.state.out_of_place)
            card.set_picture(self.pictures.get(file.path, file.mtime_ns))
            card.show()
        for card in self.cards[len(files):]:
            card.hide()
        self._fit_shots()

    def _series_changed(self, index: int) -> None:
        if (item := self.list.item(index)) is not None:
            item.setText(self._row_text(index))
            item.setToolTip(item.text())
        if index == self.current_series():
            self._show_shots()
        self._buttons_timer.start()

    def _picture_ready(self, path: str) -> None:
        series = self.current_series()
        if series is None:
            return
        for card, file in zip(self.cards, self.state.series[series].files, strict=False):
            if file.path == path:
                card.set_picture(self.pictures.get(file.path, file.mtime_ns))


def _span(series: Series) -> str:
    """' in 0.7 s' between the first and last shot taken, where every shot knows when: a burst
    and a retake a minute later looked alike in the list (a real-window check)."""
    taken = [f.capture.taken_ns for f in series.files if f.capture is not None]
    if len(taken) < len(series.files) or None in taken:
        return ""
    seconds = (max(taken) - min(taken)) / 1e9
    return f" in {seconds:.1f} s" if seconds < 10 else f" over {human_duration(seconds)}"
