"""Two files of a group, large, with linked zoom and pan, lined up on the same content.

Both scenes use the first file's full pixels as coordinates. The second picture is first drawn
scaled to the first's width; when the alignment arrives from a pool thread (compare_align.py) it
is drawn where its content lies on the first (a screenshot over its photo, a crop over its
source, a mirrored copy turned back), so one zoom factor and one pair of scroll positions show
the same content in both. D shows the aligned difference instead (bright = changed), F flickers
between the two. Zoom with the wheel, + and -, 0 to fit, 1 for 100 %; pan by dragging or with
the arrow keys (both views at once: linked_zoom.py); K / R / B set the marks (compare_marks.py);
Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut, QTransform
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.engine.grouping.alignment import Alignment
from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common import appearance, compare_align
from dedup_gui.qt.common.compare_marks import MarkBar, MarkCalls
from dedup_gui.qt.common.compare_modes import DIFFERENCE, FLICKER, RightModes
from dedup_gui.qt.common.linked_zoom import LinkedZoom
from dedup_gui.qt.common.screen_fit import resize_within_screen
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.common.zoom_view import ZoomView
from dedup_gui.qt.resources import icon
from dedup_gui.text import human_bytes

# The compare view's keys, for Help ▸ Keyboard shortcuts (the dialog's own, not the window's)
KEYS = (("Zoom in / out", "+ / −, wheel"), ("Fit / 100 %", "0 / 1"), ("Pan", "arrows, drag"),
        ("Difference (bright = changed)", "D"), ("Flicker between the two", "F"),
        ("Keep left, remove right", "K"), ("Remove left, keep right", "R"), ("Keep both", "B"),
        ("Not duplicates (this pair)", "Shift+N"), ("Close", "Esc"))


class CompareDialog(QDialog):
    """`marks` (remove?) captions each file Keep or Remove; None for files outside a group (a
    similar photo). `mark_calls` adds the Keep/Remove buttons (the group's marks).
    `offer_not_duplicates` adds the button that says the two are different."""

    not_duplicates = Signal()
    marks_changed = Signal()

    def __init__(self, files: tuple[GroupFile, GroupFile], marks: tuple[bool, bool] | None,
                 pictures: ThumbnailLoader, parent: QWidget | None = None,
                 offer_not_duplicates: bool = False,
                 origins: tuple[str, str] = ("", ""),
                 mark_calls: MarkCalls | None = None) -> None:
        """`origins`: each file's provenance label ('original', 'screenshot of …'), if known."""
        super().__init__(parent)
        self.origins = dict(zip((f.path for f in files), origins, strict=True))
        self.setWindowTitle("Compare")
        self.files = files
        self.marks, self.mark_calls = marks, mark_calls
        self.offer_not_duplicates = offer_not_duplicates
        self.pictures = pictures
        self.alignment: Alignment | None = None
        self._closed = False
        self.views = (ZoomView(), ZoomView())
        self.captions = (QLabel(), QLabel())
        self.linked_zoom = LinkedZoom(self.views)  # zoom and pan, always applied to both views
        grid = QGridLayout()
        for column, (caption, view) in enumerate(zip(self.captions, self.views, strict=True)):
            caption.setWordWrap(True)  # a long caption wraps; it never widens its pane
            grid.addWidget(caption, 0, column)
            grid.addWidget(view, 1, column)
            grid.setColumnStretch(column, 1)  # two equal panes, as the linked zoom assumes
        grid.setRowStretch(1, 1)
        self._update_captions()
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        self.mode_line = QLabel()
        self.mode_line.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.mode_line)
        self.modes = RightModes(self.views[1], self.mode_line, self)
        if mark_calls is not None:
            self.mark_bar = MarkBar((files[0].path, files[1].path), mark_calls,
                                    self._marks_set, self)
            layout.addWidget(self.mark_bar)
        layout.addLayout(self._controls())
        self._shortcuts()
        pictures.ready.connect(self._on_picture)
        for file in files:
            self._on_picture(file.path)
        self.views[0].setFocus()  # arrow keys pan straight away
        resize_within_screen(self, 1200, 760)
        self._align()

    def _caption_text(self, file: GroupFile, remove: bool | None) -> str:
        origin = f" · <i>{self.origins[file.path]}</i>" if self.origins.get(file.path) else ""
        word, colour = ("Remove", appearance.REMOVE) if remove else ("Keep", appearance.KEEP)
        tone = appearance.tone(self.palette(), colour).name()  # a dark tone on dark was unread
        state = "" if remove is None else f" · <span style='color:{tone}'>{word}</span>"
        return (f"<b>{file.path.rsplit('/', 1)[-1]}</b> · {file.width} × {file.height} · "
                f"{human_bytes(file.size)} · {file.format}{origin}{state}")

    def _update_captions(self) -> None:
        if self.mark_calls is not None:
            self.marks = tuple(self.mark_calls.is_marked(f.path) for f in self.files)
        for file, label, remove in zip(self.files, self.captions, self.marks or (None, None),
                                       strict=True):
            label.setText(self._caption_text(file, remove))
            label.setToolTip(file.path)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "captions"):
            self._update_captions()  # Keep / Remove in the theme's tone

    def _marks_set(self) -> None:
        self._update_captions()
        self.marks_changed.emit()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in (*self.linked_zoom.buttons(), *self.modes.buttons.values()):
            row.addWidget(button)
        row.addWidget(self.linked_zoom.label)
        row.addStretch(1)
        hint = QLabel("Wheel or +/− zoom · drag or arrows pan · Esc closes")
        hint.setStyleSheet("color: palette(placeholder-text);")
        # It may wrap and shrink: in one line it made the dialog at least 1,099 px wide, wider
        # than a 1366 × 768 laptop at 150 %, its Close button beyond the edge (a check).
        hint.setWordWrap(True)
        hint.setMinimumWidth(1)
        row.addWidget(hint, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if self.offer_not_duplicates:
            different = QPushButton(icon("not-duplicates"), "Not duplicates")
            different.setToolTip("These two are different photos: remember it, and form the "
                                 "group again without this pair (Shift+N)")
            different.setAutoDefault(False)
            different.clicked.connect(self._not_duplicates)
            buttons.addButton(different, QDialogButtonBox.ButtonRole.ActionRole)
            QShortcut(QKeySequence("Shift+N"), self, activated=self._not_duplicates)
        row.addWidget(buttons)
        return row

    def _not_duplicates(self) -> None:
        self.not_duplicates.emit()
        self.accept()

    def _shortcuts(self) -> None:
        self.linked_zoom.add_shortcuts(self)
        for key, slot in (("D", lambda: self.modes.toggle(DIFFERENCE)),
                          ("F", lambda: self.modes.toggle(FLICKER))):
            QShortcut(QKeySequence(key), self, activated=slot)

    # -- pictures, placed in the first file's pixels ---------------------------------------------
    def _on_picture(self, path: str) -> None:
        for index, (file, view) in enumerate(zip(self.files, self.views, strict=True)):
            if file.path == path and (pixmap := self.pictures.get(path, file.mtime_ns)):
                view.set_picture(pixmap, self._transform(index, pixmap))
                if index == 0:  # the flicker's other picture: the first, in the right view
                    self.views[1].set_picture(pixmap, self._transform(0, pixmap),
                                              self.views[1].extra[FLICKER])
        self._scene_rects()

    def _transform(self, index: int, pixmap: QPixmap | QImage) -> QTransform:
        a, b = self.files
        to_full = compare_align.full_size(pixmap.width(), pixmap.height(), self.files[index])
        return to_full if index == 0 else to_full * compare_align.b_on_a(self.alignment, a, b)

    def _scene_rects(self) -> None:
        """Both scenes get the same rectangle (everything either shows), so equal scroll
        positions mean the same place."""
        rect = QRectF()
        for view in self.views:
            for item in (view.item, *view.extra.values()):
                if not item.pixmap().isNull():
                    rect = rect.united(item.sceneBoundingRect())
        for view in self.views:
            view.scene().setSceneRect(rect)
        self.linked_zoom.refit()

    def _align(self) -> None:
        self.align_task = compare_align.AlignTask(*self.files)
        self.align_task.signals.aligned.connect(self._on_aligned)
        self.align_task.signals.failed.connect(self._on_align_failed)
        self.mode_line.setText("Lining the two pictures up…")
        compare_align.start(self.align_task)

    def _on_aligned(self, found: Alignment, heat: QImage) -> None:
        self.alignment = found
        pixmap = self.views[1].item.pixmap()
        if not pixmap.isNull():
            self.views[1].item.setTransform(self._transform(1, pixmap))
        self.views[1].set_picture(QPixmap.fromImage(heat), self._transform(0, heat),
                                  self.views[1].extra[DIFFERENCE])
        self._scene_rects()
        self.modes.aligned, self.modes.note = found.aligned, compare_align.describe(found)
        self.modes.show()

    def done(self, result: int) -> None:
        """Closing: no flicker, and an alignment arriving later is dropped."""
        self.modes.stop()
        if not self._closed:
            self._closed = True
            for signal in (self.align_task.signals.aligned, self.align_task.signals.failed):
                signal.disconnect()
        super().done(result)

    def _on_align_failed(self, why: str) -> None:
        self.mode_line.setText(f"Could not line the pictures up: {why}")

    # -- zoom and pan: linked_zoom.py --------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The zoom factor of both views (1.0 = 100 %)."""
        return self.linked_zoom.zoom

    def set_zoom(self, zoom: float) -> None:
        self.linked_zoom.set_zoom(zoom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.linked_zoom.refit()
