"""Check boxes in an item view that stay visible on a dark palette.

Qt's Fusion style outlines a check box with the window colour made darker: on the dark theme
that is the list's own background, and the folder list's "Protected" tick, a safety control,
was a faint dark square on dark (a real-window check). This style draws Fusion's box and then
its outline again in the text colour, dimmed, on dark palettes only. Set on one widget
(`widget.setStyle`), so its Python runs for that widget's painting only.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from dedup_gui.qt.common.appearance import is_dark

_CHECKS = (QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
           QStyle.PrimitiveElement.PE_IndicatorCheckBox)


class VisibleChecks(QProxyStyle):
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _CHECKS and is_dark(option.palette):
            outline = QColor(option.palette.color(QPalette.ColorRole.Text))
            outline.setAlphaF(0.55)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(outline, 1.0))
            painter.drawRoundedRect(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5), 2, 2)
            painter.restore()
