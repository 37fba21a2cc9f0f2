"""Not duplicates on a pair: remembered in SQLite, the group formed again at once without the
pair, respected by later scans, and undone by Undo (newest step first, with the trash flow's)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import focus, scan


def _group_with(window: MainWindow, name: str) -> int:
    return next(i for i, g in enumerate(window.state.groups)
                if i not in window.state.dismissed and any(f.path.endswith(name) for f in g.files))


def _shown_groups(window: MainWindow) -> list[set[str]]:
    """The groups the list shows (dismissed ones are hidden), as sets of paths."""
    proxy = window.results.proxy
    return [{f.path for f in window.state.groups[proxy.group_at(row)].files}
            for row in range(proxy.rowCount())]


def _make_current(window: MainWindow, path: str) -> None:
    view = window.group_view
    view.current = [card.path for card in view.cards].index(path)


def _wait(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.pairs.busy and not window.runner.busy)


def test_a_pair_is_split_off_undone_and_kept_apart_by_later_scans(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    small, png = str(library / "b/one_small.jpg"), str(library / "c/one.png")
    scan(qtbot, window, library)
    ones = _group_with(window, "one.png")
    window.results.select_group(ones)
    _make_current(window, small)
    left, right = window.group_view.compare_pair()
    assert (left.path, right.path) == (png, small)  # the keeper left: K keeps it
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    _wait(qtbot, window)
    assert ones in window.state.dismissed
    formed = window.group_view.group  # the re-formed group is up for review
    assert formed == len(window.state.groups) - 1
    members = {f.path for f in window.state.groups[formed].files}
    assert len(members) == 3 and not {small, png} <= members  # the rest stays together
    assert len(_shown_groups(window)) == 2
    assert window.state.remove[formed] and window.state.keeper(formed).path in members
    assert window.actions.undo.text() == "&Undo Not duplicates"

    window.actions.undo.trigger()  # the group is back as it was
    _wait(qtbot, window)
    assert ones not in window.state.dismissed and formed in window.state.dismissed
    assert window.group_view.group == ones
    assert {small, png} <= {f.path for f in window.state.groups[ones].files}

    _make_current(window, small)  # now from the compare view
    window.open_compare()
    compare = window.compare_dialog
    button = next(b for b in compare.findChildren(QPushButton) if b.text() == "Not duplicates")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    _wait(qtbot, window)
    assert window.compare_dialog is None and ones in window.state.dismissed

    scan(qtbot, window)  # remembered in the database: the next scan keeps them apart
    groups = _shown_groups(window)
    assert not any({small, png} <= g for g in groups)
    assert any(len(g) == 3 and (small in g or png in g) for g in groups)

    window.actions.undo.trigger()  # after a rescan Undo forgets the decision
    _wait(qtbot, window)
    assert "Forgotten" in window.statusBar().currentMessage()
    scan(qtbot, window)
    assert any({small, png} <= g and len(g) == 4 for g in _shown_groups(window))


def test_undo_takes_back_the_newest_step_first(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    scan(qtbot, window, library)
    ones, twos = _group_with(window, "one.png"), _group_with(window, "two.jpg")
    pair = tuple(f for f in window.state.groups[ones].files
                 if f.path.endswith(("one_small.jpg", "one.png")))
    window.pairs.mark(ones, pair)
    _wait(qtbot, window)
    window.results.select_group(twos)
    window.not_duplicates()  # the whole other group, after the pair
    assert twos in window.state.dismissed
    window.actions.undo.trigger()  # the group decision first
    assert twos not in window.state.dismissed and ones in window.state.dismissed
    assert window.actions.undo.text() == "&Undo Not duplicates"
    window.actions.undo.trigger()  # then the pair
    _wait(qtbot, window)
    assert ones not in window.state.dismissed
    assert not window.actions.undo.isEnabled()


def test_redo_says_again_what_undo_took_back(qtbot: QtBot, window: MainWindow,
                                            library: Path) -> None:
    """A pair decision taken back by Undo is done again by Redo (a real-window check found
    Undo without Redo for it), also while an older pair decision can still be undone."""
    scan(qtbot, window, library)
    ones, twos = _group_with(window, "one.png"), _group_with(window, "two.jpg")
    window.pairs.mark(ones, tuple(f for f in window.state.groups[ones].files
                                  if f.path.endswith(("one_small.jpg", "one.png"))))
    _wait(qtbot, window)
    pair = window.state.groups[twos].files[:2]
    window.pairs.mark(twos, pair)
    _wait(qtbot, window)
    for _ in range(2):  # back and forth
        window.actions.undo.trigger()
        _wait(qtbot, window)
        assert twos not in window.state.dismissed
        assert window.actions.redo.isEnabled()
        assert window.actions.redo.text() == "&Redo Not duplicates"
        window.actions.redo.trigger()
        _wait(qtbot, window)
        assert twos in window.state.dismissed and ones in window.state.dismissed
        assert not any({pair[0].path, pair[1].path} <= g for g in _shown_groups(window))
        assert not window.actions.redo.isEnabled()
    assert window.actions.undo.text() == "&Undo Not duplicates"


def test_not_duplicates_on_a_group_keeps_its_identical_copies_together(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A first-user check: N on a group of a photo, its byte copy and a different picture
    said all three were not duplicates, and the byte copy was no longer proposed. Now the
    identical copies stay a group, and Undo gives the whole group back."""
    import shutil

    png = library / "c/one.png"
    copy = library / "d/one (1).png"
    copy.parent.mkdir(exist_ok=True)
    shutil.copy2(png, copy)
    scan(qtbot, window, library)
    ones = _group_with(window, "one.png")
    assert {str(png), str(copy)} <= {f.path for f in window.state.groups[ones].files}
    window.results.select_group(ones)
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N)
    _wait(qtbot, window)
    assert ones in window.state.dismissed
    assert {str(png), str(copy)} in _shown_groups(window)  # the copies, still a group
    assert all(len(g) == 2 or not {str(png), str(copy)} & g for g in _shown_groups(window))
    assert "identical copies (the same bytes) stay a group" in \
        window.statusBar().currentMessage()
    window.actions.undo.trigger()
    _wait(qtbot, window)
    assert ones not in window.state.dismissed
    window.actions.redo.trigger()  # said again: the copies stay together again
    _wait(qtbot, window)
    assert ones in window.state.dismissed and {str(png), str(copy)} in _shown_groups(window)
    window.actions.undo.trigger()
    _wait(qtbot, window)
    scan(qtbot, window, library)  # forgotten: the next scan forms the whole group again
    assert any({str(png), str(copy), str(library / "b/one_small.jpg")} <= g
               for g in _shown_groups(window))


def test_not_duplicates_on_identical_copies_only_is_refused(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    import shutil

    shutil.copy(library / "other/photo3.jpg", library / "other/photo3 (1).jpg")
    scan(qtbot, window, library)
    twins = _group_with(window, "photo3 (1).jpg")
    window.results.select_group(twins)
    window.not_duplicates()
    assert twins not in window.state.dismissed
    assert "identical copies (the same bytes)" in window.statusBar().currentMessage()
