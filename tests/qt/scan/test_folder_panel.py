"""Folders in: drag and drop (folders and single files), add/remove, protected."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import drop, mime_of, scan


def test_dropping_folders_and_a_file_on_the_window_adds_them(
        window: MainWindow, library: Path) -> None:
    urls = [QUrl.fromLocalFile(str(library / "a")), QUrl.fromLocalFile(str(library / "b")),
            QUrl.fromLocalFile(str(library / "c" / "one.png"))]
    assert drop(window, mime_of(*urls)) == (True, True)
    assert [f.path for f in window.folders.folders()] == [
        str(library / "a"), str(library / "b"), str(library / "c" / "one.png")]
    assert [f.path for f in window.settings.folders] == [f.path for f in window.folders.folders()]
    drop(window.folders, mime_of(QUrl.fromLocalFile(str(library / "a"))))  # again: no duplicate
    assert len(window.folders.folders()) == 3


def test_drops_without_local_paths_are_refused(window: MainWindow, tmp_path: Path) -> None:
    web = mime_of(QUrl("https://example.com/photo.jpg"))
    assert drop(window, web)[0] is False
    missing = mime_of(QUrl.fromLocalFile(str(tmp_path / "gone")))
    assert drop(window.folders, missing)[0] is False
    text = QMimeData()
    text.setText("/some/path")
    assert drop(window, text)[0] is False
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


def test_space_ticks_protected_on_the_selected_folders(window: MainWindow, qtbot: QtBot,
                                                       library: Path) -> None:
    """The Protected tick is reachable from the keyboard: Space on the selected folders ticks
    it (all of them when any is clear), again clears it; it is not the window's Keep/Remove
    key there. Ticked and cleared again, the review has every Remove mark it had."""
    scan(qtbot, window, library)
    marks = [set(m) for m in window.state.remove]
    toggled: list[bool] = []
    window.actions.toggle.triggered.connect(toggled.append)
    window.folders.add_paths([str(library / "a"), str(library / "b")])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tree = window.folders.tree
    tree.setFocus()
    b = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
             if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == str(library / "b"))
    tree.setCurrentItem(b)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    protected = {f.path for f in window.settings.folders if f.protected}
    assert protected == {str(library / "b")}
    tree.selectAll()
    told: list[None] = []
    window.folders.changed.connect(lambda: told.append(None))
    left = sum(map(len, window.state.remove))
    qtbot.keyClick(tree, Qt.Key.Key_Space)  # some were clear: all ticked
    assert all(f.protected for f in window.settings.folders)
    assert len(told) == 1  # one change: the status line counts every folder's files at once
    unmarked = left - sum(map(len, window.state.remove))
    assert unmarked > 1
    assert window.statusBar().currentMessage().startswith(f"{unmarked} files in a protected")
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert not any(f.protected for f in window.settings.folders) and toggled == []
    assert window.state.remove == marks and any(marks)


def test_empty_state_tells_what_to_do(window: MainWindow, library: Path) -> None:
    assert "No results yet" in window.results.empty.text()
    assert window.results.stack.currentWidget() is window.results.empty
    assert window.review.currentWidget() is window.welcome  # the steps, and the two buttons
    assert window.folders.tree.topLevelItemCount() == 0  # its own "Drop folders here" hint
    window.folders.add_paths([str(library)])
    assert "Click Scan" in window.results.empty.text()


def test_a_photo_dropped_on_the_folders_list_is_added_to_the_scan(window: MainWindow,
                                                                  library: Path) -> None:
    """Dropped on the window, one photo is searched for (test_similar.py); on the Folders list
    it is always a file to scan."""
    photo = str(library / "c" / "one.png")
    window.folders.add_paths([str(library / "a")])
    assert drop(window.folders, mime_of(QUrl.fromLocalFile(photo))) == (True, True)
    assert [f.path for f in window.folders.folders()] == [str(library / "a"), photo]
    assert window.similar.dialog is None


def test_with_no_folder_yet_a_dropped_photo_is_added(window: MainWindow, library: Path) -> None:
    photo = str(library / "c" / "one.png")
    assert drop(window, mime_of(QUrl.fromLocalFile(photo))) == (True, True)
    assert [f.path for f in window.folders.folders()] == [photo]
    assert window.similar.dialog is None


def test_an_empty_folder_says_no_images_were_found(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    """Not "No duplicates found among 0 images": there was nothing to compare."""
    empty = tmp_path / "empty"
    empty.mkdir()
    scan(qtbot, window, empty)
    assert "No images were found in the scanned folders" in window.results.empty.text()


def test_add_folder_opens_in_pictures_then_beside_the_last_folder_added(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Report item 17: the dialog opened in the folder the app was launched from."""
    from PySide6.QtWidgets import QFileDialog

    home = tmp_path / "home"
    (home / "Pictures" / "2024").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    launched = tmp_path / "launched-here"
    launched.mkdir()
    monkeypatch.chdir(launched)
    trip = tmp_path / "elsewhere" / "trip"
    trip.mkdir(parents=True)
    opened: list[str] = []
    answers = [str(trip), ""]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda _parent, _title, start: opened.append(start) or answers.pop(0))
    window.actions.add_folder.trigger()
    assert opened == [str(home / "Pictures")]
    assert [f.path for f in window.folders.folders()] == [str(trip)]
    window.actions.add_folder.trigger()  # next time: beside the folder added last
    assert opened[1] == str(trip.parent)
    (home / "Pictures").rename(home / "Photos")  # no Pictures folder, nothing remembered
    window.folders.last_folder = ""
    from dedup_gui.qt.scan.folder_panel import add_folder_start

    assert add_folder_start("") == str(home)
