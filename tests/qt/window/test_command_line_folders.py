"""`dedup-gui FOLDER...` opens the window with the folders added (tests/cli/test_cli.py has
the dispatch)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.qt.app import open_folders
from dedup_gui.qt.window.main_window import MainWindow


def test_the_window_adds_the_command_lines_folders(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    open_folders(window, [str(tmp_path)])
    assert [f.path for f in window.folders.folders()] == [str(tmp_path)]
    assert "Added 1 folder from the command line" in window.statusBar().currentMessage()
