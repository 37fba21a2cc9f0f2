"""One picture of the compare view in a zoomable, pannable view; wheel events go to the dialog
so both views zoom together. Pictures are drawn with a transform into the scene's coordinates
(the first file's full pixels), so the second lines up with the first."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QWidget

ZOOM_STEP = 1.25


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
