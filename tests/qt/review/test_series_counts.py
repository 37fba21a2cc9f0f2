"""Similar-shot marks are the person's own (report items 4 and 17): a re-scan carries them over
for the shots that are still the same files in a series, the status line counts them, and the
question before quitting counts them too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.review import series_marks
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.text import human_bytes
from tests.qt.conftest import scan
from tests.series_library import BURST, make_series_library


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return make_series_library(tmp_path / "lib")


def test_a_rescan_keeps_the_marks_of_shots_that_did_not_change(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    scan(qtbot, window, shots)
    state = window.state
    first, last = str(shots / BURST[0]), str(shots / BURST[2])
    for path in (first, last):
        assert series_marks.set_marked(state, 0, path, True) is None
    stat = os.stat(last)  # the last frame is touched: another file as far as a mark goes
    os.utime(last, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    scan(qtbot, window)
    assert [{f.path for f in s.files} for s in state.series] == [
        {str(shots / name) for name in BURST}]
    assert state.series_remove == [{first}]
    assert window.series_view.list.item(0).text().endswith("· 1 marked")


def test_the_status_line_counts_marked_shots(qtbot: QtBot, window: MainWindow,
                                             shots: Path) -> None:
    scan(qtbot, window, shots)
    before = window.summary.text()
    assert "similar shot" not in before
    window.keep_best_action.trigger()
    marked = window.state.series_remove[0]
    assert marked == {str(shots / BURST[0]), str(shots / BURST[2])}
    size = human_bytes(sum(os.path.getsize(path) for path in marked))
    qtbot.waitUntil(lambda: "similar shots" in window.summary.text())
    assert window.summary.text() == f"{before} · 2 similar shots marked Remove ({size})"


def test_quitting_with_only_shots_marked_asks_and_counts_them(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    scan(qtbot, window, shots)
    state = window.state
    for file in state.marked_files(0):  # the duplicate pair keeps both: nothing marked there
        assert state.toggle(0, file.path) is None
    window.keep_best_action.trigger()
    asked: list[tuple[int, int]] = []
    window.confirm_quit = lambda files, shots: asked.append((files, shots)) or False
    window.actions.quit.trigger()
    assert window.isVisible() and asked == [(0, 2)]
    from dedup_gui.qt.window.results_lifecycle import quit_question

    assert quit_question(0, 2).startswith("2 similar shots are marked Remove and not moved")
    assert quit_question(9, 1).startswith(
        "9 files in groups you reviewed and 1 similar shot are marked Remove")
    assert "176 more files are marked by the suggestions in groups you have not opened" in \
        quit_question(12, 173, 176)
    assert "more file" not in quit_question(12, 0)
    window.confirm_quit = lambda *_counts: True
    window.actions.quit.trigger()
    assert not window.isVisible()
