"""Settings: typed, versioned, migrated, and never a crash on a broken file; the window keeps the
folder list across runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.settings import (
    SCHEMA_VERSION,
    FolderSetting,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(folders=[FolderSetting("/photos", True)], threshold=8)
    assert save_settings(settings, path) is None
    loaded = load_settings(path)
    assert loaded.folders == [FolderSetting("/photos", True)]
    assert loaded.threshold == 8
    assert loaded.warnings == []
    assert json.loads(path.read_text())["version"] == SCHEMA_VERSION


def test_folders_whose_names_are_not_utf8_are_saved_and_read_back_exactly(
        tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    latin1 = os.fsdecode(b"/photos/\xe9t\xe9 2019")  # as Python gives a Latin-1 name
    settings = Settings(folders=[FolderSetting(latin1, True), FolderSetting("/photos/été")],
                        last_folder=latin1)
    assert save_settings(settings, path) is None  # raised UnicodeEncodeError before
    assert "/photos/été" in path.read_bytes().decode("utf-8", errors="strict")
    loaded = load_settings(path)
    assert loaded.folders == settings.folders and loaded.last_folder == latin1
    assert loaded.warnings == []


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.json") == Settings()


def test_damaged_file_is_moved_aside_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"{\"folders\": [\x00 this is not json")
    loaded = load_settings(path)
    assert loaded.folders == []
    assert "damaged" in loaded.warnings[0]
    assert not path.exists()
    assert len(list(tmp_path.glob("settings.json.damaged-*"))) == 1


def test_not_an_object_and_bad_fields(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[1, 2, 3]")
    assert load_settings(path).folders == []
    path.write_text(json.dumps({"version": 1, "folders": "oops", "threshold": "high",
                                "include_hidden": True}))
    loaded = load_settings(path)
    assert loaded.folders == [] and loaded.threshold is None
    assert loaded.include_hidden is True  # good fields survive bad neighbours
    assert "folders" in loaded.warnings[0] and "threshold" in loaded.warnings[0]


def test_version_0_is_migrated_and_unknown_keys_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"folders": ["/a", "/b"], "future_option": {"x": 1}}))
    loaded = load_settings(path)
    assert loaded.folders == [FolderSetting("/a"), FolderSetting("/b")]
    save_settings(loaded, path)
    data = json.loads(path.read_text())
    assert data["future_option"] == {"x": 1}
    assert data["version"] == SCHEMA_VERSION


def test_unwritable_folder_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert "could not be saved" in save_settings(Settings(), blocker / "settings.json")


def test_window_persists_folders_and_protection(qtbot: QtBot, tmp_path: Path) -> None:
    first = MainWindow(load_settings())
    qtbot.addWidget(first)
    first.folders.add_paths([str(tmp_path)])
    item = first.folders.tree.topLevelItem(0)
    from PySide6.QtCore import Qt

    item.setCheckState(1, Qt.CheckState.Checked)
    first.close()
    assert settings_path().is_file()
    second = MainWindow(load_settings())
    qtbot.addWidget(second)
    assert second.folders.folders() == [FolderSetting(str(tmp_path), True)]


def test_window_starts_with_a_damaged_settings_file(qtbot: QtBot) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("{{{")
    from dedup_gui.qt.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    assert "damaged" in window.statusBar().currentMessage()


def test_version_1_chains_get_most_original_first(tmp_path: Path) -> None:
    """Issue 16: a saved chain without "most original" gets it first, once; a person who
    turned it off later keeps it off (the file is then version 2)."""
    path = tmp_path / "settings.json"
    old = [{"kind": "path contains", "formats": [], "text": "DCIM"},
           {"kind": "highest resolution", "formats": [], "text": ""}]
    path.write_text(json.dumps({"version": 1, "keep_rules": old}))
    loaded = load_settings(path)
    assert [r["kind"] for r in loaded.keep_rules] == ["most original", "path contains",
                                                      "highest resolution"]
    loaded.keep_rules = old
    save_settings(loaded, path)
    assert load_settings(path).keep_rules == old
