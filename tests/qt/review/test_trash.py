"""Acting safely, end to end through the UI: Move to Trash (asks once with the totals), Undo
puts the files back byte-identical, a group is never emptied, and "Not duplicates" is
remembered by the next scan. The Trash is the tmp one conftest points XDG_DATA_HOME at."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.engine.actions.removal import EVERY_COPY
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.text import human_bytes
from tests.qt.conftest import focus, scan, wait_idle


def _trash_files() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"


def test_trash_then_undo_restores_byte_identical(qtbot: QtBot, window: MainWindow,
                                                 library: Path) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    assert len(marked) == 4
    before = {path: Path(path).read_bytes() for path in marked}
    questions = []
    window.flow.confirm = lambda question, detail: questions.append(question) or True
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    total = human_bytes(sum(len(data) for data in before.values()))
    assert questions == [f"Move 4 files ({total}) to the Trash?"]
    assert not any(Path(p).exists() for p in marked)
    assert len(list(_trash_files().iterdir())) == 4
    assert window.state.trashed == marked
    assert "In Trash" in [c.toggle.text() for c in window.group_view.cards]
    assert window.actions.undo.isEnabled() and "Move to Trash" in window.actions.undo.text()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert {path: Path(path).read_bytes() for path in marked} == before
    assert window.state.trashed == set()
    assert list(_trash_files().iterdir()) == []
    assert "Restored 4 files" in window.statusBar().currentMessage()


def test_undo_after_a_restart_uses_the_journal(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    window.flow.trash_marked()
    wait_idle(qtbot, window)
    fresh = MainWindow(window.settings)  # a new session: no in-memory history
    qtbot.addWidget(fresh)
    fresh.flow.refresh_journal()
    qtbot.waitUntil(lambda: fresh.actions.undo.isEnabled())
    fresh.flow.undo()
    wait_idle(qtbot, fresh)
    assert all(Path(p).exists() for p in marked)


def test_a_group_is_never_emptied(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    twos = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 2)
    both = {f.path for f in window.state.groups[twos].files}
    window.state.remove[twos] = set(both)  # bypass the UI guard: the engine's plan refuses too
    window.flow.trash_marked()
    wait_idle(qtbot, window)
    assert all(Path(p).exists() for p in both)
    dialog = window.flow.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert {(p, r) for p, r in dialog.rows if p in both} == {(p, EVERY_COPY) for p in both}
    others = window.state.marked_paths() - both
    assert not any(Path(p).exists() for p in others)  # the other group's marks went ahead


def test_changed_file_is_left_alone_and_listed(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    scan(qtbot, window, library)
    changed = str(library / "c" / "two_q60.jpg")
    with open(changed, "ab") as handle:
        handle.write(b"edited after the scan")
    window.flow.trash_marked()
    wait_idle(qtbot, window)
    assert Path(changed).exists()
    assert changed in dict(window.flow.last_dialog.rows)
    assert changed not in window.state.trashed


def test_not_duplicates_is_remembered_after_a_rescan(qtbot: QtBot, window: MainWindow,
                                                     library: Path) -> None:
    scan(qtbot, window, library)
    twos = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 2)
    names = {f.path for f in window.state.groups[twos].files}
    window.results.select_group(twos)
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.results.proxy.rowCount() == 1
    assert "Not duplicates" in window.actions.undo.text()
    scan(qtbot, window)
    assert len(window.state.groups) == 1
    assert all({f.path for f in g.files} != names for g in window.state.groups)

    window.flow.undo()  # forget the decision: the next scan finds the pair again
    scan(qtbot, window)
    assert any({f.path for f in g.files} == names for g in window.state.groups)
