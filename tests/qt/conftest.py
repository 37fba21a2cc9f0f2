"""Qt test helpers: a main window on fresh settings, a scanned library, waiting for the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.main_window import MainWindow
from dedup_gui.settings import FolderSetting, Settings
from tests.library import make_library

SCAN_TIMEOUT_MS = 30_000


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib")


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(Settings(embeddings=False))  # synthetic photos: hashes only
    qtbot.addWidget(win)
    win.flow.confirm = lambda _question, _detail: True  # no modal question in tests
    win.show()
    qtbot.waitExposed(win)
    return win


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = SCAN_TIMEOUT_MS) -> None:
    """Until the scan and any trash/undo work are over (and their results applied)."""
    qtbot.waitUntil(lambda: window.scan_task is None and not window.flow.busy
                    and not window.runner.busy, timeout=timeout)


def scan(qtbot: QtBot, window: MainWindow, *folders: Path,
         protected: tuple[Path, ...] = ()) -> None:
    if folders or protected:
        window.folders.set_folders([FolderSetting(str(f)) for f in folders]
                                   + [FolderSetting(str(f), True) for f in protected])
        window.settings.folders = window.folders.folders()
    with qtbot.waitSignal(window.state.reset, timeout=SCAN_TIMEOUT_MS):
        window.start_scan()
    wait_idle(qtbot, window)
    if window.state.groups:  # the first group opens on the next turn of the event loop
        qtbot.waitUntil(lambda: window.group_view.group is not None)


def focus(qtbot: QtBot, window: MainWindow) -> None:
    """Shortcuts only fire in the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.results.view.setFocus()
