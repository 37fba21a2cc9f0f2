"""The app opens a main window (the full GUI is the GUI issue's job)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dedup_gui.qt.app import create_main_window


def test_main_window_opens(qtbot: QtBot) -> None:
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "dedup-gui"
    assert window.isVisible()
