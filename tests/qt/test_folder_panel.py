"""Folders in: drag and drop (folders and single files), add/remove, protected."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.qt.main_window import MainWindow


def _mime(*urls: QUrl) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(list(urls))
    return mime


def _drop(widget, mime: QMimeData) -> tuple[bool, bool]:
    """Send a drag-enter and a drop; returns whether each was accepted."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:  # PySide 6.12 takes a QPointF (and deprecates QPoint); earlier ones only a QPoint
        enter = QDragEnterEvent(QPointF(20, 20), *args)
    except TypeError:
        enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(20, 20), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_folders_and_a_file_on_the_window_adds_them(
        window: MainWindow, library: Path) -> None:
    urls = [QUrl.fromLocalFile(str(library / "a")), QUrl.fromLocalFile(str(library / "b")),
            QUrl.fromLocalFile(str(library / "c" / "one.png"))]
    assert _drop(window, _mime(*urls)) == (True, True)
    assert [f.path for f in window.folders.folders()] == [
        str(library / "a"), str(library / "b"), str(library / "c" / "one.png")]
    assert [f.path for f in window.settings.folders] == [f.path for f in window.folders.folders()]
    _drop(window.folders, _mime(QUrl.fromLocalFile(str(library / "a"))))  # again: no duplicate
    assert len(window.folders.folders()) == 3


def test_drops_without_local_paths_are_refused(window: MainWindow, tmp_path: Path) -> None:
    web = _mime(QUrl("https://example.com/photo.jpg"))
    assert _drop(window, web)[0] is False
    missing = _mime(QUrl.fromLocalFile(str(tmp_path / "gone")))
    assert _drop(window.folders, missing)[0] is False
    text = QMimeData()
    text.setText("/some/path")
    assert _drop(window, text)[0] is False
    assert window.folders.folders() == []


def test_remove_and_protect(window: MainWindow, qtbot: QtBot, library: Path) -> None:
    window.folders.add_paths([str(library / "a"), str(library / "b")])
    assert not window.folders.remove_button.isEnabled()
    window.folders.tree.topLevelItem(0).setSelected(True)
    assert window.folders.remove_button.isEnabled()
    qtbot.mouseClick(window.folders.remove_button, Qt.MouseButton.LeftButton)
    assert [f.path for f in window.folders.folders()] == [str(library / "b")]
    window.folders.tree.topLevelItem(0).setCheckState(1, Qt.CheckState.Checked)
    assert window.settings.folders[0].protected
    assert window.settings.protected_folders == [str(library / "b")]


def test_empty_state_tells_what_to_do(window: MainWindow, library: Path) -> None:
    assert "No results yet" in window.results.empty.text()
    assert window.results.stack.currentWidget() is window.results.empty
    assert window.review.currentWidget() is window.welcome  # the steps, and the two buttons
    assert window.folders.tree.topLevelItemCount() == 0  # its own "Drop folders here" hint
    window.folders.add_paths([str(library)])
    assert "Click Scan" in window.results.empty.text()
