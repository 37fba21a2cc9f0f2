"""The folder list's Protected tick is visible on the dark theme: Fusion outlines a check box in
the window colour made darker, the list's own background there (a faint dark square on dark in
a real-window check). Measured on the painted pixels of the tick's cell."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from dedup_gui.qt.common import appearance
from dedup_gui.qt.scan.folder_panel import FolderTree


def _contrast(qtbot: QtBot, tree: QTreeWidget) -> int:
    """The largest lightness step from the list's background inside the unticked tick's cell."""
    qtbot.addWidget(tree)
    tree.setColumnCount(2)
    item = QTreeWidgetItem(["/photos", ""])
    item.setCheckState(1, Qt.CheckState.Unchecked)
    tree.addTopLevelItem(item)
    tree.resize(400, 120)
    tree.show()
    qtbot.waitExposed(tree)
    rect = tree.visualItemRect(item)
    rect.setLeft(tree.header().sectionPosition(1))
    rect.setWidth(tree.header().sectionSize(1))
    image = tree.viewport().grab(rect).toImage()
    base = tree.palette().color(QPalette.ColorRole.Base).lightness()
    return max(abs(QColor(image.pixel(x, y)).lightness() - base)
               for x in range(image.width()) for y in range(image.height()))


def test_the_protected_tick_stands_out_on_dark(qtbot: QtBot) -> None:
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(appearance.dark_palette())
    try:
        assert _contrast(qtbot, FolderTree()) >= 80
        assert _contrast(qtbot, QTreeWidget()) < 40  # what Fusion alone paints there
    finally:
        app.setPalette(before)


def test_the_preferences_check_boxes_stand_out_on_dark(qtbot: QtBot) -> None:
    """The same for Preferences' check boxes (a real-window re-check found them unoutlined)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    from dedup_gui.qt.settings.dialog import SettingsDialog
    from dedup_gui.settings import Settings

    app = QApplication.instance()
    before = app.palette()
    app.setPalette(appearance.dark_palette())
    try:
        dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        box = dialog.raw_jpeg
        box.setChecked(False)
        option = QStyleOptionButton()
        box.initStyleOption(option)
        rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = box.grab(rect).toImage()
        base = dialog.palette().color(QPalette.ColorRole.Window).lightness()
        assert max(abs(QColor(image.pixel(x, y)).lightness() - base)
                   for x in range(image.width()) for y in range(image.height())) >= 60
    finally:
        app.setPalette(before)
