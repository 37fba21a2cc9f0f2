"""File ▸ Save results / Open results through the window: the saved JSON brings back the groups
with the person's marks, dismissals and moved files; a file changed since it was saved leaves
the review; the dialogs start outside the photo library."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import scan, wait_idle


def _review(window: MainWindow) -> tuple[list[set[str]], set[int], set[str]]:
    state = window.state
    return [set(r) for r in state.remove], set(state.dismissed), set(state.trashed)


def test_save_then_open_restores_groups_marks_and_decisions(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    twos = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    window.results.select_group(ones)
    flipped = next(f.path for f in state.groups[ones].files if f.path in state.remove[ones])
    state.toggle(ones, flipped)  # a mark by hand, unlike the proposal
    window.actions.trash.trigger()  # the rest of that group's marks go to the Trash
    wait_idle(qtbot, window)
    window.results.select_group(twos)
    window.not_duplicates()
    groups, saved = state.groups, _review(window)
    assert saved[2] and saved[1] == {twos}
    starts = []
    out = tmp_path / "saved" / "review.json"
    out.parent.mkdir()
    window.results_files.choose_save = lambda start: starts.append(start) or str(out)
    window.actions.save_results.trigger()
    wait_idle(qtbot, window)
    assert json.loads(out.read_text(encoding="utf-8"))["format_version"] == 3
    assert not starts[0].startswith(str(library))

    window.state.load(None)  # another scan's results, or none: then File ▸ Open results
    window.results_files.choose_open = lambda _start: str(out)
    window.actions.open_results.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.state.outcome is not None)
    assert [[f.path for f in g.files] for g in window.state.groups] == \
        [[f.path for f in g.files] for g in groups]
    assert _review(window) == saved
    assert flipped not in window.state.remove[ones]
    assert "with their marks" in window.statusBar().currentMessage()


def test_a_file_changed_since_saving_leaves_the_review(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    marked = sorted(state.marked_paths())[0]
    out = tmp_path / "review.json"
    window.results_files.choose_save = lambda _start: str(out)
    window.actions.save_results.trigger()
    wait_idle(qtbot, window)
    with open(marked, "ab") as handle:
        handle.write(b"edited after saving")
    window.results_files.choose_open = lambda _start: str(out)
    window.actions.open_results.trigger()
    wait_idle(qtbot, window)
    assert marked in window.state.gone and marked not in window.state.marked_paths()
    assert "changed or went away" in window.statusBar().currentMessage()


def test_a_file_that_is_not_results_is_refused(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    other = tmp_path / "other.json"
    other.write_text('{"something": "else"}', encoding="utf-8")
    window.results_files.choose_open = lambda _start: str(other)
    window.actions.open_results.trigger()
    wait_idle(qtbot, window)
    assert window.state.outcome is None and warned and "could not be opened" in warned[0]


def test_export_starts_outside_the_library(qtbot: QtBot, window: MainWindow, library: Path,
                                           monkeypatch) -> None:
    """Issue 17: File ▸ Export results… opened in the last folder added: the photo library."""
    from PySide6.QtWidgets import QFileDialog

    scan(qtbot, window, library)
    window.settings.last_folder = str(library / "a")
    starts = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filters: starts.append(start) or ("", ""))
    window.actions.export.trigger()
    assert starts and not starts[0].startswith(str(library))
