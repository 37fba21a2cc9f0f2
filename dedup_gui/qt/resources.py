"""Icons shipped in resources/icons (SVG), loaded by name; no Qt resource compilation.

In a source checkout the folder is the repository's resources/; an installed package carries the
same files as dedup_gui/resources (pyproject maps one onto the other). A missing icon gives an empty
QIcon rather than an error: an icon is never worth a crash.

The icons draw in one dark ink (INK); on a dark palette they are drawn in a light one instead,
whenever they are painted, so a switch of theme needs no icon set again. Why: the toolbar's
Add folder, Scan, Undo, Not duplicates and Export were dark on dark (a keyboard user's check).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QImageReader, QPainter, QPixmap

_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def resource_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    return _PACKAGE.parent / "resources"


def icon_path(name: str) -> Path:
    return resource_dir() / "icons" / f"{name}.svg"


INK, LIGHT_INK = b"#3b4252", b"#d8dee9"


@cache
def icon(name: str) -> QIcon:
    path = icon_path(name)
    if not path.is_file():
        return QIcon()
    svg = path.read_bytes()
    return QIcon(_InkedSvg(svg)) if INK in svg else QIcon(str(path))


class _InkedSvg(QIconEngine):
    """An SVG icon drawn in INK on a light palette and LIGHT_INK on a dark one (module note);
    pixmaps kept per (dark, size, mode)."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self.svg = svg
        self.made: dict[tuple[bool, int, int, QIcon.Mode], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        dark = _palette_is_dark()
        key = (dark, size.width(), size.height(), mode)
        if key not in self.made:
            self.made[key] = _rendered(self.svg.replace(INK, LIGHT_INK) if dark else self.svg,
                                       size, mode)
        return self.made[key]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def clone(self) -> QIconEngine:
        return _InkedSvg(self.svg)


def _palette_is_dark() -> bool:
    if QGuiApplication.instance() is None:
        return False
    window = QGuiApplication.palette().color(QGuiApplication.palette().ColorRole.Window)
    return window.lightnessF() < 0.5


def _rendered(svg: bytes, size: QSize, mode: QIcon.Mode) -> QPixmap:
    """The SVG at `size` (through Qt's SVG image plug-in), greyed out when disabled."""
    buffer = QBuffer()
    buffer.setData(QByteArray(svg))
    reader = QImageReader(buffer, b"svg")
    reader.setScaledSize(size)
    image = reader.read()
    if image.isNull():
        return QPixmap()
    pixmap = QPixmap.fromImage(image)
    return _faded(pixmap) if mode == QIcon.Mode.Disabled else pixmap


def _faded(pixmap: QPixmap) -> QPixmap:
    """A disabled icon: the same drawing at 40% opacity."""
    faded = QPixmap(pixmap.size())
    faded.fill(Qt.GlobalColor.transparent)
    painter = QPainter(faded)
    painter.setOpacity(0.4)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    return faded
