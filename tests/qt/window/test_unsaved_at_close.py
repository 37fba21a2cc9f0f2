"""Closing on a full or read-only data disk: what was not saved is said in a box the person
sees, not on the status line of a window that is closing (a hostile-input check: the folder
list and the review were lost without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dedup_gui import paths
from dedup_gui.qt.window.main_window import MainWindow


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings and data folders cannot be made: saving fails as on a full disk."""
    blocked = tmp_path / "a file"
    blocked.write_bytes(b"")
    monkeypatch.setenv(paths.CONFIG_ENV, str(blocked / "config"))
    monkeypatch.setenv(paths.DATA_ENV, str(blocked / "data"))


def test_what_could_not_be_saved_is_said_when_the_person_closes(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        full_disk: None) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, title, text: told.append(text))
    window.folders.add_paths([str(tmp_path)])  # a change that should outlive the window
    window._asked = True  # Quit asked already (results_lifecycle): the person closes it
    window.close()
    (text,) = told
    assert "Settings could not be saved to " in text and "(Not a directory)" in text
    assert "The results could not be saved for next time" in text


def test_a_close_by_the_program_shows_no_box(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, full_disk: None
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *_: pytest.fail("a box at a test close"))
    window.close()
