"""Mark helpers (the Mark menu and a card's context menu): the group on show, the shown groups
or one kind of match; the guards of a single toggle hold for every group."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from dedup_gui.qt.common import desktop
from dedup_gui.qt.review.marking import How
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.qt.window.mark_menu import GROUP, SHOWN
from tests.qt.conftest import scan


def _live(window: MainWindow, group: int) -> set[str]:
    return {f.path for f in window.state.live_files(group)}


def hidden_now(window: MainWindow, group: int) -> bool:
    return group in window.state.dismissed and not window.pairs.busy


def test_helpers_on_the_group_on_show(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    group = window.group_view.group
    keeper = state.keeper(group).path  # the rules' choice, as scanned
    suggested = set(state.remove[group])
    window.mark(How.KEEP_ALL, GROUP)
    assert state.remove[group] == set()
    assert state.keeper(group).path == keeper  # still shown by the rules' choice
    window.mark(How.INVERT, GROUP)  # would mark every file: refused, left as it was
    assert state.remove[group] == set() and "left as they were" in \
        window.statusBar().currentMessage()
    window.mark(How.ALL_BUT_KEEPER, GROUP)
    assert state.remove[group] == _live(window, group) - {keeper}
    window.mark(How.INVERT, GROUP)
    assert state.remove[group] == {keeper}
    window.mark(How.SUGGESTED, GROUP)
    assert state.remove[group] == suggested


def test_helpers_on_shown_groups_skip_hidden_ones_and_count_as_suggestions(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    shown = window.results.shown_groups()
    window.results.select_group(shown[0])
    window.not_duplicates()  # dismissed: hidden, never marked again
    qtbot.waitUntil(lambda: hidden_now(window, shown[0]))  # its copies formed again apart
    hidden = shown[0]
    before_hidden = set(state.remove[hidden])
    state.opened.clear()
    window.mark(How.KEEP_ALL, SHOWN)
    assert all(not state.remove[g] for g in window.results.shown_groups())
    assert state.remove[hidden] == before_hidden
    assert state.opened <= {window.results.selected_group()}  # bulk marks review nothing


def test_a_helper_on_many_groups_is_undone_and_redone_as_one_step(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A first-user check: Keep all on 160 shown groups could not be taken back, and Ctrl+Z
    put the last Trash batch back instead."""
    scan(qtbot, window, library)
    state = window.state
    shown = window.results.shown_groups()
    before = [set(marks) for marks in state.remove]
    assert sum(bool(before[g]) for g in shown) >= 2
    window.mark(How.KEEP_ALL, SHOWN)
    after = [set(marks) for marks in state.remove]
    changed = sum(before[g] != after[g] for g in shown)
    assert window.actions.undo.text().replace("&", "") == f"Undo Keep all ({changed} groups)"
    window.actions.undo.trigger()
    assert [set(marks) for marks in state.remove] == before
    assert f"Marks put back in {changed} groups" in window.statusBar().currentMessage()
    assert window.actions.redo.text().replace("&", "") == f"Redo Keep all ({changed} groups)"
    window.actions.redo.trigger()
    assert [set(marks) for marks in state.remove] == after
    window.actions.undo.trigger()
    assert [set(marks) for marks in state.remove] == before


def test_helpers_by_kind_of_match(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    shutil.copy(library / "other/photo3.jpg", library / "other/photo3 (1).jpg")  # identical
    scan(qtbot, window, library)
    state = window.state
    tier_of = {g: state.groups[g].tier for g in state.active_groups()}
    assert len(set(tier_of.values())) > 1, "the library has two kinds of match"
    tier = sorted(set(tier_of.values()))[0]
    before = [set(marks) for marks in state.remove]
    window.mark(How.KEEP_ALL, tier)
    for group, kind in tier_of.items():
        assert state.remove[group] == (set() if kind == tier else before[group])


def test_protected_files_are_never_marked(qtbot: QtBot, window: MainWindow,
                                          library: Path) -> None:
    scan(qtbot, window, library, protected=(library / "c",))
    state = window.state
    group = next(g for g in state.active_groups()
                 if any(f.path.startswith(str(library / "c")) for f in state.groups[g].files))
    window.results.select_group(group)
    window.mark(How.INVERT, GROUP)
    window.mark(How.ALL_BUT_KEEPER, GROUP)
    assert not state.remove[group] & state.protected


def test_the_card_menu_opens_shows_copies_and_marks(
        qtbot: QtBot, window: MainWindow, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[tuple[str, str]] = []
    monkeypatch.setattr(desktop, "open_file", lambda p: handed.append(("open", p)))
    monkeypatch.setattr(desktop, "reveal", lambda p: handed.append(("reveal", p)))
    scan(qtbot, window, library)
    card = window.group_view.cards[1]
    card.menu_requested.emit(card.path, QPoint(10, 10))
    menu = next(m for m in window.findChildren(QMenu) if m.isVisible())
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert texts[:4] == ["Open", "Show in folder", "Copy path", "Compare…"]
    assert "Mark all but the keeper" in texts
    for action in menu.actions()[:3]:
        action.trigger()
    assert handed == [("open", card.path), ("reveal", card.path)]
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == card.path
    menu.close()


def test_a_mark_set_by_hand_is_one_undo_step(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Space on a card, then Ctrl+Z, put the last Trash batch back (or did nothing) instead of
    the mark (the last report's open item); now the mark is the step, named for its file."""
    scan(qtbot, window, library)
    state, view = window.state, window.group_view
    group = view.group
    before = set(state.remove[group])
    while view.current_path() not in before:  # a file marked Remove: Keep is never refused
        view.move(1)
    path = view.current_path()
    view.toggle_current()
    after = set(state.remove[group])
    assert after != before
    word = "Remove" if path in after else "Keep"
    name = Path(path).name
    assert window.actions.undo.text().replace("&", "") == f"Undo {word} {name}"
    window.actions.undo.trigger()
    assert state.remove[group] == before
    assert f"Mark put back: {word} {name}." in window.statusBar().currentMessage()
    window.actions.redo.trigger()
    assert state.remove[group] == after
    window.actions.undo.trigger()
    assert state.remove[group] == before
