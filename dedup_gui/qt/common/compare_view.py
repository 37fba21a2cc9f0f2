"""Two files of a group, large, with linked zoom and pan, lined up on the same content.

Both scenes use the first file's full pixels as coordinates. The second picture is first drawn
scaled to the first's width; when the alignment arrives from a pool thread (compare_align.py) it
is drawn where its content lies on the first (a screenshot over its photo, a crop over its
source, a mirrored copy turned back), so one zoom factor and one pair of scroll positions show
the same content in both. D shows the aligned difference instead (bright = changed), F flickers
between the two. Zoom with the wheel, + and -, 0 to fit, 1 for 100 %; pan by dragging or with
the arrow keys; K / R / B set the marks (compare_marks.py); Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.engine.grouping.alignment import Alignment
from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common import compare_align
from dedup_gui.qt.common.compare_marks import MarkBar, MarkCalls
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.resources import icon
from dedup_gui.text import human_bytes

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 16.0
FLICKER_MS = 450
SIDE_BY_SIDE, DIFFERENCE, FLICKER = "side by side", "difference", "flicker"
MODE_TEXT = {SIDE_BY_SIDE: "", DIFFERENCE: "Right: difference · bright = changed, black = same, "
             "blue-grey = not in both", FLICKER: "Right: flickers between the two"}


class ZoomView(QGraphicsView):
    """One picture; wheel events are handed to the dialog so both views zoom together."""

    wheel_zoom = Signal(float, QPointF)  # factor, position in view coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.extra: dict[str, QGraphicsPixmapItem] = {}  # the right view: difference, flicker

    def set_picture(self, pixmap: QPixmap, transform: QTransform,
                    item: QGraphicsPixmapItem | None = None) -> None:
        """Draw `pixmap` with `transform` (its pixels -> the scene's: the first file's)."""
        item = item or self.item
        item.setPixmap(pixmap)
        item.setTransform(transform)

    def add_extra(self, name: str) -> QGraphicsPixmapItem:
        item = QGraphicsPixmapItem()
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setVisible(False)
        self.scene().addItem(item)
        self.extra[name] = item
        return item

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.wheel_zoom.emit(ZOOM_STEP ** steps, event.position())
        event.accept()


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
        self.zoom = 1.0
        self._fitted = True
        self._syncing = False
        self.alignment: Alignment | None = None
        self.mode = SIDE_BY_SIDE
        self.views = (ZoomView(), ZoomView())
        self.views[1].add_extra(DIFFERENCE)
        self.views[1].add_extra(FLICKER)
        self.flicker_timer = QTimer(self, interval=FLICKER_MS, timeout=self._flick)
        self.captions = (QLabel(), QLabel())
        grid = QGridLayout()
        for column, (caption, view) in enumerate(zip(self.captions, self.views, strict=True)):
            grid.addWidget(caption, 0, column)
            grid.addWidget(view, 1, column)
            view.wheel_zoom.connect(self._wheel_zoom)
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self._sync_scroll)
        grid.setRowStretch(1, 1)
        self._update_captions()
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        self.mode_line = QLabel()
        self.mode_line.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.mode_line)
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
        self.resize(1200, 760)
        self._align()

    def _caption_text(self, file: GroupFile, remove: bool | None) -> str:
        origin = f" · <i>{self.origins[file.path]}</i>" if self.origins.get(file.path) else ""
        state = ("" if remove is None else " · <span style='color:#b71c1c'>Remove</span>"
                 if remove else " · <span style='color:#1b5e20'>Keep</span>")
        return (f"<b>{file.path.rsplit('/', 1)[-1]}</b> · {file.width} × {file.height} · "
                f"{human_bytes(file.size)} · {file.format}{origin}{state}")

    def _update_captions(self) -> None:
        if self.mark_calls is not None:
            self.marks = tuple(self.mark_calls.is_marked(f.path) for f in self.files)
        for file, label, remove in zip(self.files, self.captions, self.marks or (None, None),
                                       strict=True):
            label.setText(self._caption_text(file, remove))
            label.setToolTip(file.path)

    def _marks_set(self) -> None:
        self._update_captions()
        self.marks_changed.emit()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot, tip in (("Zoom out", lambda: self.zoom_by(1 / ZOOM_STEP), "-"),
                                ("Zoom in", lambda: self.zoom_by(ZOOM_STEP), "+"),
                                ("Fit", self.fit, "0"),
                                ("100 %", lambda: self.set_zoom(1.0), "1")):
            button = QPushButton(text)
            button.setToolTip(f"Shortcut: {tip}")
            button.clicked.connect(slot)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.mode_buttons = {}
        for mode, text, key, tip in (
                (DIFFERENCE, "Difference", "D", "Show where the two differ, aligned: "
                 "bright = changed, black = the same (exposure edits and JPEG noise ignored)"),
                (FLICKER, "Flicker", "F", "Swap the right picture with the left twice a "
                 "second: what changes jumps out")):
            button = QPushButton(f"{text} ({key})")
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=mode: self.toggle_mode(m))
            self.mode_buttons[mode] = button
            row.addWidget(button)
        self.zoom_label = QLabel()
        row.addWidget(self.zoom_label)
        row.addStretch(1)
        hint = QLabel("Wheel or +/− zoom · drag or arrows pan · Esc closes")
        hint.setStyleSheet("color: palette(placeholder-text);")
        row.addWidget(hint)
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
        for keys, slot in ((("+", "="), lambda: self.zoom_by(ZOOM_STEP)),
                           (("-",), lambda: self.zoom_by(1 / ZOOM_STEP)),
                           (("0",), self.fit), (("1",), lambda: self.set_zoom(1.0)),
                           (("D",), lambda: self.toggle_mode(DIFFERENCE)),
                           (("F",), lambda: self.toggle_mode(FLICKER))):
            for key in keys:
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
        if self._fitted:
            self.fit()

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
        self._show_mode()

    def done(self, result: int) -> None:
        """Closing: no flicker, and an alignment arriving later is dropped."""
        self.flicker_timer.stop()
        for signal in (self.align_task.signals.aligned, self.align_task.signals.failed):
            signal.disconnect()
        super().done(result)

    def _on_align_failed(self, why: str) -> None:
        self.mode_line.setText(f"Could not line the pictures up: {why}")

    # -- difference and flicker ----------------------------------------------------------------
    def toggle_mode(self, mode: str) -> None:
        self.mode = SIDE_BY_SIDE if self.mode == mode else mode
        self._show_mode()

    def _show_mode(self) -> None:
        right = self.views[1]
        right.extra[DIFFERENCE].setVisible(self.mode == DIFFERENCE)
        right.item.setVisible(self.mode != DIFFERENCE)
        right.extra[FLICKER].setVisible(False)
        (self.flicker_timer.start if self.mode == FLICKER else self.flicker_timer.stop)()
        for mode, button in self.mode_buttons.items():
            button.setChecked(mode == self.mode)
        aligned = self.alignment is not None and self.alignment.aligned
        note = "" if aligned or self.alignment is None else \
            "No common region found: shown side by side at the same width. "
        self.mode_line.setText(note + MODE_TEXT[self.mode])

    def _flick(self) -> None:
        right = self.views[1]
        showing_first = right.extra[FLICKER].isVisible()
        right.extra[FLICKER].setVisible(not showing_first)
        right.item.setVisible(showing_first)

    # -- zoom and pan, always applied to both views ------------------------------------------
    def fit(self) -> None:
        view = self.views[0]
        rect = view.scene().sceneRect()
        if rect.isEmpty():
            rect = self.views[1].scene().sceneRect()
        if rect.isEmpty():
            return
        viewport = view.viewport().size()
        factor = min(viewport.width() / rect.width(), viewport.height() / rect.height())
        self.set_zoom(factor * 0.98)
        self._fitted = True

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._fitted = False
        for view in self.views:
            anchor = view.transformationAnchor()
            view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            view.resetTransform()
            view.scale(self.zoom, self.zoom)
            view.setTransformationAnchor(anchor)
        self.zoom_label.setText(f"{self.zoom * 100:.0f} %")

    def _wheel_zoom(self, factor: float, _pos: QPointF) -> None:
        source = self.sender()
        new = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        self._fitted = False
        if isinstance(source, ZoomView):  # zoom under the mouse in the view that got the wheel
            source.scale(new / self.zoom, new / self.zoom)
        self.zoom = new
        for view in self.views:
            if view is not source:
                view.resetTransform()
                view.scale(new, new)
        self.zoom_label.setText(f"{self.zoom * 100:.0f} %")
        if isinstance(source, ZoomView):
            self._copy_scroll(source)

    def _sync_scroll(self) -> None:
        bar = self.sender()
        source = next((v for v in self.views
                       if bar in (v.horizontalScrollBar(), v.verticalScrollBar())), None)
        if source is not None:
            self._copy_scroll(source)

    def _copy_scroll(self, source: ZoomView) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for view in self.views:
                if view is not source:
                    view.horizontalScrollBar().setValue(source.horizontalScrollBar().value())
                    view.verticalScrollBar().setValue(source.verticalScrollBar().value())
        finally:
            self._syncing = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()
