"""Preferences: the keeper rule chain is user-configurable, and changing it re-marks the groups;
the icons the window uses ship in resources/."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt.resources import icon, icon_path
from dedup_gui.qt.settings.dialog import SettingsDialog
from dedup_gui.qt.window.actions import _SPECS
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.settings import Settings, load_settings
from tests.qt.conftest import scan, wait_idle


def _kinds(dialog: SettingsDialog) -> list[str]:
    return [kind for kind, _text, _ticked in dialog.rules.entries()]


def test_dialog_reorders_and_unchecks_rules(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert _kinds(dialog)[:5] == ["most original", "highest resolution", "largest file",
                                  "oldest date", "shortest path"]
    rules = dialog.rules
    rules.list.setCurrentRow(0)  # the top rule cannot go up (the button said it could)
    assert not rules.up.isEnabled() and rules.down.isEnabled()
    rules.list.setCurrentRow(rules.list.count() - 1)
    assert rules.up.isEnabled() and not rules.down.isEnabled()
    rules.list.setCurrentRow(4)
    for _ in range(3):
        rules.move(-1)  # shortest path is now second
    rules.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # "most original" turned off
    rules.list.item(2).setCheckState(Qt.CheckState.Unchecked)  # resolution no longer counts
    dialog.embeddings.setChecked(False)
    chosen = dialog.result_settings()
    assert [r["kind"] for r in chosen.keep_rules] == ["shortest path", "largest file",
                                                      "oldest date"]
    assert chosen.embeddings is False and chosen.similar_shots is False


def test_path_rules_are_added_ordered_removed_and_kept(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    rules = dialog.rules
    assert not rules.add.isEnabled() and not rules.remove.isEnabled()  # nothing typed; fixed
    rules.path_kind.setCurrentIndex(rules.path_kind.findData("path does not contain"))
    qtbot.keyClicks(rules.path_text, "WhatsApp, Copy,  backup, copy")
    qtbot.mouseClick(rules.add, Qt.MouseButton.LeftButton)
    rules.path_kind.setCurrentIndex(rules.path_kind.findData("path contains"))
    rules.path_text.setText("DCIM")
    qtbot.keyClick(rules.path_text, Qt.Key.Key_Return)
    # below "most original": they decide between equally original copies (a review: at the
    # top, "prefer WhatsApp" kept a messenger re-save and marked the camera original Remove)
    assert rules.list.item(0).text() == "Most original"
    assert rules.list.item(1).text() == "Prefer paths containing “DCIM”"
    assert rules.list.item(2).text() == "Avoid paths containing “WhatsApp”"
    assert rules.list.currentRow() == 1  # the new rule, ready to be moved up
    assert len(rules.entries()) == 7 + 4  # the seven fixed rules; "copy" was typed twice
    rules.path_kind.setCurrentIndex(rules.path_kind.findData("path does not contain"))
    rules.path_text.setText("whatsapp")  # already there (any case): not added twice
    rules.add_path_rules()
    rules.list.setCurrentRow(1)
    assert rules.remove.isEnabled()
    rules.move(1)  # DCIM below WhatsApp
    rules.list.setCurrentRow(1)  # WhatsApp, moved above "most original" by the person
    rules.move(-1)
    rules.list.setCurrentRow(4)  # "backup"
    qtbot.mouseClick(rules.remove, Qt.MouseButton.LeftButton)
    chosen = dialog.result_settings().keep_rules
    assert [(r["kind"], r["text"]) for r in chosen[:4]] == [
        ("path does not contain", "WhatsApp"), ("most original", ""),
        ("path contains", "DCIM"), ("path does not contain", "Copy")]
    assert [r["kind"] for r in chosen[4:]] == ["highest resolution", "largest file",
                                               "oldest date", "shortest path"]
    from dedup_gui.tasks.scan import keep_chain

    assert keep_chain(chosen)[0].label == "Path does not contain “WhatsApp”"  # engine parses

    again = SettingsDialog(Settings(keep_rules=chosen))  # opened again: the same list
    qtbot.addWidget(again)
    assert again.rules.chosen_rules() == chosen


def test_an_avoided_path_decides_the_keeper_after_a_scan(qtbot: QtBot, window: MainWindow,
                                                         library: Path) -> None:
    scan(qtbot, window, library)
    ones = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 4)
    assert str(library / "c/one.png") not in window.state.remove[ones]  # largest file wins
    window.settings.keep_rules = [{"kind": "path does not contain", "formats": [], "text": "/C/"},
                                  *window.settings.keep_rules]
    window.scanning.repropose()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.group_view.group is not None)
    assert str(library / "c/one.png") in window.state.remove[ones]  # avoided, however large


def test_new_rules_re_mark_the_groups(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    ones = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 4)
    assert str(library / "c/one.png") not in window.state.remove[ones]  # largest file wins
    window.settings.keep_rules = [{"kind": "shortest path", "formats": [], "text": ""}]
    window.scanning.repropose()
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


def _active_memberships(window: MainWindow) -> list[str]:
    """Every file of every group the list shows (a file twice means it is in two groups)."""
    state = window.state
    return [f.path for g in state.active_groups() for f in state.live_files(g)]


def test_new_rules_keep_not_duplicates_pair_splits_and_the_trash(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Issue 17's bug: OK in Preferences with a changed rule brought back a group the person had
    dismissed (with its Remove marks) and showed a split group next to its parts."""
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    others = [i for i in range(len(state.groups)) if i != ones]
    window.results.select_group(others[0])
    window.not_duplicates()  # the whole group: never to be removed
    dismissed_paths = {f.path for f in state.groups[others[0]].files}
    pair = tuple(f for f in state.groups[ones].files
                 if f.path.endswith(("one_small.jpg", "one.png")))
    window.pairs.mark(ones, pair)
    qtbot.waitUntil(lambda: not window.pairs.busy and not window.runner.busy)
    before_groups, before_files = len(state.active_groups()), sorted(_active_memberships(window))
    dismissed = set(state.dismissed)
    assert len(before_files) == len(set(before_files))

    window.settings.keep_rules = [{"kind": "shortest path", "formats": [], "text": ""}]
    window.scanning.repropose()
    wait_idle(qtbot, window)
    assert state.dismissed == dismissed
    assert len(state.active_groups()) == before_groups
    assert sorted(_active_memberships(window)) == before_files  # no file in two groups
    assert not state.marked_paths() & dismissed_paths  # Delete cannot reach them


def test_new_rules_never_keep_a_file_already_in_the_trash(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    keeper = state.keeper(ones).path
    state.set_trashed({keeper}, True)  # as after a move: the rule's favourite is gone
    window.settings.keep_rules = [{"kind": "shortest path", "formats": [], "text": ""}]
    window.scanning.repropose()
    wait_idle(qtbot, window)
    live = {f.path for f in state.live_files(ones)}
    assert keeper not in live and keeper not in state.remove[ones]
    assert live - state.remove[ones], "every group keeps a file that is still in place"
