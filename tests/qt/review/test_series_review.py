"""Similar-shot series in the app, on a real library scanned by the real engine process: a
burst (three frames, distinct EXIF capture times) and a duplicate pair. The burst is shown
apart from the duplicates and never counted or marked with them; "Keep the best of each
series" marks all but the best shot; the Trash moves only those (undoable); a restart keeps
the series and their marks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.engine.actions.removal import NONE_LEFT
from dedup_gui.qt.common import appearance
from dedup_gui.qt.review import series_marks
from dedup_gui.qt.review.shot_card import BEST_TEXT
from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import focus, scan, wait_idle
from tests.qt.review.test_session import _restart
from tests.series_library import BEST, BURST, PAIR, make_series_library, names


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return make_series_library(tmp_path / "lib")


def _frames(root: Path) -> set[str]:
    return {str(root / name) for name in BURST}


def test_a_burst_is_shown_apart_not_counted_and_not_marked(qtbot: QtBot, window: MainWindow,
                                                           shots: Path) -> None:
    scan(qtbot, window, shots)
    state = window.state
    assert [names(g.files, shots) for g in state.groups] == [list(PAIR)]  # the pair only
    assert [names(s.files, shots) for s in state.series] == [list(BURST)]
    assert window.results.proxy.rowCount() == 1
    assert window.summary.text().startswith("1 group · 2 files")  # shots are not counted
    assert state.series_remove == [set()] and not _frames(shots) & state.marked_paths()
    assert window.series_dock.isVisible() and "(1 series)" in window.series_dock.windowTitle()
    view = window.series_view
    assert view.list.count() == 1 and view.current_series() == 0
    cards = {c.path: c for c in view.cards if c.isVisible()}
    assert set(cards) == _frames(shots)
    assert all(c.toggle.text() == "Keep" for c in cards.values())
    starred = [p for p, c in cards.items() if BEST_TEXT in c.best.text()]
    assert starred == [str(shots / BEST)]
    assert "sharpest of 3" in cards[str(shots / BEST)].best.text()
    assert {c.source.text() for c in cards.values()} == {
        f"Canon EOS R6 · {Path(p).parent.name}" for p in cards}
    assert view.list.item(0).text() == "Series 1 · 3 shots in 0.7 s"  # one camera: not said
    assert not view.trash_button.isEnabled()  # nothing marked, nothing to move


def test_keep_the_best_marks_the_others_and_the_trash_moves_only_them(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    scan(qtbot, window, shots)
    state = window.state
    duplicate_marks = state.marked_paths()
    asked: list[str] = []
    window.flow.confirm_bulk = lambda question, _detail: asked.append(question) or True
    assert window.keep_best_action.isEnabled()
    window.keep_best_action.trigger()  # Mark ▸ Keep the best of each series
    others = _frames(shots) - {str(shots / BEST)}
    assert state.series_remove == [others]
    assert state.marked_paths() == duplicate_marks  # the duplicates' marks are untouched
    assert "2 shots marked Remove" in window.statusBar().currentMessage()
    qtbot.waitUntil(window.series_view.trash_button.isEnabled)  # once something is marked
    window.series_view.trash_button.click()
    wait_idle(qtbot, window)
    (question,) = asked  # one confirmation, Cancel its default (confirm_bulk)
    assert question.startswith("Move 2 files (")
    assert question.endswith(") from 1 similar-shot series to the Trash?")
    assert not any(Path(p).exists() for p in others)
    assert (shots / BEST).exists() and all((shots / p).exists() for p in PAIR)
    assert state.out_of_place == others
    assert window.summary.text().startswith("1 group · 2 files")  # the shots never counted
    texts = {c.path: c.toggle.text() for c in window.series_view.cards if c.isVisible()}
    assert texts == {**dict.fromkeys(others, "In the Trash"), str(shots / BEST): "Keep"}
    # the list row says so too ("6 shots" with five in the Trash: a real-window check)
    assert window.series_view.list.item(0).text() == "Series 1 · 3 shots in 0.7 s · 2 away"
    window.undo()
    wait_idle(qtbot, window)
    assert all(Path(p).exists() for p in others) and not state.out_of_place


def test_keep_the_best_is_one_undo_step(qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """A first-user check: after "Keep the best of each series", Edit ▸ Undo was greyed out;
    README says a Mark helper is undone with Ctrl+Z."""
    scan(qtbot, window, shots)
    state = window.state
    window.keep_best_action.trigger()
    others = _frames(shots) - {str(shots / BEST)}
    assert state.series_remove == [others]
    assert window.actions.undo.isEnabled()
    assert window.actions.undo.text() == "&Undo Keep the best of each series (1 series)"
    window.undo()
    assert state.series_remove == [set()]
    assert "Marks put back in 1 series" in window.statusBar().currentMessage()
    texts = {c.path: c.toggle.text() for c in window.series_view.cards if c.isVisible()}
    assert set(texts.values()) == {"Keep"}
    window.flow.redo()
    assert state.series_remove == [others]


def _upscaled_copy(shots: Path) -> Path:
    """A 2x upscale of the first burst frame beside it: a duplicate of that shot."""
    upscale = shots / "burst/IMG_0001_upscaled.jpg"
    with Image.open(shots / BURST[0]) as image:
        image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC).save(
            upscale, quality=95)
    return upscale


def _keep_best_and_mark_the_first(window: MainWindow, shots: Path) -> None:
    """Keep the best of each series, then mark by hand the first frame, which it leaves: its
    duplicate group holds another version of it (the upscale)."""
    window.keep_best_action.trigger()
    first = str(shots / BURST[0])
    assert first not in window.state.series_remove[0]
    assert series_marks.set_marked(window.state, 0, first, True) is None


def test_a_series_that_moves_a_groups_original_leaves_the_group_its_last_copy(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """A burst frame with an upscaled copy is a duplicate group's original and a series'
    shot. "Keep the best of each series" moves it with the other frame that is not the best;
    the group's copy, marked Remove, is then that photo's last file: its mark comes off and
    the status line says so, and a plan given the mark anyway leaves it, saying why (a
    first-user review saw both copies go to the Trash, unwarned)."""
    first, upscale = shots / BURST[0], _upscaled_copy(shots)
    scan(qtbot, window, shots)
    state = window.state
    group = next(i for i, g in enumerate(state.groups) if str(upscale) in {f.path for f in g.files})
    assert state.keeper(group).path == str(first) and state.remove[group] == {str(upscale)}
    details: list[str] = []
    window.flow.confirm_bulk = lambda _question, detail: details.append(detail) or True
    _keep_best_and_mark_the_first(window, shots)
    assert str(first) in state.series_remove[0]
    qtbot.waitUntil(window.series_view.trash_button.isEnabled)
    window.series_view.trash_button.click()
    wait_idle(qtbot, window)
    assert not first.exists() and upscale.exists()
    assert "1 of these shots is the file its duplicate group keeps" in details[-1]
    assert state.remove[group] == set()
    assert "Now kept: IMG_0001_upscaled.jpg" in window.statusBar().currentMessage()
    state.remove[group] = {str(upscale)}  # bypass the review: the engine's plan refuses too
    window.results.select_group(group)
    window.flow.confirm = lambda _question, _detail: True
    focus(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert upscale.exists()
    dialog = window.flow.last_dialog
    assert dialog is not None and dialog.rows == [(str(upscale), NONE_LEFT)]
    # said of the photo, not of "the files of this group" (a photographer's check)
    assert "it is the last copy of this photo in place, so it stays" in NONE_LEFT


def test_a_series_move_after_the_copies_went_says_the_shot_stays(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """The duplicates first, then the series: the frame's copy is in the Trash already, so the
    frame stays (its photo's last file) and the confirmation says so, not "the copies there
    are kept instead" (a real-window check)."""
    first, upscale = shots / BURST[0], _upscaled_copy(shots)
    scan(qtbot, window, shots)
    state = window.state
    group = next(i for i, g in enumerate(state.groups) if str(upscale) in {f.path for f in g.files})
    window.flow.trash_group(group)
    wait_idle(qtbot, window)
    assert not upscale.exists()
    details: list[str] = []
    window.flow.confirm_bulk = lambda _question, detail: details.append(detail) or True
    window.keep_best_action.trigger()  # the copy is gone: the frame is marked
    qtbot.waitUntil(window.series_view.trash_button.isEnabled)
    window.series_view.trash_button.click()
    wait_idle(qtbot, window)
    assert "1 of these shots stays: the photo's last file in place" in details[-1]
    assert "kept instead" not in details[-1]
    assert first.exists()


def test_undo_of_the_series_move_gives_the_copy_its_mark_back(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """The same move, undone: the frame is back, so its upscaled copy is marked Remove again
    (it stayed on Keep, the group freed nothing and read "kept by your choice", though nobody
    chose: a real-window check); while the frame is away the header says why the copy is
    kept."""
    first, upscale = shots / BURST[0], _upscaled_copy(shots)
    scan(qtbot, window, shots)
    state = window.state
    group = next(i for i, g in enumerate(state.groups) if str(upscale) in {f.path for f in g.files})
    _keep_best_and_mark_the_first(window, shots)
    qtbot.waitUntil(window.series_view.trash_button.isEnabled)
    window.series_view.trash_button.click()
    wait_idle(qtbot, window)
    assert not first.exists() and state.remove[group] == set()
    window.results.select_group(group)
    header = window.group_view.header.full_text()
    assert "kept because the suggested file is no longer in place" in header
    assert "your choice" not in header
    window.undo()
    wait_idle(qtbot, window)
    assert first.exists() and state.remove[group] == {str(upscale)}
    assert state.reclaim[group] > 0
    window.results.select_group(group)
    header = window.group_view.header.full_text()
    assert "no longer in place" not in header and "your choice" not in header


def test_undo_after_a_restart_gives_the_copy_its_mark_back_too(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """The marks a move took off are saved with the session: Undo from the journal after a
    restart gives them back as Undo before it does."""
    upscale = _upscaled_copy(shots)
    scan(qtbot, window, shots)
    group = next(i for i, g in enumerate(window.state.groups)
                 if str(upscale) in {f.path for f in g.files})
    _keep_best_and_mark_the_first(window, shots)
    qtbot.waitUntil(window.series_view.trash_button.isEnabled)
    window.series_view.trash_button.click()
    wait_idle(qtbot, window)
    assert window.state.remove[group] == set()
    fresh = _restart(qtbot, window)
    assert fresh.state.released_in(group) == {str(upscale)}
    qtbot.waitUntil(fresh.actions.undo.isEnabled)  # the journal's batch, known after a look
    fresh.undo()
    wait_idle(qtbot, fresh)
    assert fresh.state.remove[group] == {str(upscale)}


def test_a_new_keeper_proposal_keeps_the_marks_of_the_shots_it_did_not_change(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """A keeper rule that makes an upscale stand for its burst frame changes that one shot
    of the series; the other shot marked Remove stays marked (all the series' marks went)."""
    first, upscale = shots / BURST[0], _upscaled_copy(shots)
    scan(qtbot, window, shots)
    _keep_best_and_mark_the_first(window, shots)
    third = str(shots / BURST[2])
    assert {str(first), third} <= window.state.series_remove[0]
    window.settings.keep_rules = [{"kind": "path contains", "formats": [], "text": "upscaled"},
                                  *window.settings.keep_rules]
    window.scanning.repropose()
    wait_idle(qtbot, window)
    (series,) = window.state.series
    assert str(upscale) in {f.path for f in series.files}  # the upscale stands for IMG_0001
    assert window.state.series_remove == [{third}]


def test_a_shots_button_shows_its_mark_as_the_group_view_does(qtbot: QtBot, window: MainWindow,
                                                               shots: Path) -> None:
    """Keep in the keep colour with the keep icon, Remove in the remove colour with the trash
    icon: plain text "Keep" read as a command, and clicking it marked the shot Remove."""
    scan(qtbot, window, shots)
    window.keep_best_action.trigger()
    cards = {c.path: c for c in window.series_view.cards if c.isVisible()}
    best, other = cards[str(shots / BEST)], cards[str(shots / BURST[0])]
    assert (best.toggle.text(), other.toggle.text()) == ("Keep", "Remove")
    for card, pair in ((best, appearance.KEEP), (other, appearance.REMOVE)):
        shown = card.toggle.palette().color(QPalette.ColorRole.ButtonText).name()
        assert shown == appearance.tone(card.palette(), pair).name()
        assert not card.toggle.icon().isNull()
    assert "click to mark it Remove" in best.toggle.toolTip()
    # on the dark theme a marked shot is tinted dark, not a fixed pale pink (a real-window
    # check: pale pink cards with white buttons on dark)
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(appearance.dark_palette())
    try:
        qtbot.waitUntil(lambda: other.palette().color(QPalette.ColorRole.Window).lightness()
                        < 128)
        corner = other.grab().toImage().pixelColor(3, 3)
        assert corner.lightness() < 100, corner.name()
        assert other.toggle.palette().color(QPalette.ColorRole.ButtonText).name() == \
            appearance.tone(other.palette(), appearance.REMOVE).name()
    finally:
        app.setPalette(before)


def test_a_series_never_loses_its_last_shot(qtbot: QtBot, window: MainWindow,
                                            shots: Path) -> None:
    scan(qtbot, window, shots)
    view = window.series_view
    for path in sorted(_frames(shots)):
        view.toggle(path)
    assert len(window.state.series_remove[0]) == 2
    assert window.statusBar().currentMessage() == series_marks.LAST_SHOT


def test_the_series_and_their_marks_survive_a_restart(qtbot: QtBot, window: MainWindow,
                                                      shots: Path) -> None:
    scan(qtbot, window, shots)
    window.keep_best_action.trigger()
    series, marks = window.state.series, window.state.series_remove
    gone = sorted(marks[0])[0]
    fresh = _restart(qtbot, window)
    assert fresh.state.series == series and fresh.state.series_remove == marks
    assert fresh.series_view.list.count() == 1
    os.remove(gone)  # deleted elsewhere: on the next start it leaves the review
    again = _restart(qtbot, fresh)
    qtbot.waitUntil(lambda: again.state.gone == {gone})
    assert again.state.series_remove == [marks[0] - {gone}]
    again.flow.trash_series()
    wait_idle(qtbot, again)
    assert not any(Path(p).exists() for p in marks[0])
    assert (Path(series[0].best)).exists()


def test_new_keeper_rules_leave_the_closed_dock_closed(qtbot: QtBot, window: MainWindow,
                                                       shots: Path) -> None:
    scan(qtbot, window, shots)
    window.keep_best_action.trigger()
    window.series_dock.close()  # the person put it away
    window.scanning.repropose()  # Preferences: new keeper rules mark the same results again
    wait_idle(qtbot, window)
    assert not window.series_dock.isVisible()
    assert window.state.series_remove[0]  # the series marks are the person's: they stay
    scan(qtbot, window)  # new results with series: it opens again
    assert window.series_dock.isVisible()


def test_a_shot_moves_with_its_sidecar_and_comes_back_with_it(qtbot: QtBot, window: MainWindow,
                                                              shots: Path) -> None:
    """Companions travel with their photo (capture units), as in the duplicate groups."""
    sidecar = shots / "burst/IMG_0001.xmp"
    sidecar.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", encoding="utf-8")
    scan(qtbot, window, shots)
    window.keep_best_action.trigger()
    window.flow.trash_series()
    wait_idle(qtbot, window)
    assert not sidecar.exists() and not (shots / BURST[0]).exists()
    window.undo()
    wait_idle(qtbot, window)
    assert sidecar.exists() and (shots / BURST[0]).exists()


def test_on_a_small_screen_the_series_dock_leaves_the_review_room(
        qtbot: QtBot, window: MainWindow, shots: Path) -> None:
    """A window made smaller after the dock opened (1920×1080 → 1024×700) left the duplicate
    review a strip: Qt shrank both in proportion."""
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    scan(qtbot, window, shots)
    qtbot.waitUntil(lambda: window.series_dock.isVisible())
    qtbot.wait(50)
    window.resizeDocks([window.series_dock], [320], Qt.Orientation.Vertical)  # as dragged
    qtbot.wait(50)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.height() == 700)
    qtbot.wait(50)
    assert window.series_dock.height() <= 250
    assert window.group_view.height() >= 300


def test_a_series_shot_by_several_cameras_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    """A family check: three phones' shots of one moment formed "Series 2 · 3 shots in 3.4 s",
    read as one person's burst; the cards showed no camera or folder."""
    from dedup_gui.engine.types import Capture, GroupFile, Pair, ScanResult, ScanStats, Series
    from dedup_gui.qt.common.thumbnails import ThumbnailLoader
    from dedup_gui.qt.review.review_state import ReviewState
    from dedup_gui.qt.review.series_view import SeriesView
    from dedup_gui.tasks.scan import ScanOutcome

    def shot(folder: str, seconds: float, make: str, model: str) -> GroupFile:
        capture = Capture(int(seconds * 1e9), False, make, model)
        return GroupFile(f"/lib/{folder}/IMG_{seconds:.0f}.jpg", 100, 0, 40, 30, "JPEG",
                         capture=capture)

    files = (shot("Dad", 0.0, "samsung", "SM-S911B"), shot("Kid", 1.5, "Google", "Pixel 7"),
             shot("Mom", 3.4, "Apple", "iPhone 13"))
    long = "/lib/Mom/IMG_20240309_132045_BURST001_COVER.jpg"  # cut in the middle, not its end
    files = (*files[:2], GroupFile(long, 100, 0, 40, 30, "JPEG", capture=files[2].capture))
    series = Series(files, (Pair(files[0].path, files[1].path, "similar shot", 2, "similar"),),
                    files[0].path, "sharpest of 3")
    state = ReviewState()
    state.load(ScanOutcome(ScanResult((), (), ScanStats(), series=(series,)), [], []))
    view = SeriesView(state, ThumbnailLoader(64), lambda: ())
    qtbot.addWidget(view)
    view.reload()
    assert view.list.item(0).text() == "Series 1 · 3 shots in 3.4 s · 3 cameras"
    assert view.list.item(0).toolTip() == view.list.item(0).text()  # the list is narrow
    cards = [c for c in view.cards if not c.isHidden()]
    assert [c.source.text() for c in cards] == ["samsung SM-S911B · Dad", "Google Pixel 7 · Kid",
                                                "Apple iPhone 13 · Mom"]
    name = cards[2].name.text()
    assert "…" in name and name.endswith("COVER.jpg") and name.startswith("IMG_2024")

