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


def test_help_lists_every_shortcut_and_the_guide_opens(qtbot: QtBot, window) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from dedup_gui.qt.window.actions import all_actions
    from dedup_gui.qt.window.help import shortcut_rows

    with_keys = [a for a in all_actions(window.actions)
                 if any(not k.isEmpty() for k in a.shortcuts())]
    rows = dict(shortcut_rows(all_actions(window.actions)))
    assert len(rows) == len(with_keys) and rows["Move marked in shown groups to Trash"]
    window.actions.shortcuts.trigger()
    text = window.help_dialog.findChild(QTextBrowser).toPlainText()
    assert "Shift+Del" in text and "Keyboard shortcuts" in text
    window.actions.guide.trigger()
    assert "Undo" in window.help_dialog.findChild(QTextBrowser).toPlainText()
    assert window.menus["&Mark"].actions()  # the Mark menu is filled
