"""The Insights window and Export report…: real engine results, real thumbnails, the real
engine process; only the desktop's file manager and modal boxes are stood in for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.qt.common import desktop
from dedup_gui.qt.insights import commands, view
from dedup_gui.qt.insights.view import PATH_ROLE, InsightsDialog
from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.settings import FolderSetting
from tests.images import photo, save
from tests.library import make_library

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def insights(tmp_path_factory: pytest.TempPathFactory):
    root = make_library(tmp_path_factory.mktemp("lib"))
    save(photo(7, (160, 120)), root / "other/tiny.jpg", quality=90)
    dark = (np.asarray(photo(8), np.float32) * 0.15).astype(np.uint8)
    save(Image.fromarray(dark), root / "other/dark.jpg", quality=90)
    return build_insights(InsightParams(ScanParams((str(root),)), k=2), Cache(None))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What would have been handed to the desktop (no file manager in tests)."""
    seen: list[str] = []
    monkeypatch.setattr(desktop, "show_in_file_manager", lambda _path: False)
    monkeypatch.setattr(desktop, "open_url", lambda url: seen.append(url.toLocalFile()))
    return seen


def tab_titles(dialog: InsightsDialog) -> list[str]:
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_outliers_and_flags_are_listed_with_thumbnails(qtbot: QtBot, insights) -> None:
    dialog = InsightsDialog(insights)
    qtbot.addWidget(dialog)
    dialog.show()
    assert tab_titles(dialog) == ["Most unusual first", "Blurry (1)", "Too dark (1)",
                                  "Too bright (0)", "Tiny (1)"]  # every image is ranked
    assert dialog.tabs.tabToolTip(0).startswith("Every image (11), ranked by the distance to "
                                                "its 2nd nearest image")
    tree = dialog.current_tree()
    first = tree.topLevelItem(0)
    assert first.data(0, PATH_ROLE) == insights.outliers[0].path
    assert first.text(1) == "1" and first.text(2) == f"{insights.outliers[0].distance:.3f}"
    nearest = insights.outliers[0]  # the nearest image with its own distance, not the k-th's
    assert first.text(3) == f"{Path(nearest.nearest).name} ({nearest.nearest_distance:.3f})"
    qtbot.waitUntil(lambda: not first.icon(0).isNull(), timeout=10_000)
    dialog.tabs.setCurrentIndex(2)
    dark = dialog.current_tree().topLevelItem(0)
    assert dark.text(0) == "dark.jpg" and dark.text(1).startswith("highlights ")
    qtbot.waitUntil(lambda: not dark.icon(0).isNull(), timeout=10_000)


def test_show_in_folder_open_and_copy_path(qtbot: QtBot, insights, opened: list[str]) -> None:
    dialog = InsightsDialog(insights)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(4)  # tiny
    tree = dialog.current_tree()
    dialog.show_current()  # nothing selected: nothing happens
    assert opened == []
    tree.setCurrentItem(tree.topLevelItem(0))
    path = dialog.current_path()
    assert path is not None and path.endswith("tiny.jpg")
    dialog.show_current()
    dialog.open_current()
    dialog.copy_current()
    assert opened == [str(Path(path).parent), path]
    assert QGuiApplication.clipboard().text() == path
    tree.itemDoubleClicked.emit(tree.topLevelItem(0), 0)
    assert opened[-1] == str(Path(path).parent)


def test_the_menu_commands_exist(window: MainWindow) -> None:
    titles = {a.text() for menu in window.menuBar().actions() for a in menu.menu().actions()}
    assert {"Insi&ghts…", "Export &report…"} <= titles
    assert window.actions.insights.shortcut().toString() == "Ctrl+I"


def test_insights_run_in_the_engine_process(qtbot: QtBot, window: MainWindow,
                                            library: Path) -> None:
    window.folders.set_folders([FolderSetting(str(library))])
    window.actions.insights.trigger()
    assert window.foreground.busy  # the progress bar's Cancel reaches it
    qtbot.waitUntil(lambda: window.insights.dialog is not None,
                    timeout=TIMEOUT_MS)
    dialog = window.insights.dialog
    assert not window.foreground.busy
    assert "9 images" in dialog.findChild(view.QLabel).text()
    assert "Outliers need embeddings" in dialog.findChild(view.QLabel).text()
    dialog.close()


def test_export_report_writes_the_folder_and_offers_to_open_it(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, opened: list[str]) -> None:
    window.folders.set_folders([FolderSetting(str(library))])
    warnings: list[str] = []
    monkeypatch.setattr(commands.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos/keep.jpg").write_bytes(b"precious")
    monkeypatch.setattr(commands, "choose_report_folder",
                        lambda _w, _start: str(tmp_path / "photos"))
    window.actions.export_report.trigger()
    assert "not empty" in warnings[0] and not window.foreground.busy
    out = tmp_path / "report"
    monkeypatch.setattr(commands, "choose_report_folder", lambda _w, _start: str(out))
    window.actions.export_report.trigger()
    qtbot.waitUntil(lambda: window.insights.report_box is not None, timeout=TIMEOUT_MS)
    assert (out / "index.html").is_file() and (out / "outliers.csv").is_file()
    opener = window.insights.report_box.buttons()[0]
    assert opener.text() == "Open report"
    opener.click()
    assert opened[-1] == str(out / "index.html")
    assert QUrl.fromLocalFile(opened[-1]).isLocalFile()


def test_the_report_dialog_takes_a_new_folder_name_and_starts_outside_the_library(
        qtbot: QtBot, window: MainWindow, library: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: "Export report to a new or empty folder" refused a typed new folder name
    ("Directory not found"), and opened inside the photo library."""
    dialog = commands.report_folder_dialog(None, str(tmp_path))
    dialog.setOption(commands.QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    typed = tmp_path / "my report"
    dialog.selectFile(str(typed))
    dialog.accept()
    assert dialog.result() == commands.QFileDialog.DialogCode.Accepted
    assert dialog.selectedFiles() == [str(typed)]
    starts: list[str] = []
    monkeypatch.setattr(commands, "choose_report_folder",
                        lambda _w, start: starts.append(start) or "")
    window.folders.set_folders([FolderSetting(str(library))])
    window.settings.last_folder = str(library / "a")  # where Add folder… was last used
    window.actions.export_report.trigger()
    assert starts and not Path(starts[0]).resolve().is_relative_to(library.resolve())
