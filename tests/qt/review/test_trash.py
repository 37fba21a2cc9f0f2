"""Acting safely, end to end through the UI: Move to Trash (asks once with the totals), Undo
puts the files back byte-identical, a group is never emptied, and "Not duplicates" is
remembered by the next scan. The Trash is the tmp one conftest points XDG_DATA_HOME at."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from dedup_gui.engine.actions.removal import EVERY_COPY
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.text import human_bytes
from tests.qt.conftest import focus, scan, wait_idle


def _trash_files() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"


def test_trash_then_undo_restores_byte_identical(qtbot: QtBot, window: MainWindow,
                                                 library: Path) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    assert len(marked) == 4
    before = {path: Path(path).read_bytes() for path in marked}
    scopes = []
    window.flow.choose_scope = lambda scope: scopes.append(scope) or "all"
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)  # shown groups
    wait_idle(qtbot, window)
    total = sum(len(data) for data in before.values())
    assert [(s.groups, s.files, s.bytes) for s in scopes] == [(2, 4, total)]
    assert not any(Path(p).exists() for p in marked)
    assert len(list(_trash_files().iterdir())) == 4
    assert window.state.trashed == marked
    assert "In Trash" in [c.toggle.text() for c in window.group_view.cards]
    assert window.actions.undo.isEnabled()
    assert window.actions.undo.text() == "&Undo Move to Trash (4 files)"  # how much

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert {path: Path(path).read_bytes() for path in marked} == before
    assert window.state.trashed == set()
    assert list(_trash_files().iterdir()) == []
    assert "Restored 4 files" in window.statusBar().currentMessage()


def test_delete_moves_only_the_group_on_show(qtbot: QtBot, window: MainWindow,
                                             library: Path) -> None:
    """Issue 17: Delete used to move the marks of every group, opened or not."""
    scan(qtbot, window, library)
    state = window.state
    twos = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    window.results.select_group(twos)
    here = {f.path for f in state.marked_files(twos)}
    elsewhere = state.marked_paths() - here
    assert here and elsewhere
    questions = []
    window.flow.confirm = lambda question, detail: questions.append(question) or True
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    size = human_bytes(sum(state.summaries.sizes[p] for p in here))
    assert questions == [f"Move 1 file ({size}) from this group to the Trash?"]
    assert not any(Path(p).exists() for p in here)
    assert all(Path(p).exists() for p in elsewhere)


def test_bulk_removal_moves_reviewed_groups_unless_told_otherwise(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)  # the first group of the list opens by itself
    state = window.state
    opened = window.results.selected_group()
    others = [g for g in window.results.shown_groups() if g != opened]
    qtbot.waitUntil(lambda: state.opened == {opened})  # once it has stayed on show
    assert opened is not None and others
    scopes = []
    window.flow.choose_scope = lambda scope: scopes.append(scope) or "reviewed"
    window.actions.trash_shown.trigger()
    wait_idle(qtbot, window)
    scope = scopes[0]
    assert scope.reviewed_groups == 1 and scope.suggested_groups == len(others)
    assert all(not Path(p).exists() for p in scope.reviewed)
    assert all(Path(p).exists() for g in others for p in state.remove[g])  # suggestions stay
    window.results.search.setText("nothing has this name")  # every group filtered out
    scopes.clear()
    window.actions.trash_shown.trigger()
    assert scopes == [] and "Nothing is marked" in window.statusBar().currentMessage()


def test_a_group_only_passed_through_is_not_opened(qtbot: QtBot, window: MainWindow,
                                                   library: Path) -> None:
    """Two first-user checks: a filter's keystrokes (or a held arrow key) select each group
    they pass for a moment, and every one counted as opened, so the bulk removal's default
    moved copies from groups nobody had looked at. Opened now means on show for a second."""
    scan(qtbot, window, library)
    state = window.state
    shown = window.results.shown_groups()
    assert len(shown) >= 2 and window.results.selected_group() == shown[0]
    for group in [*shown[1:], shown[0], shown[-1]]:  # Down, Up, Down: a moment each
        window.results.select_group(group)
    qtbot.wait(300)
    assert state.opened == set()
    qtbot.waitUntil(lambda: state.opened == {shown[-1]}, timeout=3000)  # where the keys stopped


def test_the_bulk_confirmation_never_defaults_to_unopened_groups(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from dedup_gui.qt.review.removal_scope import count_scope, scope_box

    scan(qtbot, window, library)
    state = window.state
    every = range(len(state.groups))
    qtbot.waitUntil(lambda: len(state.opened) == 1)  # the group on show, once looked at
    box, reviewed, everything = scope_box(window, count_scope(state, every))
    assert reviewed is not None and box.defaultButton() is reviewed
    assert "Not opened yet: 1 group" in box.informativeText()
    state.opened.clear()
    box, reviewed, everything = scope_box(window, count_scope(state, every))
    assert reviewed is None
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert everything is not None and "move all 4 files" in everything.text()
    state.opened.update(every)  # every group opened: one button, nothing "also" to move
    box, reviewed, everything = scope_box(window, count_scope(state, every))
    assert everything is None and reviewed is not None and reviewed.text() == "Move 4 files"
    assert box.defaultButton() is reviewed


def test_the_bulk_confirmation_counts_the_groups_the_list_shows(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Shift+Delete with one shown group kept whole by hand: the question names both counts
    (it said "1 shown group" beside a list of 2: a first-user check)."""
    from dedup_gui.qt.review.removal_scope import count_scope, scope_box

    scan(qtbot, window, library)
    state = window.state
    shown = window.results.shown_groups()
    assert len(shown) == 2
    box, _, _ = scope_box(window, count_scope(state, shown))
    assert box.text() == "Move the marked files of 2 shown groups to the Trash?"
    for file in state.marked_files(shown[0]):
        state.set_marked(shown[0], file.path, False)
    scope = count_scope(state, shown)
    assert (scope.groups, scope.shown) == (1, 2)
    box, _, _ = scope_box(window, scope)
    assert box.text() == ("Move the marked files of 1 of the 2 shown groups (the other has "
                          "nothing marked) to the Trash?")


def test_delete_on_a_group_with_nothing_marked_says_where_the_marks_are(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A couple's check pressed the toolbar's Move to Trash on a group kept whole and read
    "Nothing is marked Remove." beside a status line counting files marked in other groups."""
    scan(qtbot, window, library)
    state = window.state
    first, second = window.results.shown_groups()
    for file in state.marked_files(first):
        state.set_marked(first, file.path, False)
    others = len(state.marked_files(second))
    messages: list[str] = []
    window.flow.message.connect(messages.append)
    window.flow.trash_group(first)
    assert messages == [f"Nothing is marked Remove in this group. {others} file"
                        f"{'s' if others > 1 else ''} marked in other groups: Edit ▸ Move "
                        "marked in shown groups to Trash… moves those."]


def test_identical_copies_only_is_its_own_command(qtbot: QtBot, window: MainWindow,
                                                  library: Path) -> None:
    import shutil

    shutil.copy(library / "other/photo3.jpg", library / "other/photo3 (1).jpg")
    scan(qtbot, window, library)
    state = window.state
    identical = [g for g in state.active_groups() if state.groups[g].tier == "identical"]
    other = [g for g in state.active_groups() if g not in identical]
    assert len(identical) == 1 and other
    asked = []
    window.flow.confirm_bulk = lambda question, detail: asked.append(question) or True
    window.actions.trash_identical.trigger()
    wait_idle(qtbot, window)
    moved = {p for g in identical for p in state.remove[g]}
    assert len(asked) == 1 and len(moved) == 1
    assert asked[0].endswith(") from groups of identical copies to the Trash?")  # grammar
    assert all(not Path(p).exists() for p in moved)
    assert all(Path(p).exists() for g in other for p in state.remove[g])


def test_undo_after_a_restart_uses_the_journal(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    scan(qtbot, window, library)
    marked = window.state.marked_paths()
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    window.confirm_quit = lambda *_counts: True
    window.close()
    fresh = MainWindow(window.settings)  # a new session: no in-memory history
    qtbot.addWidget(fresh)
    fresh.reopen_last_results()  # as the app starts (it asked the journal only after a scan)
    qtbot.waitUntil(lambda: fresh.actions.undo.isEnabled())
    assert fresh.state.trashed == marked
    fresh.results.select_group(next(i for i, g in enumerate(fresh.state.groups)
                                    if any(f.path in marked for f in g.files)))
    card = next(c for c in fresh.group_view.cards if c.path in marked)
    qtbot.waitUntil(lambda: card.picture.text() not in ("", "Loading…"))
    assert card.picture.text() == "In the Trash"  # not "Cannot show this image"
    fresh.flow.undo()
    wait_idle(qtbot, fresh)
    assert all(Path(p).exists() for p in marked)
    assert not fresh.state.trashed and fresh.state.marked_paths() == marked  # back in review


def test_a_group_is_never_emptied(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    twos = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 2)
    both = {f.path for f in window.state.groups[twos].files}
    window.state.remove[twos] = set(both)  # bypass the UI guard: the engine's plan refuses too
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    assert all(Path(p).exists() for p in both)
    dialog = window.flow.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert {(p, r) for p, r in dialog.rows if p in both} == {(p, EVERY_COPY) for p in both}
    others = window.state.marked_paths() - both
    assert not any(Path(p).exists() for p in others)  # the other group's marks went ahead


def test_changed_file_is_left_alone_and_listed(qtbot: QtBot, window: MainWindow,
                                               library: Path) -> None:
    scan(qtbot, window, library)
    changed = str(library / "c" / "two_q60.jpg")
    with open(changed, "ab") as handle:
        handle.write(b"edited after the scan")
    window.flow.trash_shown(window.results.shown_groups())
    wait_idle(qtbot, window)
    assert Path(changed).exists()
    assert changed in dict(window.flow.last_dialog.rows)
    assert changed not in window.state.trashed
    # found changed: out of the review, no longer marked or counted for the next move (it
    # was counted again in the next confirmation and the status line: a real-window check)
    assert changed in window.state.gone and changed not in window.state.marked_paths()


def test_not_duplicates_is_remembered_after_a_rescan(qtbot: QtBot, window: MainWindow,
                                                     library: Path) -> None:
    scan(qtbot, window, library)
    twos = next(i for i, g in enumerate(window.state.groups) if len(g.files) == 2)
    names = {f.path for f in window.state.groups[twos].files}
    window.results.select_group(twos)
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.results.proxy.rowCount() == 1
    assert "Not duplicates" in window.actions.undo.text()
    assert window.results.selected_group() != twos
    window.flow.undo()  # the group is back, and on show (it was not: a real-window check)
    assert window.results.selected_group() == twos
    qtbot.keyClick(window, Qt.Key.Key_N)
    scan(qtbot, window)
    assert len(window.state.groups) == 1
    assert all({f.path for f in g.files} != names for g in window.state.groups)

    window.flow.undo()  # forget the decision: the next scan finds the pair again
    scan(qtbot, window)
    assert any({f.path for f in g.files} == names for g in window.state.groups)


def test_a_restored_photo_shows_its_picture_again(qtbot: QtBot, window: MainWindow,
                                                  library: Path) -> None:
    """A picture asked for while the file was in the Trash was cached as unreadable, and the
    restored photo read "Cannot show this image" until a restart (a real-window check)."""
    scan(qtbot, window, library)
    group = window.results.selected_group()
    (file,) = window.state.marked_files(group)[:1]
    window.flow.trash_group(group)
    wait_idle(qtbot, window)
    pictures = window.pictures
    pictures.clear()  # as after a restart: nothing cached yet
    pictures.get(file.path, file.mtime_ns)  # asked while in the Trash: unreadable
    qtbot.waitUntil(lambda: pictures.failed(file.path, file.mtime_ns))
    window.flow.undo()
    wait_idle(qtbot, window)
    assert Path(file.path).exists() and not pictures.failed(file.path, file.mtime_ns)
    pictures.get(file.path, file.mtime_ns)
    qtbot.waitUntil(lambda: pictures.get(file.path, file.mtime_ns) is not None)


def test_the_status_line_counts_the_groups_a_filter_shows(qtbot: QtBot, window: MainWindow,
                                                          library: Path) -> None:
    """A keyboard user's check: with a filter on, the line still said every group's count, and
    the only place '191' showed was the Trash confirmation."""
    scan(qtbot, window, library)
    groups = len(window.state.active_groups())
    assert groups >= 2
    qtbot.waitUntil(lambda: window.summary.text().startswith(f"{groups} groups · "))
    window.results.search.setText("q60")  # two.jpg's group only
    shown = len(window.results.shown_groups())
    assert 0 < shown < groups
    qtbot.waitUntil(lambda: window.summary.text().startswith(
        f"{shown} of {groups} groups shown · "))
    window.results.search.clear()
    qtbot.waitUntil(lambda: window.summary.text().startswith(f"{groups} groups · "))


def test_shift_delete_in_the_filter_box_is_the_bulk_move(qtbot: QtBot, window: MainWindow,
                                                        library: Path) -> None:
    """Type a filter, then Shift+Delete: the box took it as Cut (nothing happened, or the
    filter text went and every group showed again). Now the bulk move asks, for the groups the
    filter shows; the filter stays."""
    scan(qtbot, window, library)
    scopes = []
    window.flow.choose_scope = lambda scope: scopes.append(scope) or None  # Cancel
    focus(qtbot, window)
    window.results.search.setFocus()
    qtbot.keyClicks(window.results.search, "q60")
    window.results.search.selectAll()
    qtbot.keyClick(window.results.search, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert window.results.search.text() == "q60"
    assert len(scopes) == 1
    assert scopes[0].reviewed_groups + scopes[0].suggested_groups == \
        len(window.results.shown_groups()) == 1


def test_ctrl_l_goes_to_the_filter_and_down_then_moves_through_the_groups(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A keyboard user needed four Tabs from the folder list to reach the filter."""
    scan(qtbot, window, library)
    window.folders.setFocus()
    focus(qtbot, window)
    window.results.search.setText("one")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.results.search.hasFocus() and window.results.search.selectedText() == "one"
    qtbot.keyClicks(window.results.search, "q60")
    shown = window.results.shown_groups()
    assert len(shown) == 1 and window.results.selected_group() == shown[0]
    assert "Ctrl+L" in window.actions.filter_groups.toolTip()


def test_a_move_that_worked_with_a_note_says_so_without_an_empty_failure_list(
        qtbot: QtBot, window: MainWindow) -> None:
    """A hostile-input check, with a read-only cache: "Some files were not moved — 0 files
    stayed where they were" over an empty list, after a move that worked, only to show the
    cache's note (and "Some files were not restored" after an Undo that worked)."""
    from dedup_gui.qt.review.trash_texts import NOTE_ONLY
    from dedup_gui.tasks.removal import ActionOutcome

    note = "The database cache.sqlite3 is read-only: the undo journal is kept in … instead."
    window.flow._report_failures([], ActionOutcome([], [note]), "intro")
    dialog = window.flow.last_dialog
    assert dialog.windowTitle() == "Moved, with a note" and dialog.tree.isHidden()
    assert NOTE_ONLY in [w.text() for w in dialog.findChildren(QLabel)]
    assert note in [w.text() for w in dialog.findChildren(QLabel)]
    dialog.close()
    window.flow._report_failures([("/a.jpg", "why")], ActionOutcome([], [note]), "intro")
    assert window.flow.last_dialog.windowTitle() == "Some files were not moved"
    assert not window.flow.last_dialog.tree.isHidden()
    window.flow.last_dialog.close()


def test_a_file_whose_trash_entry_is_gone_no_longer_reads_in_the_trash(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A returning-user check: a file deleted from the Trash by hand; Undo said its entry is
    gone, and its card still read "In Trash"."""
    scan(qtbot, window, library)
    window.flow.choose_scope = lambda _scope: "all"
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, window)
    emptied = sorted(_trash_files().iterdir())[0]
    emptied.unlink()
    (emptied.parent.parent / "info" / f"{emptied.name}.trashinfo").unlink()
    window.undo()
    wait_idle(qtbot, window)
    (path,) = window.state.gone
    assert not Path(path).exists() and Path(path).name == emptied.name
    group = next(i for i, g in enumerate(window.state.groups) if path in {f.path for f in g.files})
    window.results.select_group(group)
    texts = {c.path: c.toggle.text() for c in window.group_view.cards if c.path}
    assert texts[path] == "Changed since the scan" and "In Trash" not in texts.values()
    assert path not in window.state.trashed
    from tests.qt.review.test_session import _restart

    fresh = _restart(qtbot, window)  # the saved review must not put it back in the Trash
    qtbot.waitUntil(lambda: path in fresh.state.gone)
    assert path not in fresh.state.trashed
    fresh.results.select_group(group)
    texts = {c.path: c.toggle.text() for c in fresh.group_view.cards if c.path}
    assert texts[path] == "Changed since the scan"
