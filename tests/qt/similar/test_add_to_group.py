"""Find similar fixes a miss: a match joins the group of the photo searched for (or a new group
of the two), marked, through the review state: the Trash, Undo and the saved session see it.
A name that appears twice shows its folder. The search itself is the engine's (test_similar.py);
here the dialog is shown a search's outcome directly."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.similar.dialog import SimilarDialog
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.tasks.similar import SimilarOutcome, SimilarPhoto, file_facts
from tests.images import photo, save
from tests.qt.conftest import scan, wait_idle
from tests.raws import write_dng


def _group_of(window: MainWindow, path: str) -> int:
    return next(i for i, g in enumerate(window.state.groups)
                if path in {f.path for f in g.files})


def _show(window: MainWindow, query: Path, *found: tuple[Path, float]) -> SimilarDialog:
    dialog = window.similar.open()
    matches = [SimilarPhoto(file_facts(str(p)), distance, rank)
               for rank, (p, distance) in enumerate(found, start=1)]
    dialog.show_outcome(SimilarOutcome(file_facts(str(query)), matches))
    return dialog


def test_a_missed_copy_joins_the_group_marked_and_goes_to_the_trash(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    missed = save(photo(2, (640, 480)).crop((120, 90, 560, 420)), library / "d/two.jpg")
    scan(qtbot, window, library)
    query = library / "a/two.jpg"
    assert all(str(missed) not in {f.path for f in g.files} for g in window.state.groups)
    dialog = _show(window, query, (missed, 0.12), (library / "other/photo3.jpg", 0.6))
    assert dialog.grid.item(0).text().startswith(str(missed))  # two.jpg twice: with folder
    assert dialog.grid.item(1).text().startswith("photo3.jpg\n")
    dialog.grid.setCurrentRow(0)
    dialog.add_button.menu().actions()[0].trigger()  # "Add, marked Remove"

    state, group = window.state, _group_of(window, str(query))
    assert str(missed) in {f.path for f in state.groups[group].files}
    assert state.is_marked(group, str(missed))
    assert dialog.where.text() == f"{missed.name} added to the group of two.jpg, marked " \
        "Remove: the window shows it."  # no group number: the list shows none
    assert window.group_view.group == group
    assert str(missed) in [c.path for c in window.group_view.cards]
    assert state.reclaimable(group) >= os.path.getsize(missed)
    saved = state.snapshot()
    assert str(missed) in {f.path for f in saved.outcome.result.groups[group].files}
    again = ReviewState()
    again.restore(saved)
    assert again.is_marked(group, str(missed))

    dialog.add_current(True)  # twice: refused, nothing changes
    assert dialog.where.text() == "That photo is already in this group."
    dialog.hide()
    window.similar.open()  # opened again: the note on the add is old news
    assert dialog.where.text() == "2 photos most like two.jpg, best first."
    window.flow.confirm = lambda _question, _detail: True
    window.actions.trash.trigger()  # Delete: this group's marks
    wait_idle(qtbot, window)
    assert not missed.exists() and str(missed) in state.trashed


def test_a_photo_already_in_another_group_is_not_added_to_a_second(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """The keeper of one group, added marked Remove to another, was in two groups with opposite
    marks: moving both groups' marks left the photo only because the plan checked last."""
    scan(qtbot, window, library)
    state = window.state
    query, found = library / "a/two.jpg", library / "c/one.png"  # one.png keeps its group
    ones, files = _group_of(window, str(found)), sum(len(g.files) for g in state.groups)
    assert not state.is_marked(ones, str(found))
    dialog = _show(window, query, (found, 0.4))
    dialog.add_current(True)
    assert dialog.where.text() == "That photo is already in another group: review it there."
    assert sum(len(g.files) for g in state.groups) == files
    assert [_group_of(window, str(found))] == [i for i, g in enumerate(state.groups)
                                               if str(found) in {f.path for f in g.files}]


def test_every_tile_has_room_for_its_label_whatever_the_pictures_shape(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """The grid sizes its tiles by the first; a tall picture after a wide one pushed its name
    and likeness out of the tile. Every icon is now one square."""
    from dedup_gui.qt.similar.matches import ICON_SIDE

    tall = save(photo(7, (300, 900)), library / "d/tall.jpg")
    dialog = _show(window, library / "a/two.jpg", (library / "c/two_q60.jpg", 0.1), (tall, 0.5))
    grid = dialog.grid
    qtbot.waitUntil(lambda: all(window.similar.pictures.get(str(p), os.stat(p).st_mtime_ns)
                                for p in (library / "c/two_q60.jpg", tall)), timeout=10_000)
    qtbot.waitUntil(lambda: all(grid.item(i).icon().availableSizes() == [
        grid.iconSize()] for i in range(grid.count())), timeout=5_000)
    assert grid.iconSize().width() == ICON_SIDE


def test_a_match_of_a_photo_in_no_group_forms_a_new_group(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    groups, rows = len(window.state.groups), window.results.proxy.rowCount()
    query, match = library / "other/photo3.jpg", library / "other/photo4.jpg"
    dialog = _show(window, query, (match, 0.3))
    dialog.add_current(False)  # marked Keep
    state = window.state
    assert len(state.groups) == groups + 1 and window.results.proxy.rowCount() == rows + 1
    new = state.groups[-1]
    assert {f.path for f in new.files} == {str(query), str(match)}
    assert "added by you" in new.pairs[0].reason
    assert not state.marked_files(groups)


def test_a_match_added_and_trashed_takes_its_raw_and_sidecar_along(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """A match with a RAW and an XMP beside it (one shot's files) is added marked Remove and
    moved: all three go, never the JPEG alone (it was given no companions: its RAW and sidecar
    stayed, separated from it)."""
    missed = save(photo(2, (640, 480)).crop((100, 80, 560, 420)), library / "d/IMG_0002.jpg")
    raw = library / "d/IMG_0002.dng"
    write_dng(raw, photo(2, (640, 480)).crop((100, 80, 560, 420)))
    sidecar = library / "d/IMG_0002.xmp"
    sidecar.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    scan(qtbot, window, library)
    assert all(str(missed) not in {f.path for f in g.files} for g in window.state.groups)
    found = file_facts(str(missed))
    assert set(found.companions) == {str(raw), str(sidecar)}
    dialog = _show(window, library / "a/two.jpg", (missed, 0.12))
    dialog.grid.setCurrentRow(0)
    dialog.add_button.menu().actions()[0].trigger()  # "Add, marked Remove"
    window.flow.confirm = lambda _question, _detail: True
    window.actions.trash.trigger()
    wait_idle(qtbot, window)
    assert not missed.exists() and not raw.exists() and not sidecar.exists()
