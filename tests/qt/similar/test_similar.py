"""Find similar to a photo: dropped on the window, dropped on the dialog or chosen; the matches
come from the real engine (query by example, the ONNX model) and show as thumbnails; a match opens
in the compare view; an unreadable photo is a message, not a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.qt.conftest import drop, mime_of, scan
from tests.series_library import BURST, make_series_library

QUERY_TIMEOUT_MS = 90_000  # the engine process loads the model and embeds the library


def _names(window: MainWindow, root: Path) -> list[str]:
    return [str(Path(m.file.path).relative_to(root))
            for m in window.similar.dialog.outcome.matches]


def _url(path: Path) -> QUrl:
    return QUrl.fromLocalFile(str(path))


def test_a_photo_dropped_on_the_window_finds_its_copies(qtbot: QtBot, window: MainWindow,
                                                        library: Path) -> None:
    scan(qtbot, window, library)
    query = library / "a/one.jpg"
    assert drop(window, mime_of(_url(query))) == (True, True)
    assert [f.path for f in window.folders.folders()] == [str(library)]  # not a folder to scan
    dialog = window.similar.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.bar.isVisible()  # progress while the engine works
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=QUERY_TIMEOUT_MS)
    names = _names(window, library)
    assert names[0] == "b/one_copy.jpg"  # the identical file first
    assert set(names[:3]) == {"b/one_copy.jpg", "b/one_small.jpg", "c/one.png"}
    assert "a/one.jpg" not in names and "other/broken.jpg" not in names
    assert not dialog.bar.isVisible()
    first = dialog.grid.item(0)
    assert first.text() == "one_copy.jpg\nsame photo, 100\u00a0% alike"
    assert "800 × 600" in first.toolTip() and "the same photo" in first.toolTip()

    def thumbnail_shown() -> bool:  # the decoded picture, not the grey placeholder
        image = dialog.grid.item(0).icon().pixmap(QSize(160, 160)).toImage()
        return image.pixelColor(image.width() // 2, image.height() // 2) != QColor("#eceff1")

    qtbot.waitUntil(thumbnail_shown)

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return)  # compare the selected match
    qtbot.waitUntil(lambda: window.similar.compare_dialog is not None)
    compare = window.similar.compare_dialog
    qtbot.waitExposed(compare)
    assert [f.path for f in compare.files] == [str(query), str(library / "b/one_copy.jpg")]
    assert compare.files[0].width == 800 and compare.files[1].size > 0
    compare.reject()
    dialog.reject()


def test_choose_or_drop_a_photo_on_the_dialog(qtbot: QtBot, window: MainWindow, library: Path,
                                              monkeypatch) -> None:
    window.folders.add_paths([str(library)])  # not scanned yet: the search reads the folder
    broken = str(library / "other/broken.jpg")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (broken, ""))
    window.actions.find_similar_photo.trigger()  # the menu: opens the dialog and the chooser
    dialog = window.similar.dialog
    qtbot.waitUntil(lambda: window.similar.task is None and dialog.outcome is None
                    and "could not be searched for" in dialog.empty.text(), timeout=30_000)
    assert "truncated or corrupt" in dialog.empty.text()
    assert "Looking in" not in dialog.where.text()  # said while the body said it could not

    assert drop(dialog.zone, mime_of(_url(library / "other/notes.txt")))[0] is False
    assert drop(dialog.zone, mime_of(_url(library / "a"), _url(library / "c")))[0] is False
    assert drop(dialog.zone, mime_of(_url(library / "a/two.jpg"))) == (True, True)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=QUERY_TIMEOUT_MS)
    assert _names(window, library)[0] == "c/two_q60.jpg"
    assert dialog.zone.name.text() == "two.jpg"
    dialog.reject()


def test_without_folders_the_dialog_says_what_to_do(qtbot: QtBot, window: MainWindow,
                                                    library: Path) -> None:
    assert not window.actions.find_similar_photo.isEnabled()
    dialog = window.similar.open(str(library / "a/two.jpg"))
    qtbot.addWidget(dialog)
    assert window.similar.task is None
    assert "Add a folder first" in dialog.empty.text()
    dialog.reject()


def test_a_burst_neighbour_is_called_another_photo_not_the_same_picture(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """It looks 9x % alike; the scan's capture rule says another moment (first-user review:
    "98 % same picture" for a frame the series panel calls another shot)."""
    root = make_series_library(tmp_path / "shots")
    window.folders.add_paths([str(root)])
    assert drop(window, mime_of(_url(root / BURST[1]))) == (True, True)
    dialog = window.similar.dialog
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=QUERY_TIMEOUT_MS)
    texts = {dialog.grid.item(row).text().split("\n")[0]: dialog.grid.item(row)
             for row in range(dialog.grid.count())}
    neighbour = texts["IMG_0001.JPG"]
    assert "\nother photo, 9" in neighbour.text(), neighbour.text()
    assert "taken" in neighbour.toolTip() and "apart" in neighbour.toolTip()
    assert not any("same" in item.text() for name, item in texts.items()
                   if name.startswith("IMG_"))
    dialog.grid.setCurrentItem(neighbour)  # another photo: never added marked Remove
    remove, keep = dialog.add_button.menu().actions()
    assert not remove.isEnabled() and keep.isEnabled()
    scan(qtbot, window, root)  # results to add to
    dialog.add_current(True)
    assert "another photo" in dialog.where.text() and "marked Keep only" in dialog.where.text()
    assert all(str(root / BURST[0]) not in {f.path for f in g.files}
               for g in window.state.groups)
    dialog.reject()
