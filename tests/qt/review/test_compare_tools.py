"""The compare view lines a screenshot up with its photo, shows their difference, and sets the
group's marks through the review state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common.compare_modes import DIFFERENCE, FLICKER
from dedup_gui.qt.common.compare_view import CompareDialog
from dedup_gui.qt.review.review_state import LAST_FILE, PROTECTED
from dedup_gui.qt.window.main_window import MainWindow
from tests.engine.grouping.pictures import scene
from tests.qt.conftest import scan


def _file(path: Path) -> GroupFile:
    with Image.open(path) as image:
        return GroupFile(str(path), path.stat().st_size, path.stat().st_mtime_ns,
                         image.width, image.height, image.format or "")


def _screenshot_pair(folder: Path) -> tuple[GroupFile, GroupFile]:
    """A photo, and a screenshot with the photo at (160, 140), 640 px wide, a sticker on it."""
    folder.mkdir()
    photo = scene(21, (1200, 900))
    photo.save(folder / "photo.jpg", quality=92)
    page = Image.new("RGB", (1000, 800), (246, 246, 246))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1000, 56), fill=(30, 30, 40))
    for row in range(5):
        draw.text((40, 650 + 24 * row), f"comment {row}", fill=(20, 20, 20))
    pasted = photo.resize((640, 480))
    ImageDraw.Draw(pasted).ellipse((420, 40, 560, 160), fill=(250, 40, 200))
    page.paste(pasted, (160, 140))
    page.save(folder / "screenshot.png")
    return _file(folder / "screenshot.png"), _file(folder / "photo.jpg")


def _open(qtbot: QtBot, window: MainWindow, files: tuple[GroupFile, GroupFile]
          ) -> CompareDialog:
    dialog = CompareDialog(files, None, window.full, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.alignment is not None
                    and all(not v.item.pixmap().isNull() for v in dialog.views), timeout=20_000)
    return dialog


def test_the_two_panes_are_equal_whatever_their_captions_say(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """One side's caption names how it was made ("screenshot of …", long), the other's is
    short: the panes stay equal (a real-window check found 430 against 590 px)."""
    shot, photo = _screenshot_pair(tmp_path / "pair")
    origins = ("screenshot of IMG_2024_0001.jpg, with the app's frame, a caption and a sticker",
               "original")
    dialog = CompareDialog((shot, photo), None, window.full, window, origins=origins)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    left, right = (view.width() for view in dialog.views)
    assert abs(left - right) <= 2, (left, right)
    dialog.reject()


def test_a_screenshot_lines_up_with_its_photo(qtbot: QtBot, window: MainWindow,
                                             tmp_path: Path) -> None:
    shot, photo = _screenshot_pair(tmp_path / "pair")
    dialog = _open(qtbot, window, (shot, photo))
    assert dialog.alignment.aligned
    assert "Lined up: the right picture drawn at 53 % of its size" in dialog.mode_line.text()
    item = dialog.views[1].item
    scale = photo.width / item.pixmap().width()  # thumbnail pixels -> the photo's
    corner = item.sceneTransform().map(QPointF(0, 0))
    far = item.sceneTransform().map(QPointF(photo.width / scale, photo.height / scale))
    assert corner.x() == pytest.approx(160, abs=12) and corner.y() == pytest.approx(140, abs=12)
    assert far.x() == pytest.approx(800, abs=12) and far.y() == pytest.approx(620, abs=12)
    left, right = dialog.views
    assert left.scene().sceneRect() == right.scene().sceneRect()  # one scroll = one place
    dialog.set_zoom(3.0)
    left.horizontalScrollBar().setValue(400)
    assert right.horizontalScrollBar().value() == 400


def test_difference_and_flicker_toggle(qtbot: QtBot, window: MainWindow,
                                       tmp_path: Path) -> None:
    dialog = _open(qtbot, window, _screenshot_pair(tmp_path / "pair"))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    right = dialog.views[1]
    assert not right.extra[DIFFERENCE].isVisible() and right.item.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_D)
    assert dialog.modes.mode == DIFFERENCE and right.extra[DIFFERENCE].isVisible()
    assert not right.item.isVisible() and dialog.modes.buttons[DIFFERENCE].isChecked()
    assert "bright = changed" in dialog.mode_line.text()
    heat = right.extra[DIFFERENCE].pixmap().toImage()  # in the screenshot's frame
    sticker = heat.pixelColor(round(heat.width() * 0.65), round(heat.height() * 0.30))
    untouched = heat.pixelColor(round(heat.width() * 0.3), round(heat.height() * 0.6))
    assert sticker.lightness() > 120 and untouched.lightness() < 40  # the edit shows
    qtbot.keyClick(dialog, Qt.Key.Key_D)
    assert dialog.modes.mode != DIFFERENCE and right.item.isVisible()
    dialog.modes.buttons[FLICKER].click()
    assert dialog.modes.timer.isActive()
    qtbot.waitUntil(lambda: right.extra[FLICKER].isVisible() and not right.item.isVisible())
    qtbot.keyClick(dialog, Qt.Key.Key_F)
    assert not dialog.modes.timer.isActive() and right.item.isVisible()


def _compare_group(qtbot: QtBot, window: MainWindow, name: str) -> CompareDialog:
    group = next(i for i, g in enumerate(window.state.groups)
                 if any(f.path.endswith(name) for f in g.files))
    window.results.select_group(group)
    qtbot.waitUntil(lambda: window.group_view.group == group)
    window.open_compare()
    dialog = window.compare_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_keep_and_remove_in_compare_set_the_groups_marks(qtbot: QtBot, window: MainWindow,
                                                        library: Path) -> None:
    scan(qtbot, window, library)
    dialog = _compare_group(qtbot, window, "two_q60.jpg")
    state, group = window.state, window.group_view.group
    left, right = (f.path for f in dialog.files)
    qtbot.keyClick(dialog, Qt.Key.Key_K)  # keep left, remove right
    assert not state.is_marked(group, left) and state.is_marked(group, right)
    assert "Remove" in dialog.captions[1].text() and "Keep" in dialog.captions[0].text()
    qtbot.keyClick(dialog, Qt.Key.Key_R)  # the other way round: the keep goes first
    assert state.is_marked(group, left) and not state.is_marked(group, right)
    assert dialog.mark_bar.refusal.text() == ""
    assert state.live_files(group) != state.marked_files(group)  # a file is always kept
    dialog.mark_bar.buttons["B"].click()
    assert not state.marked_files(group)
    assert group in state.opened  # a mark set by hand counts as reviewed
    # Each mark set here is an Undo step, as a card's is (B changed only the left file).
    assert window.actions.undo.text().replace("&", "") == f"Undo Keep {Path(left).name}"
    window.actions.undo.trigger()
    assert state.is_marked(group, left) and not state.is_marked(group, right)


def test_compare_refuses_to_remove_a_protected_file(qtbot: QtBot, window: MainWindow,
                                                    library: Path) -> None:
    scan(qtbot, window, library, protected=(library / "c",))
    dialog = _compare_group(qtbot, window, "two_q60.jpg")
    state, group = window.state, window.group_view.group
    protected = next(i for i, f in enumerate(dialog.files) if f.path.endswith("two_q60.jpg"))
    dialog.mark_bar.choose(protected == 0, protected == 1)  # remove the protected one
    assert not state.is_marked(group, dialog.files[protected].path)
    assert dialog.mark_bar.refusal.text() == PROTECTED
    assert state.marked_files(group) != state.live_files(group)


def test_the_shortcut_sheet_lists_the_compare_views_keys(window: MainWindow) -> None:
    from dedup_gui.qt.window.actions import all_actions
    from dedup_gui.qt.window.help import shortcut_html

    sheet = shortcut_html(all_actions(window.actions))
    assert "In the compare view" in sheet
    assert "Difference (bright = changed)</td><td><b>D</b>" in sheet
    assert "Keep left, remove right</td><td><b>K</b>" in sheet


def test_an_unreadable_file_is_said_and_closing_twice_is_harmless(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    shot, photo = _screenshot_pair(tmp_path / "pair")
    Path(photo.path).write_bytes(b"\xff\xd8\xff\xe0 truncated")
    dialog = CompareDialog((shot, photo), None, window.full, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "Could not line the pictures up" in dialog.mode_line.text(),
                    timeout=20_000)
    assert dialog.alignment is None
    dialog.reject()
    dialog.reject()


def test_compare_refuses_to_remove_the_last_file_in_place(qtbot: QtBot, window: MainWindow,
                                                         library: Path) -> None:
    """The right file is already in the Trash: R (remove left, keep right) would leave the
    group nothing in place, so the left one stays kept and the dialog says why."""
    scan(qtbot, window, library)
    dialog = _compare_group(qtbot, window, "two_q60.jpg")
    state, group = window.state, window.group_view.group
    left, right = (f.path for f in dialog.files)
    qtbot.keyClick(dialog, Qt.Key.Key_B)  # both kept
    state.set_trashed({right}, True)
    qtbot.keyClick(dialog, Qt.Key.Key_R)
    assert not state.is_marked(group, left)
    assert dialog.mark_bar.refusal.text() == LAST_FILE
    assert "Keep" in dialog.captions[0].text()


def test_keep_and_remove_read_in_the_themes_tones(qtbot: QtBot, window: MainWindow,
                                                 library: Path) -> None:
    """A real-window check: the compare view's Keep (dark green) and Remove (dark red) were
    barely readable on the dark theme, and stayed so after a switch."""
    from dedup_gui.qt.common import appearance

    scan(qtbot, window, library)
    dialog = _compare_group(qtbot, window, "two_q60.jpg")
    try:
        appearance.apply(appearance.DARK)
        qtbot.waitUntil(lambda: appearance.REMOVE[1] in dialog.captions[1].text()
                        + dialog.captions[0].text())
        assert appearance.KEEP[1] in dialog.captions[0].text() + dialog.captions[1].text()
        assert appearance.REMOVE[1] in dialog.mark_bar.refusal.styleSheet()
        appearance.apply(appearance.LIGHT)
        qtbot.waitUntil(lambda: appearance.REMOVE[0] in dialog.captions[1].text()
                        + dialog.captions[0].text())
    finally:
        appearance.apply(appearance.LIGHT)


def test_the_comparison_fits_a_small_screen(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """1366 × 768 at 150 % is 910 px wide in Qt's units: the comparison's one-line hint made it
    at least 1,099 px wide, its right caption and Close button beyond the edge (a check)."""
    from PySide6.QtCore import QSize

    from dedup_gui.qt.common import screen_fit

    room = QSize(910, 480)
    monkeypatch.setattr(screen_fit, "screen_room", lambda _widget: room)
    dialog = _open(qtbot, window, _screenshot_pair(tmp_path / "pair"))
    assert dialog.minimumSizeHint().width() <= room.width() - screen_fit.FRAME.width()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
