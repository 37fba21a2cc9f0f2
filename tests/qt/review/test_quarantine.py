"""The Trash is unavailable (no trash folder can be made, as on a network share): the app leaves
the files, asks, and moves them to the folder the person chooses, or leaves them when asked to;
never a silent permanent delete. Undo puts quarantined files back byte-identical."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import scan, wait_idle


@pytest.fixture
def no_trash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "data-home-is-a-file"
    blocker.write_bytes(b"no Trash folder can be made here")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_refused_files_go_to_the_chosen_folder_and_undo_brings_them_back(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path, no_trash: None) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    before = {p: (Path(p).read_bytes(), os.stat(p).st_mtime_ns) for p in marked}
    chosen = tmp_path / "quarantine"
    chosen.mkdir()
    asked: list[list[str]] = []
    window.flow.choose_quarantine = lambda paths: asked.append(paths) or str(chosen)
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    assert [sorted(a) for a in asked] == [sorted(marked)]
    assert window.flow.trash_cause.startswith("This happens on network shares")  # no folder
    assert not any(os.path.lexists(p) for p in marked)
    assert len(files_under(chosen)) == len(marked)
    assert window.state.trashed == marked
    assert "quarantine folder" in window.statusBar().currentMessage()
    assert window.actions.undo.isEnabled()

    window.flow.undo()
    wait_idle(qtbot, window)
    assert {p: (Path(p).read_bytes(), os.stat(p).st_mtime_ns) for p in marked} == before
    assert files_under(chosen) == [] and window.state.trashed == set()


def test_leaving_them_touches_nothing(qtbot: QtBot, window: MainWindow, library: Path,
                                      no_trash: None) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    before = {p: Path(p).read_bytes() for p in marked}
    window.flow.choose_quarantine = lambda _paths: None
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    assert {p: Path(p).read_bytes() for p in marked} == before
    assert window.state.trashed == set()
    dialog = window.flow.last_dialog
    assert dialog is not None and {p for p, _ in dialog.rows} == marked
    assert all("left in place" in reason for _, reason in dialog.rows)


def test_the_trash_prompt_names_a_full_disk_or_a_read_only_folder_as_the_cause() -> None:
    """A hostile-input check: a full disk (and a read-only folder) were told "This happens
    on network shares and on drives without a trash folder"."""
    from dedup_gui.qt.review import quarantine_prompt as q

    full = "the Trash refused it ([Errno 28] No space left on device: '/x'); it was left in place"
    locked = "the Trash refused it (Permission denied: /lib/readonly/a.jpg); it was left in place"
    share = "the Trash refused it (no trash folder on this drive); it was left in place"
    assert q.cause_of([share, full]) == q.DISK_FULL
    assert q.cause_of([locked]) == q.READ_ONLY
    assert q.cause_of([share]) == q.NO_TRASH
