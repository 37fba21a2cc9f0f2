"""Sort arrows as file managers draw them: pointing up when a column sorts A→Z, small→large.

Qt's header asks the style for a "sort down" arrow when the order is ascending (the old Windows
convention); styles that draw that arrow as it is named (Fusion, the plain Windows style) then
point down for A→Z, the opposite of Files, Dolphin and Explorer. Styles that turn it round
themselves (Breeze, the Windows Vista style) are left alone.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

LITERAL_STYLES = {"fusion", "windows"}  # draw SortUp as ▲ and SortDown as ▼


class SortArrowStyle(QProxyStyle):
    """The application's style with the header's arrow turned round where it needs it."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if (element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
                and isinstance(option, QStyleOptionHeader)
                and self.baseStyle().name().lower() in LITERAL_STYLES):
            option = QStyleOptionHeader(option)
            up, down = QStyleOptionHeader.SortIndicator.SortUp, \
                QStyleOptionHeader.SortIndicator.SortDown
            option.sortIndicator = {up: down, down: up}.get(option.sortIndicator,
                                                            option.sortIndicator)
        super().drawPrimitive(element, option, painter, widget)


def file_manager_arrows(header: QWidget) -> SortArrowStyle:
    """Give `header` the turned-round arrows; keep the returned style alive with the header."""
    style = SortArrowStyle()
    style.setParent(header)
    header.setStyle(style)
    return style
