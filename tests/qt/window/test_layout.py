"""The review's layout (issue 17): cards side by side on a small screen, a picture size that is
remembered, panes that collapse and come back, splits and geometry that survive a restart, dark
cards in a dark palette, sort arrows as in file managers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.qt.common import appearance
from dedup_gui.qt.review.card_sizes import PICTURE_SIDE
from dedup_gui.qt.review.group_model import FILES, SPACE, TIER
from dedup_gui.qt.window import first_size
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.qt.window.panes import FOLDERS, GROUPS
from dedup_gui.settings import Settings, load_settings
from tests.qt.conftest import focus, scan


def open_biggest_group(qtbot: QtBot, window: MainWindow) -> None:
    biggest = max(range(len(window.state.groups)),
                  key=lambda g: len(window.state.groups[g].files))
    window.results.select_group(biggest)
    qtbot.waitUntil(lambda: window.group_view.group == biggest)


def test_two_cards_side_by_side_at_1024x700(qtbot: QtBot, window: MainWindow,
                                            library: Path) -> None:
    window.resize(1024, 700)
    scan(qtbot, window, library)
    open_biggest_group(qtbot, window)
    cards = window.group_view.cards
    qtbot.waitUntil(lambda: cards[1].geometry().top() == cards[0].geometry().top())
    viewport = window.group_view.scroll.viewport()
    assert cards[1].geometry().right() <= viewport.width()  # wholly in view, not scrolled to
    # The folder box no longer takes a fixed 150+ px for one folder.
    assert window.folders.height() < 130


def test_the_group_list_gets_its_width_back_when_the_window_grows_again(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    """Narrowed to 800 px, the left column gives the review room for two cards; widened
    again, it takes that width back before the review grows (it stayed narrow, its columns
    cut off); a width the person drags stays theirs."""
    window.resize(1400, 800)
    scan(qtbot, window, library)
    open_biggest_group(qtbot, window)
    qtbot.wait(50)
    panes = window.view_controls.panes
    wide_left = panes.main.sizes()[0]
    window.resize(800, 600)
    qtbot.waitUntil(lambda: panes.main.sizes()[0] < wide_left)
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: panes.main.sizes()[0] == wide_left)
    assert panes.lent == 0
    window.resize(800, 600)
    qtbot.waitUntil(lambda: panes.lent > 0)
    panes.set_shown(FOLDERS, False)
    panes.set_shown(GROUPS, False)  # the column collapses: nothing is owed to it any more
    assert panes.main.sizes()[0] == 0 and panes.lent == 0
    panes.set_shown(GROUPS, True)
    panes.set_shown(FOLDERS, True)
    reopened = panes.main.sizes()[0]
    window.resize(1400, 800)
    qtbot.wait(50)
    assert panes.main.sizes()[0] == reopened  # nothing given back on top of its own width
    window.resize(800, 600)
    qtbot.waitUntil(lambda: panes.lent > 0)
    panes.main.splitterMoved.emit(300, 1)  # as a drag of the handle does
    window.resize(1400, 800)
    qtbot.wait(50)
    assert panes.lent == 0 and panes.main.sizes()[0] < wide_left


def wait_side(qtbot: QtBot, window: MainWindow, side: int) -> None:
    qtbot.waitUntil(lambda: window.group_view.cards
                    and window.group_view.cards[0].picture.width() == side)


def test_ctrl_plus_grows_pictures_and_the_size_survives_a_restart(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    open_biggest_group(qtbot, window)
    wait_side(qtbot, window, PICTURE_SIDE)
    focus(qtbot, window)
    qtbot.keyClick(window.results.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    wait_side(qtbot, window, 256)
    card = window.group_view.cards[0]
    assert card.width() > 256  # the card grew with its picture
    qtbot.waitUntil(lambda: card.picture.pixmap() is not None
                    and max(card.picture.pixmap().width(), card.picture.pixmap().height()) > 212)
    window.close()
    assert load_settings().picture_side == 256
    second = MainWindow(load_settings())
    qtbot.addWidget(second)
    assert second.view_controls.picture_size.side == 256
    assert second.group_view.chosen_side == 256


def test_a_card_too_tall_for_the_window_gets_a_smaller_picture(
        qtbot: QtBot, window: MainWindow, library: Path) -> None:
    scan(qtbot, window, library)
    open_biggest_group(qtbot, window)
    window.group_view.set_picture_side(512)
    window.resize(1000, 600)
    view = window.group_view
    qtbot.waitUntil(lambda: view.side < 512
                    and view.cards[0].height() <= view.scroll.viewport().height())
    window.resize(1360, 1000)  # room again: the chosen size comes back
    qtbot.waitUntil(lambda: view.side == 512)


def test_panes_collapse_from_the_view_menu_and_come_back(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    panes = window.view_controls.panes
    folders_height = window.folders.height()
    panes.show_folders.trigger()
    assert panes.side.sizes()[FOLDERS] == 0 and not panes.show_folders.isChecked()
    panes.show_groups.trigger()  # both hidden: the whole column goes, the review has the width
    assert panes.main.sizes()[0] == 0
    panes.show_groups.trigger()
    assert panes.shown(GROUPS) and not panes.shown(FOLDERS)
    panes.show_folders.trigger()
    assert panes.shown(FOLDERS) and panes.shown(GROUPS)
    qtbot.waitUntil(lambda: abs(window.folders.height() - folders_height) < 40)


def test_dragging_a_handle_to_the_edge_unticks_the_pane(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    panes = window.view_controls.panes
    panes.main.moveSplitter(0, 1)  # what a drag to the left edge does
    assert not panes.show_groups.isChecked() and not panes.show_folders.isChecked()
    panes.show_groups.trigger()
    assert panes.main.sizes()[0] > 200


def test_geometry_and_splits_survive_a_restart(qtbot: QtBot) -> None:
    first = MainWindow(load_settings())
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(1111, 777)
    panes = first.view_controls.panes
    panes.main.setSizes([333, 700])
    panes.show_folders.trigger()
    qtbot.waitUntil(lambda: first.width() == 1111)
    left = panes.main.sizes()[0]
    first.close()
    second = MainWindow(load_settings())
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    # (The size itself is clamped to the test platform's 800×600 screen; under X it is kept.)
    again = second.view_controls.panes
    assert again.main.sizes()[0] == left
    assert not again.shown(FOLDERS) and not again.show_folders.isChecked()


@pytest.fixture
def dark(qtbot: QtBot):
    yield
    appearance.follow(appearance.SYSTEM)


def test_a_dark_palette_gives_dark_cards(qtbot: QtBot, window: MainWindow, library: Path,
                                         dark: None) -> None:
    scan(qtbot, window, library)
    open_biggest_group(qtbot, window)
    window.settings.appearance = appearance.DARK
    window.view_controls.settings_changed(window.settings)
    QApplication.processEvents()
    for card in window.group_view.cards[:2]:  # a Keep card and a Remove card
        image = card.grab().toImage()
        background = image.pixelColor(QPoint(card.width() // 2, card.height() - 6))
        assert background.lightness() < 90, (card.remove, background.name())
        keep_or_remove = card.toggle.palette().color(card.toggle.foregroundRole())
        assert keep_or_remove.lightness() > 120  # readable on the dark button
        label = card.values["Resolution"].palette().color(card.values["Resolution"]
                                                          .foregroundRole())
        assert label.lightness() > 120
    # the group list's placeholder for a thumbnail still loading is dark too
    blank = window.results.model._blank.toImage().pixelColor(QPoint(4, 4))
    assert blank.lightness() < 90


def arrow_points_up(header, column: int) -> bool:
    """Reads the painted arrow: wider at its bottom than at its top means it points up."""
    image = header.grab().toImage()
    left = header.sectionViewportPosition(column) + header.sectionSize(column) - 22
    right = left + 19
    background = image.pixelColor(QPoint(right, 3)).lightness()
    rows = [sum(abs(image.pixelColor(QPoint(x, y)).lightness() - background) > 40
                for x in range(left, right)) for y in range(image.height() - 2)]
    inked = [r for r in rows if r]
    assert len(inked) >= 3, rows
    return inked[-1] > inked[0]


def test_sort_arrows_point_up_for_small_to_large(qtbot: QtBot, window: MainWindow,
                                                 library: Path) -> None:
    scan(qtbot, window, library)
    header = window.results.view.horizontalHeader()
    for column in (FILES, SPACE):
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        assert arrow_points_up(header, column)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
        assert not arrow_points_up(header, column)


def test_no_cell_is_clipped_at_the_default_widths(qtbot: QtBot, window: MainWindow,
                                                  library: Path) -> None:
    from dedup_gui.tasks.tiers import Tier

    scan(qtbot, window, library)
    view = window.results.view
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    assert all(metrics.horizontalAdvance(t.label) < header.sectionSize(TIER) - 8 for t in Tier)
    assert metrics.horizontalAdvance("888.8 MB") < header.sectionSize(SPACE) - 8
    assert metrics.horizontalAdvance("888/888") < header.sectionSize(FILES) - 8
    # and every column but the folder's is on screen at once, with no sideways scrolling
    assert header.sectionViewportPosition(SPACE) + header.sectionSize(SPACE) <= header.width()


def test_settings_without_the_new_fields_load_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"version": 2, "picture_side": "big", "appearance": 3}')
    loaded = load_settings(path)
    assert (loaded.picture_side, loaded.appearance) == (Settings().picture_side, "system")
    path.write_text('{"version": 2}')
    assert load_settings(path).main_splitter == ""


def test_system_appearance_follows_the_desktop_switching_to_dark(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, dark: None) -> None:
    """The test platform cannot switch its scheme; the desktop's signal and answer are played."""
    from PySide6.QtGui import QGuiApplication

    assert window.settings.appearance == appearance.SYSTEM
    assert not appearance.is_dark(QApplication.palette())
    hints = QGuiApplication.styleHints()
    monkeypatch.setattr(appearance, "desktop_is_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert appearance.is_dark(QApplication.palette())
    monkeypatch.setattr(appearance, "desktop_is_dark", lambda: False)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not appearance.is_dark(QApplication.palette())
    window.settings.appearance = appearance.LIGHT  # a choice in Preferences stays put
    window.view_controls.settings_changed(window.settings)
    monkeypatch.setattr(appearance, "desktop_is_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not appearance.is_dark(QApplication.palette())


def test_preferences_offer_the_appearance(qtbot: QtBot) -> None:
    from dedup_gui.qt.settings.dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData(appearance.DARK))
    assert dialog.result_settings().appearance == appearance.DARK


def test_a_first_launch_fits_a_laptop_screen(qtbot: QtBot,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """No saved geometry on a 1366 × 768 screen (a 28 px panel): the window fits, status line
    and all (it opened 1360 × 860, its bottom below the screen's edge)."""
    monkeypatch.setattr(first_size, "screen_room", lambda _window: QSize(1366, 740))
    window = MainWindow(Settings(embeddings=False))
    qtbot.addWidget(window)
    assert window.height() + first_size.FRAME.height() <= 740
    assert window.width() <= 1366 and window.height() >= first_size.MINIMUM.height()
    assert first_size.fitted(QSize(2560, 1400)) == first_size.DEFAULT


@pytest.mark.parametrize("room", [QSize(910, 480), QSize(1093, 582), QSize(1097, 617)])
def test_a_screen_smaller_than_the_minimum_gets_a_window_that_fits(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, room: QSize) -> None:
    """1366 × 768 at 150 % and 125 %, 1920 × 1080 at 175 % (a panel of 32 px): the window
    opened at the default 1360 × 860 there, its review pane and status line beyond the
    screen's edges (a small-screen check); it fits now, and so does its minimum."""
    monkeypatch.setattr(first_size, "screen_room", lambda _window: room)
    window = MainWindow(Settings(embeddings=False))
    qtbot.addWidget(window)
    assert window.width() + first_size.FRAME.width() <= room.width()
    assert window.height() + first_size.FRAME.height() <= room.height()
    minimum = window.minimumSize()
    assert minimum == first_size.FLOOR  # it can be made smaller, or tiled (not the screen)
    assert first_size.fitted(QSize(300, 200)) == first_size.FLOOR  # nothing smaller


def test_dialogs_open_within_a_small_screen(qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """1366 × 768 at 150 % (910 × 480 free): Preferences opened 560 × 560 and Help 560 × 520,
    taller than the screen, their buttons below its edge (a small-screen check)."""
    from dedup_gui.qt.common import screen_fit
    from dedup_gui.qt.settings.dialog import SettingsDialog
    from dedup_gui.qt.window.help import show_text

    room = QSize(910, 480)
    monkeypatch.setattr(screen_fit, "screen_room", lambda _widget: room)
    window = MainWindow(Settings(embeddings=False))
    qtbot.addWidget(window)
    preferences = SettingsDialog(Settings(), window)
    qtbot.addWidget(preferences)
    guide = show_text(window, "Guide", "<p>text</p>")
    qtbot.addWidget(guide)
    for dialog in (preferences, guide):
        assert dialog.height() + screen_fit.FRAME.height() <= room.height(), dialog
        assert dialog.width() <= room.width()


def test_each_menus_access_keys_are_its_own(qtbot: QtBot) -> None:
    """Alt+V, M only highlighted an item: "Recent &messages" and "S&maller pictures" shared
    the letter, as did "Fi&lter groups" and "&Larger pictures" (a keyboard-first check)."""
    import re

    window = MainWindow(Settings(embeddings=False))
    qtbot.addWidget(window)
    for title, menu in window.menus.items():
        keys = [found.group(1).lower() for action in menu.actions()
                if (found := re.search(r"&([^&])", action.text()))]
        assert len(keys) == len(set(keys)), (title, sorted(keys))
