"""Qt test helpers: a main window on fresh settings, a scanned library, waiting for the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
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
    win.flow.confirm_bulk = lambda _question, _detail: True
    win.flow.choose_scope = lambda _scope: "all"
    win.flow.choose_folder = lambda: None  # Move to folder: tests set a folder
    win.show()
    qtbot.waitExposed(win)
    return win


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = SCAN_TIMEOUT_MS) -> None:
    """Until the scan and any trash/undo work are over (and their results applied)."""
    qtbot.waitUntil(lambda: not window.foreground.busy
                    and not window.runner.busy, timeout=timeout)


def scan(qtbot: QtBot, window: MainWindow, *folders: Path,
         protected: tuple[Path, ...] = ()) -> None:
    if folders or protected:
        window.folders.set_folders([FolderSetting(str(f)) for f in folders]
                                   + [FolderSetting(str(f), True) for f in protected])
        window.settings.folders = window.folders.folders()
    with qtbot.waitSignal(window.state.reset, timeout=SCAN_TIMEOUT_MS):
        window.scanning.start()
    wait_idle(qtbot, window)
    if window.state.groups:  # the first group opens on the next turn of the event loop
        qtbot.waitUntil(lambda: window.group_view.group is not None)


def focus(qtbot: QtBot, window: MainWindow) -> None:
    """Shortcuts only fire in the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.results.view.setFocus()


def mime_of(*urls: QUrl) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(list(urls))
    return mime


def drop(widget, mime: QMimeData) -> tuple[bool, bool]:
    """Send a drag-enter and a drop; returns whether each was accepted."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:  # PySide 6.12 takes a QPointF (and deprecates QPoint); earlier ones only a QPoint
        enter = QDragEnterEvent(QPointF(20, 20), *args)
    except TypeError:
        enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    dropped = QDropEvent(QPointF(20, 20), actions, mime, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, dropped)
    return enter.isAccepted(), dropped.isAccepted()
