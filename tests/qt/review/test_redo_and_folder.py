"""Redo beside Undo, and Move to folder, end to end through the window with real files, the tmp
Trash and the real journal: Redo moves again what Undo put back (a new action clears it; a file
changed since stays, with why); Move to folder keeps the folders below the target and Undo puts
every file back byte-identical with its mtime."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.images import photo, save
from tests.qt.conftest import focus, scan, wait_idle
from tests.safety.helpers import snapshot
from tests.units import live_video, xmp

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _trashed() -> list[Path]:
    files = Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"
    return list(files.iterdir()) if files.is_dir() else []


def _key(qtbot: QtBot, window: MainWindow, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier
         ) -> None:
    focus(qtbot, window)
    qtbot.keyClick(window, key, mods)
    wait_idle(qtbot, window)


def test_redo_after_undo_moves_the_files_to_the_trash_again(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    assert not window.actions.redo.isEnabled()
    _key(qtbot, window, Qt.Key.Key_Delete, SHIFT)
    _key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert all(Path(p).exists() for p in marked) and not _trashed()
    assert window.actions.redo.isEnabled() and "Move to Trash" in window.actions.redo.text()

    _key(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)  # the system's Redo keys
    assert not any(Path(p).exists() for p in marked) and len(_trashed()) == len(marked)
    assert window.state.trashed == marked
    assert not window.actions.redo.isEnabled()
    _key(qtbot, window, Qt.Key.Key_Z, CTRL)  # the redone batch is journaled: undo works again
    assert all(Path(p).exists() for p in marked) and not _trashed()
    _key(qtbot, window, Qt.Key.Key_Y, CTRL)
    assert not any(Path(p).exists() for p in marked)


def test_a_new_action_after_undo_clears_redo(qtbot: QtBot, window: MainWindow,
                                             library: Path) -> None:
    scan(qtbot, window, library)
    _key(qtbot, window, Qt.Key.Key_Delete)
    _key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.actions.redo.isEnabled()
    window.actions.not_duplicates.trigger()  # (its identical copies formed again apart)
    qtbot.waitUntil(lambda: not window.pairs.busy)
    assert not window.flow.can_redo and not window.actions.redo.isEnabled()
    window.actions.undo.trigger()  # undo the dismissal; redo brings it back
    qtbot.waitUntil(lambda: not window.pairs.busy)
    assert "Not duplicates" in window.actions.redo.text()
    group = window.flow.redone[-1].group
    window.actions.redo.trigger()
    qtbot.waitUntil(lambda: group in window.state.dismissed and not window.pairs.busy)


def test_redo_leaves_a_file_changed_since_and_says_why(qtbot: QtBot, window: MainWindow,
                                                       library: Path) -> None:
    scan(qtbot, window, library)
    here = {f.path for f in window.state.marked_files(window.results.selected_group())}
    _key(qtbot, window, Qt.Key.Key_Delete)
    _key(qtbot, window, Qt.Key.Key_Z, CTRL)
    changed = sorted(here)[0]
    with open(changed, "ab") as handle:
        handle.write(b"edited since")
    window.actions.redo.trigger()
    wait_idle(qtbot, window)
    assert Path(changed).exists()
    dialog = window.flow.last_dialog
    assert dialog is not None
    assert any(path == changed and "changed since the scan" in why for path, why in dialog.rows)
    assert dialog.findChild(QLabel).text().startswith("Redo left")


def test_move_to_folder_keeps_folders_and_undo_puts_back_exactly(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    scan(qtbot, window, library)
    target = tmp_path / "sorted"
    target.mkdir()
    window.flow.choose_folder = lambda: str(target)
    here = {f.path for f in window.state.marked_files(window.results.selected_group())}
    before = snapshot(*here)
    questions = []
    window.flow.confirm = lambda question, _detail: questions.append(question) or True
    _key(qtbot, window, Qt.Key.Key_M, CTRL)
    assert questions and questions[0].endswith(f"to {target}?")
    for path in here:
        moved = target / library.name / Path(path).relative_to(library)
        assert snapshot(moved)[str(moved)] == before[path] and not Path(path).exists()
    assert window.state.trashed == here and not _trashed()
    assert "Move to folder" in window.actions.undo.text()
    assert "Moved to folder" in [c.toggle.text() for c in window.group_view.cards]
    assert "In Trash" not in [c.toggle.text() for c in window.group_view.cards]

    _key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert snapshot(*here) == before
    assert not [p for p in target.rglob("*") if p.is_file()]
    assert window.state.trashed == set()
    _key(qtbot, window, Qt.Key.Key_Y, CTRL)  # Redo: into the same folder again
    assert not any(Path(p).exists() for p in here)
    assert len([p for p in target.rglob("*") if p.is_file()]) == len(here)


def test_a_target_inside_the_library_is_refused(qtbot: QtBot, window: MainWindow,
                                                library: Path) -> None:
    scan(qtbot, window, library)
    window.flow.choose_folder = lambda: str(library / "other")
    marked = window.state.marked_paths()
    window.actions.move_folder_shown.trigger()
    wait_idle(qtbot, window)
    assert all(Path(p).exists() for p in marked)
    assert "inside the scanned folder" in window.statusBar().currentMessage()


def test_choosers_start_outside_the_library(tmp_path: Path, monkeypatch) -> None:
    """The last folder when it is outside the scanned folders; else Documents or home."""
    from dedup_gui.qt.review.folder_prompt import start_folder

    library, elsewhere, home = tmp_path / "Pictures", tmp_path / "sorted", tmp_path / "home"
    for folder in (library / "2019", elsewhere, home):
        folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert start_folder(str(elsewhere), [str(library)]) == str(elsewhere)
    assert start_folder(str(library / "2019"), [str(library)]) == str(home)


def test_files_moved_to_a_folder_still_say_so_after_a_restart(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    scan(qtbot, window, library)
    target = tmp_path / "sorted"
    target.mkdir()
    window.flow.choose_folder = lambda: str(target)
    group = window.results.selected_group()
    window.actions.move_folder.trigger()
    wait_idle(qtbot, window)
    moved = set(window.state.moved_to)
    assert moved and window.state.moved_to == {p: str(target) for p in moved}
    window.confirm_quit = lambda *_counts: True
    window.close()
    fresh = MainWindow(window.settings)
    qtbot.addWidget(fresh)
    fresh.show()
    fresh.reopen_last_results()
    qtbot.waitUntil(lambda: not fresh.runner.busy and fresh.state.outcome is not None)
    assert fresh.state.moved_to == window.state.moved_to
    fresh.results.select_group(group)
    texts = {c.path: c.toggle.text() for c in fresh.group_view.cards}
    assert {texts[p] for p in moved} == {"Moved to folder"}


def test_redo_moves_a_unit_whole_or_not_at_all(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    """A photo with its Live video and XMP: Redo moves all three again; after the XMP was
    edited (ratings changed since Undo), Redo moves none of them and says which held it back."""
    lead = save(photo(7, (320, 240)), tmp_path / "album/IMG_1.JPG", quality=90)
    unit = [tmp_path / "album/IMG_1.MOV", tmp_path / "album/IMG_1.xmp"]
    unit[0].write_bytes(live_video())
    unit[1].write_bytes(xmp(4))
    (tmp_path / "b").mkdir()
    shutil.copy2(lead, tmp_path / "b/IMG_1.JPG")
    scan(qtbot, window, tmp_path)
    group = window.results.selected_group()  # the copy kept by hand: the unit goes
    window.state.set_marked(group, str(tmp_path / "b/IMG_1.JPG"), False)
    window.state.set_marked(group, str(lead), True)
    assert window.state.marked_paths() == {str(lead)}
    files = (lead, *unit)
    window.flow.trash_group(window.results.selected_group())
    wait_idle(qtbot, window)
    window.flow.undo()
    wait_idle(qtbot, window)
    window.flow.redo()
    wait_idle(qtbot, window)
    assert not any(p.exists() for p in files) and len(_trashed()) == 3
    window.flow.undo()
    wait_idle(qtbot, window)
    assert all(p.exists() for p in files)

    window.flow.trash_group(window.results.selected_group())  # a new batch, then undone
    wait_idle(qtbot, window)
    window.flow.undo()
    wait_idle(qtbot, window)
    unit[1].write_bytes(xmp(5))  # the rating changed since
    window.flow.redo()
    wait_idle(qtbot, window)
    assert all(p.exists() for p in files) and not _trashed()
    rows = dict(window.flow.last_dialog.rows)
    assert "IMG_1.xmp" in rows[str(lead)] and set(rows) == set(map(str, files))


def test_redo_after_another_scan_moves_nothing(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    """Group numbers and marks belong to one set of results: Redo does not reach across scans."""
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    _key(qtbot, window, Qt.Key.Key_Delete, SHIFT)
    _key(qtbot, window, Qt.Key.Key_Z, CTRL)
    scan(qtbot, window)
    window.actions.redo.trigger()
    wait_idle(qtbot, window)
    assert all(Path(p).exists() for p in marked)
    assert "other results" in window.statusBar().currentMessage()
