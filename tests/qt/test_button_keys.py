"""Space and Enter on a button reached with Tab press it (Enter on a focused "Add folder…"
opened Compare: a real-window check); elsewhere they stay the review's shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import focus, scan


def test_enter_and_space_press_the_focused_button(qtbot: QtBot, window: MainWindow,
                                                  library: Path) -> None:
    scan(qtbot, window, library)
    compared: list[bool] = []
    window.actions.compare.triggered.connect(lambda: compared.append(True))
    button = QPushButton("Try", window)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.show()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicks) == 1)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(clicks) == 2)
    assert compared == []
    view = window.group_view
    marked = next(i for i, c in enumerate(view.cards) if c.path in window.state.marked_paths())
    view.current = marked
    focus(qtbot, window)  # back on the review: Space toggles, Enter compares
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert view.cards[marked].path not in window.state.marked_paths()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert compared == [True]
    window.compare_dialog.close()
