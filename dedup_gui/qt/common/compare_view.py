"""Two files of a group, large, with linked zoom and pan.

Both pictures are scaled into scenes of the same width (the wider original's pixels), so one zoom
factor and one pair of scroll positions mean the same place in both. Zoom with the wheel, + and -,
0 to fit, 1 for 100 %; pan by dragging or with the arrow keys; Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QPixmap, QResizeEvent, QShortcut, QWheelEvent
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

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.resources import icon
from dedup_gui.text import human_bytes

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 16.0


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

    def set_picture(self, pixmap: QPixmap, scene_width: float) -> None:
        self.item.setPixmap(pixmap)
        self.item.setScale(scene_width / max(1, pixmap.width()))
        self.scene().setSceneRect(self.item.sceneBoundingRect())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.wheel_zoom.emit(ZOOM_STEP ** steps, event.position())
        event.accept()


class CompareDialog(QDialog):
    """`marks` (remove?) captions each file Keep or Remove; None for files outside a group (a
    similar photo). `offer_not_duplicates` adds the button that says the two are different."""

    not_duplicates = Signal()

    def __init__(self, files: tuple[GroupFile, GroupFile], marks: tuple[bool, bool] | None,
                 pictures: ThumbnailLoader, parent: QWidget | None = None,
                 offer_not_duplicates: bool = False,
                 origins: tuple[str, str] = ("", "")) -> None:
        """`origins`: each file's provenance label ('original', 'screenshot of …'), if known."""
        super().__init__(parent)
        self.origins = dict(zip((f.path for f in files), origins, strict=True))
        self.setWindowTitle("Compare")
        self.files = files
        self.offer_not_duplicates = offer_not_duplicates
        self.pictures = pictures
        self.zoom = 1.0
        self._fitted = True
        self._syncing = False
        self.scene_width = float(max(f.width for f in files) or 1000)
        self.views = (ZoomView(), ZoomView())
        grid = QGridLayout()
        for column, (file, view, remove) in enumerate(zip(files, self.views, marks or (None, None),
                                                          strict=True)):
            grid.addWidget(self._caption(file, remove), 0, column)
            grid.addWidget(view, 1, column)
            view.wheel_zoom.connect(self._wheel_zoom)
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self._sync_scroll)
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addLayout(self._controls())
        self._shortcuts()
        pictures.ready.connect(self._on_picture)
        for file in files:
            self._on_picture(file.path)
        self.views[0].setFocus()  # arrow keys pan straight away
        self.resize(1200, 760)

    def _caption(self, file: GroupFile, remove: bool | None) -> QLabel:
        origin = f" · <i>{self.origins[file.path]}</i>" if self.origins.get(file.path) else ""
        state = ("" if remove is None else " · <span style='color:#b71c1c'>Remove</span>"
                 if remove else " · <span style='color:#1b5e20'>Keep</span>")
        label = QLabel(f"<b>{file.path.rsplit('/', 1)[-1]}</b> · {file.width} × {file.height} · "
                       f"{human_bytes(file.size)} · {file.format}{origin}{state}")
        label.setToolTip(file.path)
        return label

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
                           (("0",), self.fit), (("1",), lambda: self.set_zoom(1.0))):
            for key in keys:
                QShortcut(QKeySequence(key), self, activated=slot)

    # -- pictures ---------------------------------------------------------------------------
    def _on_picture(self, path: str) -> None:
        for file, view in zip(self.files, self.views, strict=True):
            if file.path == path and (pixmap := self.pictures.get(path, file.mtime_ns)):
                view.set_picture(pixmap, self.scene_width)
        if self._fitted:
            self.fit()

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
