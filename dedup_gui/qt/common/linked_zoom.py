"""Zoom and pan applied to both of the compare view's pictures at once, and their controls.

A module of its own because keeping two views in step is a small state machine apart from what
the dialog shows in them: one zoom factor for both, the wheel zooming under the mouse in the view
that got it, a scroll in either copied to the other (without echoing back), and "fitted", kept
until the person zooms, so a resize or a picture arriving late fits the view again.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGraphicsView, QLabel, QPushButton, QWidget

from dedup_gui.qt.common.zoom_view import ZOOM_STEP, ZoomView

MIN_ZOOM, MAX_ZOOM = 0.02, 16.0


class LinkedZoom:
    """One zoom factor and one pair of scroll positions for both `views`; `label` shows the
    factor."""

    def __init__(self, views: tuple[ZoomView, ZoomView]) -> None:
        self.views = views
        self.zoom = 1.0
        self.fitted = True
        self._syncing = False
        self.label = QLabel()
        for view in views:
            view.wheel_zoom.connect(partial(self._wheel_zoom, view))
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(partial(self._scrolled, view))

    def buttons(self) -> list[QPushButton]:
        """Zoom out, Zoom in, Fit, 100 %: off the focus chain, so arrow keys keep panning."""
        made = []
        for text, slot, tip in (("Zoom out", lambda: self.zoom_by(1 / ZOOM_STEP), "-"),
                                ("Zoom in", lambda: self.zoom_by(ZOOM_STEP), "+"),
                                ("Fit", self.fit, "0"),
                                ("100 %", lambda: self.set_zoom(1.0), "1")):
            button = QPushButton(text)
            button.setToolTip(f"Shortcut: {tip}")
            button.clicked.connect(slot)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            made.append(button)
        return made

    def add_shortcuts(self, widget: QWidget) -> None:
        """+ (or =) and - zoom, 0 fits, 1 shows 100 %."""
        for keys, slot in ((("+", "="), lambda: self.zoom_by(ZOOM_STEP)),
                           (("-",), lambda: self.zoom_by(1 / ZOOM_STEP)),
                           (("0",), self.fit), (("1",), lambda: self.set_zoom(1.0))):
            for key in keys:
                QShortcut(QKeySequence(key), widget, activated=slot)

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
        self.fitted = True

    def refit(self) -> None:
        """Fit again unless the person zoomed: the views were resized or got new pictures."""
        if self.fitted:
            self.fit()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.fitted = False
        for view in self.views:
            anchor = view.transformationAnchor()
            view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            view.resetTransform()
            view.scale(self.zoom, self.zoom)
            view.setTransformationAnchor(anchor)
        self.label.setText(f"{self.zoom * 100:.0f} %")

    def _wheel_zoom(self, source: ZoomView, factor: float, _pos: QPointF) -> None:
        """Zoom under the mouse in the view that got the wheel; the other follows."""
        new = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        self.fitted = False
        source.scale(new / self.zoom, new / self.zoom)
        self.zoom = new
        for view in self.views:
            if view is not source:
                view.resetTransform()
                view.scale(new, new)
        self.label.setText(f"{self.zoom * 100:.0f} %")
        self._scrolled(source)

    def _scrolled(self, source: ZoomView, _value: int = 0) -> None:
        """The other view scrolled to the same place (not echoed back to `source`)."""
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
