"""Small windows (a first-user review, item 7): at 1000×700 and 1366×768, with the similar shots
open below, a group's cards showed no Keep/Remove button (cut off at the bottom), its fifth card
wrapped out of view with only a scrollbar hinting at it, and the series' shots showed no name
or button. Every card must now be wholly in view or announced, each row's buttons reachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dedup_gui.qt.review.out_of_view import out_of_view
from dedup_gui.qt.window.main_window import MainWindow
from tests.library import make_library
from tests.qt.conftest import scan
from tests.qt.window.test_layout import open_biggest_group
from tests.series_library import make_series_library


@pytest.fixture
def both(tmp_path: Path) -> Path:
    """A 4-file duplicate group and a 3-shot series: the dock of similar shots opens."""
    make_library(tmp_path / "lib" / "dupes")
    make_series_library(tmp_path / "lib" / "shots")
    return tmp_path / "lib"


def inside(widget: QWidget, viewport: QWidget) -> bool:
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def settle(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    view = window.group_view
    qtbot.waitUntil(lambda: window.size().toTuple() == size and view.fitted())
    qtbot.wait(300)  # the note follows the layout a moment later
    qtbot.waitUntil(lambda: view.out_of_view.isVisible() == bool(view.out_of_view.hidden_cards()))


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768)])
def test_each_cards_button_is_in_view_or_the_card_is_announced(
        qtbot: QtBot, window: MainWindow, both: Path, size: tuple[int, int]) -> None:
    scan(qtbot, window, both)
    assert window.series_dock.isVisible()
    open_biggest_group(qtbot, window)
    settle(qtbot, window, size)
    view = window.group_view
    viewport = view.scroll.viewport()
    assert len(view.cards) == 4
    assert inside(view.cards[0], viewport)  # a whole row fits the height, buttons and all
    hidden = out_of_view(view.cards, viewport)
    in_view = [card for card in view.cards if card not in hidden]
    assert all(inside(card.toggle, viewport) for card in in_view)
    if hidden:
        marked = sum(card.remove for card in hidden)
        note = view.out_of_view.text()
        assert note.startswith(f"{len(hidden)} of 4 files")
        assert ("marked Remove" in note) == bool(marked)
        view.out_of_view.show_next()  # its link: the card scrolls into view
        qtbot.waitUntil(lambda: inside(hidden[0], viewport))
    else:
        assert not view.out_of_view.isVisible()


def test_the_fifth_card_below_the_fold_is_announced_with_its_mark(
        qtbot: QtBot, window: MainWindow, both: Path) -> None:
    scan(qtbot, window, both)
    open_biggest_group(qtbot, window)
    settle(qtbot, window, (1000, 700))
    view = window.group_view
    hidden = view.out_of_view.hidden_cards()
    assert hidden and all(card.remove for card in hidden)  # the copies, proposed for Remove
    text = view.out_of_view.text()
    assert f"{len(hidden)} of 4 files are not wholly in view" in text and "marked Remove" in text
    # The dark theme chosen now recolours the note: it kept the light theme's dark red and
    # blue, hard to read on dark grey (a small-screen check).
    from dedup_gui.qt.common import appearance

    appearance.apply(appearance.DARK)
    try:
        dark_red = appearance.REMOVE[1]
        qtbot.waitUntil(lambda: dark_red in view.out_of_view.text())
        assert "color:#8ab4f8" in view.out_of_view.text()  # the dark palette's link colour
    finally:
        appearance.apply(appearance.LIGHT)


def test_a_row_scrolled_a_little_is_still_in_view(
        qtbot: QtBot, window: MainWindow, both: Path) -> None:
    """A few pixels of the first row's pictures scrolled off: its names and buttons are all on
    screen, so the note does not count them (it said "4 of 5 files are out of view")."""
    scan(qtbot, window, both)
    open_biggest_group(qtbot, window)
    settle(qtbot, window, (1000, 700))
    view = window.group_view
    bar = view.scroll.verticalScrollBar()
    assert bar.maximum() >= 10  # the fourth card wraps below the first row
    first = view.cards[0]
    bar.setValue(10)
    viewport = view.scroll.viewport()
    qtbot.waitUntil(lambda: first.mapTo(viewport, QPoint(0, 0)).y() < 0)
    assert inside(first.toggle, viewport)
    assert first not in out_of_view(view.cards, viewport)


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768)])
def test_series_shots_show_their_name_and_button_in_a_short_dock(
        qtbot: QtBot, window: MainWindow, both: Path, size: tuple[int, int]) -> None:
    scan(qtbot, window, both)
    window.resize(*size)
    series = window.series_view
    viewport = series.scroll.viewport()
    shots = [card for card in series.cards if not card.isHidden()]
    assert len(shots) == 3
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    qtbot.waitUntil(lambda: all(viewport.height() >= card.toggle.mapTo(viewport, QPoint(
        0, card.toggle.height())).y() > 0 and card.name.isVisible() for card in shots))
    for card in shots:
        bottom = card.toggle.mapTo(viewport, QPoint(0, card.toggle.height())).y()
        assert 0 < bottom <= viewport.height(), (card.side, card.compact, viewport.height())


def test_a_group_kept_whole_keeps_its_header_on_one_line(
        qtbot: QtBot, window: MainWindow, both: Path) -> None:
    """Report item 14: "kept by your choice (suggested: …)" wrapped the header to two lines
    and cut off the bottoms and buttons of the cards fitted to the height before."""
    scan(qtbot, window, both)
    pair = next(g for g, group in enumerate(window.state.groups) if len(group.files) == 2)
    window.results.select_group(pair)
    view = window.group_view
    qtbot.waitUntil(lambda: view.group == pair)
    settle(qtbot, window, (1000, 700))
    one_line = view.header.height()
    for file in window.state.marked_files(pair):
        assert window.state.toggle(pair, file.path) is None  # keep both files
    assert not window.state.marked_files(pair)
    assert "kept by your choice (suggested: " in view.header.full_text()
    qtbot.waitUntil(view.fitted)
    qtbot.wait(200)
    assert view.header.height() == one_line < 2 * view.header.fontMetrics().lineSpacing()
    assert view.header.text().endswith("…</i>")  # elided, the whole of it on hover
    assert "kept by your choice (suggested: " in view.header.toolTip()
    viewport = view.scroll.viewport()
    assert all(inside(card, viewport) for card in view.cards)
