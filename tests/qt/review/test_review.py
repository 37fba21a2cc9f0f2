"""Reviewing groups: the rule chain's pre-marks, keep/remove toggles and their refusals, and the
whole review driven from the keyboard (groups, files, toggle, compare)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.review.card_labels import card_facts
from dedup_gui.qt.review.review_state import LAST_FILE, PROTECTED
from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import focus, scan


def _group_with(window: MainWindow, name: str) -> int:
    return next(i for i, g in enumerate(window.state.groups)
                if any(f.path.endswith(name) for f in g.files))


def _marked(window: MainWindow, group: int, root: Path) -> set[str]:
    return {str(Path(p).relative_to(root)) for p in window.state.remove[group]}


def test_rule_chain_pre_marks_every_group(qtbot: QtBot, window: MainWindow,
                                          library: Path) -> None:
    scan(qtbot, window, library)
    ones, twos = _group_with(window, "one.png"), _group_with(window, "two.jpg")
    # highest resolution ties (800×600 three times), then the largest file wins: the PNG
    assert _marked(window, ones, library) == {"a/one.jpg", "b/one_copy.jpg", "b/one_small.jpg"}
    assert _marked(window, twos, library) == {"c/two_q60.jpg"}
    assert window.state.outcome.reasons[ones] == "largest file"
    window.results.select_group(ones)
    cards = window.group_view.cards
    assert Path(cards[0].path).name == "one.png"  # the keeper comes first
    assert [c.toggle.text() for c in cards] == ["Keep", "Remove", "Remove", "Remove"]


def test_protected_folder_is_always_kept(qtbot: QtBot, window: MainWindow,
                                        library: Path) -> None:
    """A protected file is kept and cannot be marked; the chain's keeper outside the folder
    (the lossless PNG) is kept beside it, while an exact copy of the protected file is still
    proposed. The PNG was proposed for the Trash: protection made the JPEG the only keeper."""
    scan(qtbot, window, library / "b", library / "c", protected=(library / "a",))
    ones = _group_with(window, "one.png")
    assert _marked(window, ones, library) == {"b/one_copy.jpg", "b/one_small.jpg"}
    window.results.select_group(ones)
    header = window.group_view.header.full_text()  # the short note before the long reason
    assert "also kept: 1 file in a protected folder · kept" in header
    assert "your choice" not in header
    facts = card_facts(window.state, ones, window.state.groups[ones].files, lambda _f: None)[0]
    assert [f.name for f in facts if f.match.startswith("the keeper")] == ["one.png"]
    origin = {f.name: f.origin for f in facts}  # read against the keeper, not as one
    assert origin["one.png"] == "original" and origin["one.jpg"] not in ("", "original"), origin
    assert window.group_view.cards[0].path.endswith("one.png")  # the rules' choice first
    assert window.state.keeper(ones).path.endswith("one.png")  # and the list's thumbnail
    protected = str(library / "a" / "one.jpg")
    assert window.state.set_marked(ones, protected, True) == PROTECTED
    window.results.select_group(ones)
    card = next(c for c in window.group_view.cards if c.path == protected)
    assert not card.toggle.isEnabled() and "protected" in card.toggle.text()


def test_ticking_protected_after_a_scan_takes_the_marks_off_at_once(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Files in a protected folder are always kept: ticking Protected once the review is on
    shows it now (the cards said Remove and the status line counted them until Delete);
    clearing the tick gives the marks back (they were lost for good)."""
    scan(qtbot, window, library / "b", library / "c")
    ones = _group_with(window, "one.png")
    marked_b = {p for p in window.state.remove[ones] if p.startswith(str(library / "b"))}
    assert marked_b
    before = window.state.marked_totals()
    window.results.select_group(ones)
    row = next(i for i, f in enumerate(window.folders.folders()) if f.path == str(library / "b"))
    window.folders.tree.topLevelItem(row).setCheckState(1, Qt.CheckState.Checked)
    assert not window.state.remove[ones] & marked_b
    assert window.state.marked_totals()[0] == before[0] - len(marked_b)
    cards = {c.path: c for c in window.group_view.cards}
    assert all("protected" in cards[p].toggle.text() for p in marked_b)
    assert "no longer marked Remove" in window.statusBar().currentMessage()
    header = window.group_view.header.full_text()  # kept beside the suggestion, not instead
    assert "also kept: 2 files in a protected folder" in header and "your choice" not in header
    facts = card_facts(window.state, ones, window.state.groups[ones].files, lambda _f: None)[0]
    assert [f.match.startswith("the keeper") for f in facts] == \
        [f.path not in marked_b for f in facts]  # one keeper, the rule's
    window.folders.tree.topLevelItem(row).setCheckState(1, Qt.CheckState.Unchecked)
    assert window.state.remove[ones] >= marked_b  # unticked: the marks the tick took are back
    assert window.state.marked_totals() == before
    cards = {c.path: c for c in window.group_view.cards}
    assert all(cards[p].toggle.text() == "Remove" and cards[p].toggle.isEnabled()
               for p in marked_b)
    assert "marked Remove again" in window.statusBar().currentMessage()


def test_tab_leaves_the_group_list_and_keeps_the_group(qtbot: QtBot, window: MainWindow,
                                                        library: Path) -> None:
    scan(qtbot, window, library)
    view, group = window.results.view, window.group_view.group
    focus(qtbot, window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    for _ in range(6):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        if not view.hasFocus():
            break
    assert not view.hasFocus() and window.group_view.group == group


def test_toggle_and_refuse_to_empty_a_group(qtbot: QtBot, window: MainWindow,
                                            library: Path) -> None:
    scan(qtbot, window, library)
    twos = _group_with(window, "two.jpg")
    keeper, other = str(library / "a/two.jpg"), str(library / "c/two_q60.jpg")
    window.results.select_group(twos)
    keeper_card = next(c for c in window.group_view.cards if c.path == keeper)
    qtbot.mouseClick(keeper_card.toggle, Qt.MouseButton.LeftButton)  # the last kept file
    assert not window.state.is_marked(twos, keeper)
    assert window.statusBar().currentMessage() == LAST_FILE
    other_card = next(c for c in window.group_view.cards if c.path == other)
    qtbot.mouseClick(other_card.toggle, Qt.MouseButton.LeftButton)  # now keep both
    assert not window.state.is_marked(twos, other)
    assert window.statusBar().currentMessage() == ""  # the refusal is stale now
    qtbot.mouseClick(keeper_card.toggle, Qt.MouseButton.LeftButton)  # so this may go
    assert window.state.is_marked(twos, keeper)
    assert window.results.proxy.index(window.results.proxy.row_of_group(twos), 3).data() != "—"


def test_keyboard_review(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    focus(qtbot, window)
    results, view = window.results, window.group_view
    assert results.view.currentIndex().row() == 0
    for key, row in ((Qt.Key.Key_Down, 1), (Qt.Key.Key_K, 0), (Qt.Key.Key_J, 1),
                     (Qt.Key.Key_Up, 0), (Qt.Key.Key_Up, 0)):
        qtbot.keyClick(window, key)
        assert results.view.currentIndex().row() == row
    results.view.setFocus()
    qtbot.keyClick(results.view, Qt.Key.Key_End)  # the last group, as in a list
    assert results.view.currentIndex().row() == results.proxy.rowCount() - 1 > 0
    qtbot.keyClick(results.view, Qt.Key.Key_Home)
    assert results.view.currentIndex().row() == 0
    assert view.group == results.proxy.group_at(0)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert view.current == 2 and view.cards[2].current and not view.cards[0].current
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert view.current == 1
    path = view.current_path()
    was = window.state.is_marked(view.group, path)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.state.is_marked(view.group, path) is not was
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.state.is_marked(view.group, path) is was

    qtbot.keyClick(window, Qt.Key.Key_Return)
    dialog = window.compare_dialog
    assert isinstance(dialog, CompareDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert {f.path for f in dialog.files} == {path, window.state.keeper(view.group).path}
    zoom = dialog.zoom
    qtbot.keyClick(dialog, Qt.Key.Key_Plus)
    assert dialog.zoom > zoom
    assert all(v.transform().m11() == dialog.zoom for v in dialog.views)  # linked zoom
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.compare_dialog is None)
    QApplication.processEvents()


def test_typing_in_the_filter_box_is_not_a_shortcut(qtbot: QtBot, window: MainWindow,
                                                    library: Path) -> None:
    scan(qtbot, window, library)
    focus(qtbot, window)
    window.results.search.setFocus()
    qtbot.keyClicks(window.results.search, "two jk")
    assert window.results.search.text() == "two jk"
    assert window.results.proxy.rowCount() == 0
    window.results.search.clear()
    assert window.results.proxy.rowCount() == 2


def test_compare_view_links_pan(qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    window.results.select_group(_group_with(window, "one.png"))
    window.open_compare()
    dialog = window.compare_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: all(not v.item.pixmap().isNull() for v in dialog.views))
    dialog.set_zoom(4.0)
    left, right = dialog.views
    left.horizontalScrollBar().setValue(left.horizontalScrollBar().maximum() // 2)
    left.verticalScrollBar().setValue(37)
    assert right.horizontalScrollBar().value() == left.horizontalScrollBar().value()
    assert right.verticalScrollBar().value() == 37
    dialog.reject()



def test_a_burst_bigger_than_a_page_is_reviewed_page_by_page(qtbot: QtBot, window: MainWindow,
                                                            tmp_path: Path, monkeypatch) -> None:
    """A 60-file group shows PAGE cards at a time; moving past a page's end turns the page and
    toggling there marks the right file (a group never loses its last kept file either way)."""
    import shutil

    from PIL import Image

    from dedup_gui.qt.review.group_view import PAGE

    burst = tmp_path / "burst"
    burst.mkdir()
    Image.effect_mandelbrot((160, 120), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(
        burst / "shot000.jpg")
    for index in range(1, PAGE + 12):  # a phone's burst saved again and again
        shutil.copyfile(burst / "shot000.jpg", burst / f"shot{index:03d}.jpg")
    scan(qtbot, window, burst)
    assert [len(g.files) for g in window.state.groups] == [PAGE + 12]
    assert window.state.dates_read()  # the default rules read dates in the engine process ...

    def read_again(path: str) -> None:  # ... so the UI thread never reads them again
        raise AssertionError(f"date read on the UI thread: {path}")

    monkeypatch.setattr("dedup_gui.tasks.scan.read_date_taken", read_again)
    window.results.select_group(0)
    view = window.group_view
    assert len(view.cards) == PAGE and f"showing 1–{PAGE}" in view.header.full_text()
    first_page = [c.path for c in view.cards]
    view.move(PAGE - 1)
    assert view.current_path() == first_page[-1] and view.offset == 0
    view.move(1)  # past the end: the next page, its first card current
    assert view.offset == PAGE and len(view.cards) == 12
    assert view.current_path() == view.cards[0].path not in first_page
    assert f"showing {PAGE + 1}–{PAGE + 12}" in view.header.full_text()
    path = view.current_path()
    was_marked = window.state.is_marked(0, path)
    view.toggle_current()
    assert window.state.is_marked(0, path) is not was_marked
    assert view.cards[0].toggle.text() == ("Remove" if not was_marked else "Keep")
    view.move(-1)  # back across the boundary
    assert view.offset == 0 and view.current_path() == first_page[-1]


def test_a_page_of_cards_is_built_while_the_app_is_idle(qtbot: QtBot, window: MainWindow) -> None:
    """The first big group then opens as fast as later ones (no 24 widgets built at once)."""
    from dedup_gui.qt.review.group_view import PAGE

    view = window.group_view
    qtbot.waitUntil(lambda: len(view._pool) == PAGE, timeout=5000)
    assert view.cards == [] and not any(card.isVisible() for card in view._pool)


def test_a_persons_own_edit_is_kept_after_the_original_not_in_its_place(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Takeout: IMG_1-edited.jpg sorts before IMG_1.jpg by path, so with both kept the edit
    stood for the group (its thumbnail, Compare's left side) and came first (a real-window
    screenshot). The rules' choice comes first, the edit kept beside it after."""
    from tests.images import photo, save

    folder = tmp_path / "Takeout/Google Photos/Photos from 2019"
    picture = photo(31, (800, 600))
    save(picture, folder / "IMG_1.jpg", quality=92)
    save(picture.resize((640, 480)), folder / "IMG_1-edited.jpg", quality=92)
    scan(qtbot, window, tmp_path / "Takeout")
    state = window.state
    (group,) = state.active_groups()
    assert not state.remove[group]  # both kept
    order = [Path(f.path).name for f in state.shown_order(group)]
    assert order == ["IMG_1.jpg", "IMG_1-edited.jpg"]
    assert Path(state.keeper(group).path).name == "IMG_1.jpg"
