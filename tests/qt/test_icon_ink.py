"""The toolbar's icons follow the theme: drawn dark on a light palette and light on a dark one
(they were dark on dark: a keyboard user's check in the dark theme)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QGuiApplication, QIcon, QImage
from PySide6.QtWidgets import QApplication

from dedup_gui.qt.common import appearance
from dedup_gui.qt.resources import icon


def _ink(qicon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> tuple[float, float]:
    """Mean lightness (0-255) and total opacity of the icon's drawn pixels at 48 px."""
    image = qicon.pixmap(48, 48, mode).toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(48, 48, 4).astype(float)
    drawn = pixels[..., 3] > 0
    return float(pixels[drawn][:, :3].mean()), float(pixels[..., 3].sum())


def test_icons_are_dark_on_light_and_light_on_dark(qapp: QApplication) -> None:
    try:
        for name in ("add", "scan", "undo", "not-duplicates", "export"):
            appearance.apply(appearance.LIGHT)
            on_light, drawn = _ink(icon(name))
            assert drawn > 0 and on_light < 110, name
            appearance.apply(appearance.DARK)
            on_dark, _ = _ink(icon(name))
            assert on_dark > 150, name
        _, normal = _ink(icon("scan"))
        _, disabled = _ink(icon("scan"), QIcon.Mode.Disabled)
        assert 0 < disabled < 0.6 * normal  # a disabled action's icon reads as disabled
    finally:
        appearance.apply(appearance.LIGHT)
        QGuiApplication.setPalette(QApplication.style().standardPalette())
