"""Render the app icon (resources/icons/app.svg) to what desktops want, and write it to resources/.

    .venv/bin/python packaging/render_icons.py

- resources/icons/hicolor/NxN/apps/dedup-gui.png at the freedesktop sizes (the hicolor theme
  layout, so install-desktop-entry.sh copies the tree as it is),
- resources/icons/dedup-gui.ico (Windows, 16–256 px) and dedup-gui.icns (macOS, 16–512 px),
  used by packaging/dedup-gui.spec when the bundle is built on those systems.

Qt's own SVG renderer draws every size from the vector source (offscreen: no display needed), so
small sizes are drawn, not shrunk from a big bitmap. Run it again after changing app.svg;
tests/test_packaging.py fails while the PNGs and the SVG disagree.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "app.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
ICO = ROOT / "resources" / "icons" / "dedup-gui.ico"
ICNS = ROOT / "resources" / "icons" / "dedup-gui.icns"
ICON_NAME = "dedup-gui"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows icons stop at 256


def png_path(size: int, hicolor: Path = HICOLOR) -> Path:
    return hicolor / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn on a transparent size × size canvas, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_all() -> list[Path]:
    from PIL import Image

    written = []
    images = {}
    for size in SIZES:
        path = png_path(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_png(size))
        images[size] = Image.open(io.BytesIO(path.read_bytes())).convert("RGBA")
        written.append(path)
    largest = images[max(ICO_SIZES)]
    largest.save(ICO, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    images[512].save(ICNS, format="ICNS",
                     append_images=[images[s] for s in (16, 32, 64, 128, 256)])
    return [*written, ICO, ICNS]


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(ROOT))
