"""Issue 16, "show it": after a scan every card says how its file was made, the compare view
says it for both files, and the group header gives the keeper reason in words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.images import photo, resized_copy, save
from tests.qt.conftest import scan


def test_cards_compare_view_and_header_show_the_provenance(qtbot: QtBot, window: MainWindow,
                                                           tmp_path: Path) -> None:
    source = photo(11, (800, 600))
    save(source, tmp_path / "DCIM/IMG_0011.JPG", quality=90)
    save(resized_copy(source, 0.5), tmp_path / "WhatsApp/IMG-WA0011.jpg", quality=80)
    scan(qtbot, window, tmp_path)
    assert len(window.state.groups) == 1
    window.results.select_group(0)
    view = window.group_view
    origins = {Path(c.path).name: c.values["Origin"].text() for c in view.cards}
    assert origins == {"IMG_0011.JPG": "Original", "IMG-WA0011.jpg": "Smaller re-save"}
    assert "kept: the most original; the other is a smaller re-save" in view.header.text()
    view.current = 1
    qtbot.keyClick(window, Qt.Key.Key_Return)
    dialog = window.compare_dialog
    assert dialog is not None
    assert set(dialog.origins.values()) == {"original", "smaller re-save"}
    dialog.close()
