"""Preferences: the keeper rule chain is user-configurable, and changing it re-marks the groups;
the icons the window uses ship in resources/."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt.main_window import MainWindow
from dedup_gui.qt.resources import icon, icon_path
from dedup_gui.qt.settings_dialog import SettingsDialog
from dedup_gui.qt.window_actions import _SPECS
from dedup_gui.settings import Settings, load_settings
from tests.qt.conftest import scan, wait_idle


def test_dialog_reorders_and_unchecks_rules(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    kinds = [dialog.rules.item(r).data(Qt.ItemDataRole.UserRole)
             for r in range(dialog.rules.count())]
    assert kinds[:4] == ["highest resolution", "largest file", "oldest date", "shortest path"]
    dialog.rules.setCurrentRow(3)
    dialog._move(-1)
    dialog._move(-1)  # shortest path is now second
    dialog.rules.item(0).setCheckState(Qt.CheckState.Unchecked)  # resolution no longer counts
    dialog.embeddings.setChecked(False)
    chosen = dialog.result_settings()
    assert [r["kind"] for r in chosen.keep_rules] == ["shortest path", "largest file",
                                                      "oldest date"]
    assert chosen.embeddings is False and chosen.similar_shots is False


def test_new_rules_re_mark_the_groups(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    ones = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 4)
    assert str(library / "c/one.png") not in window.state.remove[ones]  # largest file wins
    window.settings.keep_rules = [{"kind": "shortest path", "formats": [], "text": ""}]
    window.repropose()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.group_view.group is not None)
    assert str(library / "c/one.png") in window.state.remove[ones]
    assert str(library / "a/one.jpg") not in window.state.remove[ones]  # shortest path now
    window.save()
    assert load_settings().keep_rules == window.settings.keep_rules


def test_every_icon_ships_and_loads(qtbot: QtBot) -> None:
    names = {spec[1] for spec in _SPECS.values() if spec[1]} | {"keep", "protect", "app",
                                                                "remove", "add", "cancel"}
    for name in names:
        assert icon_path(name).is_file(), name
        assert not icon(name).isNull(), name
