"""The app on the bad-input library (tests/safety/bad_library.py): the scan finishes, every group
shows its pictures, the unreadable files are listed with their reasons, and files with names that
are not UTF-8 or hold a newline can be moved to the Trash and put back byte-identical. A damaged
cache is rebuilt, and the window says so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window import dialogs
from dedup_gui.qt.window.main_window import MainWindow
from tests.library import EXPECTED_GROUPS, relative_groups
from tests.qt.conftest import scan, wait_idle
from tests.safety.bad_library import LATIN1_NAME, NEWLINE_NAME, make_bad_library


@pytest.fixture
def bad_library(tmp_path: Path) -> tuple[Path, list[list[str]], dict[str, str]]:
    root = tmp_path / "library"
    groups, issues = make_bad_library(root)
    return root, groups, issues


def test_the_app_scans_and_shows_the_bad_library(qtbot: QtBot, window: MainWindow,
                                                 bad_library) -> None:
    root, expected_groups, expected_issues = bad_library
    scan(qtbot, window, root)
    shown = sorted(sorted(os.path.relpath(f.path, root) for f in g.files)
                   for g in window.state.groups)
    assert shown == sorted(expected_groups)
    for row in range(len(window.state.groups)):
        window.results.select_row(row)
        qtbot.waitUntil(lambda: all(card.picture.pixmap() is not None
                                    and not card.picture.pixmap().isNull()
                                    for card in window.group_view.cards), timeout=20_000)
    dialog = dialogs.show_unreadable(window, window.state.outcome)
    assert dialog is not None
    rows = {os.path.relpath(p, root): reason for p, reason in dialog.rows}
    assert rows == expected_issues


def test_odd_file_names_go_to_the_trash_and_come_back(qtbot: QtBot, window: MainWindow,
                                                      bad_library) -> None:
    root = bad_library[0]
    latin1 = os.fsdecode(os.fsencode(root / "two") + b"/" + LATIN1_NAME)
    newline = str(root / "two" / NEWLINE_NAME)
    before = {p: Path(p).read_bytes() for p in (latin1, newline)}
    scan(qtbot, window, root)
    group = next(i for i, g in enumerate(window.state.groups)
                 if latin1 in {f.path for f in g.files})
    window.state.remove = [set() for _ in window.state.groups]
    window.results.select_group(group)
    qtbot.waitUntil(lambda: window.group_view.group == group)
    for card in window.group_view.cards:
        if card.path in before:
            card.toggle.click()  # the path goes through a Qt signal and must arrive unchanged
    assert window.state.marked_paths() == set(before)
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    assert not any(os.path.lexists(p) for p in before)
    assert window.state.trashed == set(before)
    window.flow.undo()
    wait_idle(qtbot, window)
    assert {p: Path(p).read_bytes() for p in before} == before


def test_a_damaged_cache_is_rebuilt_and_the_window_says_so(qtbot: QtBot, window: MainWindow,
                                                           library: Path) -> None:
    db = Path(os.environ["DEDUP_GUI_CACHE"])
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(os.urandom(32 * 1024))
    scan(qtbot, window, library)
    assert relative_groups(window.state.groups, library) == EXPECTED_GROUPS
    message = window.statusBar().currentMessage()
    assert "was damaged; it was moved to" in message and "a new cache was started" in message
    assert list(db.parent.glob("cache.sqlite3.damaged-*"))
    scan(qtbot, window)
    assert "damaged" not in window.statusBar().currentMessage()
