"""Results survive a restart: the last results reopen at once with the marks, dismissals and
Trash as they were; files changed or gone since the scan leave the review; quitting with marks
in reviewed groups asks; a damaged session file is set aside with a message."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.tasks.session import reopen_session, session_path
from tests.qt.conftest import scan, wait_idle


def _restart(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.confirm_quit = lambda *_counts: True
    window.close()
    fresh = MainWindow(window.settings)
    qtbot.addWidget(fresh)
    fresh.confirm_quit = lambda *_counts: True
    fresh.flow.confirm = fresh.flow.confirm_bulk = lambda _question, _detail: True
    fresh.flow.choose_scope = lambda _scope: "all"
    fresh.show()
    fresh.reopen_last_results()
    qtbot.waitUntil(lambda: not fresh.runner.busy and fresh.state.outcome is not None)
    return fresh


def test_marks_decisions_and_the_trash_survive_a_restart(qtbot: QtBot, window: MainWindow,
                                                         library: Path) -> None:
    scan(qtbot, window, library)
    assert session_path().is_file()  # saved by the engine process as the scan ended
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    twos = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    window.results.select_group(ones)
    flipped = next(f.path for f in state.groups[ones].files if f.path in state.remove[ones])
    state.toggle(ones, flipped)  # a mark by hand
    window.results.select_group(twos)
    window.not_duplicates()
    marks = [set(r) for r in state.remove]
    fresh = _restart(qtbot, window)
    assert [set(r) for r in fresh.state.remove] == marks
    assert fresh.state.dismissed == {twos} and ones in fresh.state.opened
    assert "with your marks" in fresh.statusBar().currentMessage()


def test_files_changed_since_the_scan_leave_the_review(qtbot: QtBot, window: MainWindow,
                                                       library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    marked = sorted(state.remove[ones])
    os.remove(marked[0])  # deleted elsewhere while the app was closed
    with open(marked[1], "ab") as handle:
        handle.write(b"edited")
    fresh = _restart(qtbot, window)
    qtbot.waitUntil(lambda: fresh.state.gone == {marked[0], marked[1]})
    assert not {marked[0], marked[1]} & fresh.state.marked_paths()
    assert "2 files changed or went away" in fresh.statusBar().currentMessage()
    fresh.results.select_group(ones)
    texts = {c.path: c.toggle.text() for c in fresh.group_view.cards}
    assert texts[marked[0]] == texts[marked[1]] == "Changed since the scan"
    matches = {c.path: c.values["Match"].text() for c in fresh.group_view.cards if c.path}
    assert not any(matches[p].startswith("the keeper") for p in marked[:2])  # gone, not kept
    assert "your choice" not in fresh.group_view.header.full_text()  # nobody chose
    fresh.flow.trash_shown(fresh.results.shown_groups())
    wait_idle(qtbot, fresh)
    assert Path(marked[1]).exists()  # never acted on


def test_a_reopened_list_is_sorted_by_what_its_groups_still_free(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A returning-user check: files found gone on reopening left their groups freeing
    nothing ("—"), yet those rows stayed above the others under "Frees, largest first"."""
    scan(qtbot, window, library)
    state = window.state
    first = window.results.proxy.group_at(0)  # frees the most
    for path in state.remove[first]:
        os.remove(path)  # deleted elsewhere while the app was closed
    fresh = _restart(qtbot, window)
    qtbot.waitUntil(lambda: bool(fresh.state.gone))
    proxy = fresh.results.proxy
    frees = [fresh.state.reclaim[proxy.group_at(row)] for row in range(proxy.rowCount())]
    assert frees == sorted(frees, reverse=True) and frees[-1] == 0
    assert proxy.group_at(proxy.rowCount() - 1) == first


def test_a_group_whose_kept_file_went_while_closed_keeps_its_copies(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """The kept file deleted elsewhere while the app was closed: its copies are now the photo's
    last files, so their Remove marks come off on reopening (the cards said Remove on every
    file left, and Move to Trash refused them only there)."""
    scan(qtbot, window, library)
    state = window.state
    twos = next(i for i, g in enumerate(state.groups) if len(g.files) == 2)
    (kept,) = {f.path for f in state.groups[twos].files} - state.remove[twos]
    copies = set(state.remove[twos])
    os.remove(kept)
    fresh = _restart(qtbot, window)
    qtbot.waitUntil(lambda: fresh.state.gone == {kept})
    assert not copies & fresh.state.marked_paths()
    assert "Now kept: two_q60.jpg" in fresh.statusBar().currentMessage()


def test_quitting_with_reviewed_marks_asks(qtbot: QtBot, window: MainWindow,
                                           library: Path) -> None:
    scan(qtbot, window, library)  # the first group is on show, so reviewed, with marks
    qtbot.waitUntil(lambda: bool(window.state.opened))  # once it has stayed on show
    asked: list[int] = []
    window.confirm_quit = lambda files, shots: asked.append(files) or False
    window.actions.quit.trigger()
    assert window.isVisible() and asked and asked[0] > 0
    window.confirm_quit = lambda *_counts: True
    window.actions.quit.trigger()
    assert not window.isVisible()


def test_a_damaged_session_is_set_aside(qtbot: QtBot, window: MainWindow) -> None:
    path = session_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle at all")
    window.reopen_last_results()
    qtbot.waitUntil(lambda: "could not be reopened" in window.statusBar().currentMessage())
    assert window.state.outcome is None
    assert not path.exists() and list(path.parent.glob("last-results.pickle.unreadable-*"))


def test_new_rules_after_reopening_leave_changed_files_out(qtbot: QtBot, window: MainWindow,
                                                           library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    ones = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    keeper = state.keeper(ones).path
    with open(keeper, "ab") as handle:  # the rules' favourite changes while the app is closed
        handle.write(b"edited")
    fresh = _restart(qtbot, window)
    qtbot.waitUntil(lambda: keeper in fresh.state.gone)
    fresh.settings.keep_rules = [*fresh.settings.keep_rules]  # OK in Preferences, same rules
    fresh.scanning.repropose()
    wait_idle(qtbot, fresh)
    live = {f.path for f in fresh.state.live_files(ones)}
    assert keeper not in live and keeper not in fresh.state.remove[ones]
    assert live - fresh.state.remove[ones], "a file still in place is kept"


def test_the_saved_results_are_read_on_a_worker_and_kept_when_closed_first(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Reading a big session back takes seconds: the window shows "Reopening…" and stays
    usable; closed before the results are back, the saved results are not forgotten."""
    scan(qtbot, window, library)
    window.confirm_quit = lambda *_counts: True
    window.close()
    saved = session_path().read_bytes()
    fresh = MainWindow(window.settings)
    qtbot.addWidget(fresh)
    fresh.reopen_last_results()
    assert fresh.state.outcome is None  # not read on the UI thread
    assert "Reopening" in fresh.statusBar().currentMessage()
    fresh.close()  # before the worker's result was shown
    assert session_path().read_bytes() == saved


def test_a_scan_that_comes_first_keeps_its_results(qtbot: QtBot, window: MainWindow,
                                                   library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    group = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    state.toggle(group, next(iter(state.remove[group])))  # differs from a fresh scan's marks
    fresh = _restart(qtbot, window)
    marks = [set(r) for r in fresh.state.remove]
    assert marks != [set(r) for r in fresh.state.outcome.removals]
    reopened = fresh.state.outcome
    scan(qtbot, fresh, library)  # new results, with fresh marks
    new = fresh.state.outcome
    assert new is not reopened
    fresh._reopened(reopen_session())  # the saved results arriving late change nothing
    assert fresh.state.outcome is new


def test_reopening_computes_each_groups_reclaimable_bytes_as_the_review_does(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    state = window.state
    group = next(i for i, g in enumerate(state.groups) if len(g.files) == 4)
    window.results.select_group(group)
    state.toggle(group, next(f.path for f in state.groups[group].files
                             if f.path not in state.remove[group]))
    window.save_results()
    reopened = reopen_session()
    fresh = ReviewState()
    fresh.restore(reopened.session)  # computed on the UI thread, as before
    assert reopened.reclaim == fresh.reclaim == state.reclaim


def test_a_folder_protected_after_the_scan_stays_protected_and_gives_marks_back_after_a_restart(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Protection follows the folder list after a restart, not the scan's: a folder ticked
    after the scan still holds its files Keep (the cards offered Remove on them again), and
    clearing the tick then gives back the marks the tick took before the restart."""
    scan(qtbot, window, library / "b", library / "c")
    marks = [set(r) for r in window.state.remove]
    in_b = {p for m in marks for p in m if p.startswith(str(library / "b"))}
    tree = window.folders.tree
    row = next(i for i, f in enumerate(window.folders.folders()) if f.path == str(library / "b"))
    tree.topLevelItem(row).setCheckState(1, Qt.CheckState.Checked)
    assert in_b and not in_b & window.state.marked_paths()
    fresh = _restart(qtbot, window)
    assert in_b <= fresh.state.protected and not in_b & fresh.state.marked_paths()
    fresh.folders.tree.topLevelItem(row).setCheckState(1, Qt.CheckState.Unchecked)
    assert [set(r) for r in fresh.state.remove] == marks


def test_the_app_reopens_on_the_group_that_was_on_show(qtbot: QtBot, window: MainWindow,
                                                       library: Path) -> None:
    """A keyboard user's check on 3,000 groups: the app reopened on the first group, not on
    the one they had reached."""
    scan(qtbot, window, library)
    last = window.results.shown_groups()[-1]
    window.results.select_group(last)
    fresh = _restart(qtbot, window)
    qtbot.waitUntil(lambda: fresh.results.selected_group() == last)
    assert fresh.group_view.group == last
