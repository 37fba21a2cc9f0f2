"""Issue 16, "show it": after a scan every card says how its file was made, the compare view
says it for both files, and the group header gives the keeper reason in words."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from tests.engine.actions.overlays import pasted
from tests.images import photo, resized_copy, save
from tests.qt.conftest import scan


def _first_group(qtbot: QtBot, window: MainWindow, folder: Path):
    """Scan `folder` (one group expected) and show that group; its group view."""
    scan(qtbot, window, folder)
    assert len(window.state.groups) == 1
    window.results.select_group(0)
    return window.group_view


def _origins(view) -> dict[str, str]:
    return {Path(c.path).name: c.values["Origin"].text() for c in view.cards}


def test_cards_compare_view_and_header_show_the_provenance(qtbot: QtBot, window: MainWindow,
                                                           tmp_path: Path) -> None:
    source = photo(11, (800, 600))
    save(source, tmp_path / "DCIM/IMG_0011.JPG", quality=90)
    save(resized_copy(source, 0.5), tmp_path / "WhatsApp/IMG-WA0011.jpg", quality=80)
    view = _first_group(qtbot, window, tmp_path)
    origins = _origins(view)
    assert origins == {"IMG_0011.JPG": "Original", "IMG-WA0011.jpg": "Smaller re-save"}
    assert "kept: the most original; the other is a smaller re-save" in view.header.full_text()
    view.current = 1
    qtbot.keyClick(window, Qt.Key.Key_Return)
    dialog = window.compare_dialog
    assert dialog is not None
    assert set(dialog.origins.values()) == {"original", "smaller re-save"}
    dialog.close()


def test_labels_follow_the_marks_when_the_person_keeps_another_file(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Keeping the WhatsApp copy and removing the camera original by hand: the card about to
    go to the Trash still reads "Original" (it is what the copy was made from: the person must
    see that they are trashing the original), the copy reads what it is, nothing is starred
    for a rule that did not decide, and the header says the choice is the person's."""
    source = photo(11, (800, 600))
    save(source, tmp_path / "DCIM/IMG_0011.JPG", quality=90)
    save(resized_copy(source, 0.5), tmp_path / "WhatsApp/IMG-WA0011.jpg", quality=80)
    view = _first_group(qtbot, window, tmp_path)
    for index in (1, 0):  # Space on the copy (to Keep), then on the original (to Remove)
        view.current = index
        view.toggle_current()
    marks = {Path(f.path).name for f in window.state.marked_files(0)}
    assert marks == {"IMG_0011.JPG"}
    origins = _origins(view)
    assert origins == {"IMG_0011.JPG": "Original", "IMG-WA0011.jpg": "Smaller re-save"}
    assert "your choice" in view.header.full_text() and "suggested" in view.header.full_text()
    original = next(c for c in view.cards if c.path.endswith("IMG_0011.JPG"))
    match = original.values["Match"].text().replace("\n", " ")
    assert match.startswith("the original of the kept copy: "), match  # not its pair's kind

    assert not any(facts.best for facts in view._facts)
    for index in (0, 1):  # back to the suggestion: its words come back
        view.current = index
        view.toggle_current()
    origins = _origins(view)
    assert origins == {"IMG_0011.JPG": "Original", "IMG-WA0011.jpg": "Smaller re-save"}
    assert "kept: the most original" in view.header.full_text()


def test_a_stickered_copy_reads_overlay_and_the_clean_source_is_kept(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A copy with a sticker pasted on it, saved larger and at a higher quality than its source:
    its card says "Overlay", the source is kept and the header says what the copy is."""
    source = photo(12, (800, 600))
    stickered = pasted(source, "emoji", 0.15, 0.9, random.Random(12))
    save(source, tmp_path / "Pictures/IMG_0012.jpg", quality=80)
    save(resized_copy(stickered, 1.1), tmp_path / "Pictures/IMG_0013.jpg", quality=95)
    view = _first_group(qtbot, window, tmp_path)
    origins = _origins(view)
    assert origins == {"IMG_0012.jpg": "Original",
                       "IMG_0013.jpg": "Text/sticker overlay"}
    assert "the other is a copy with text or a sticker added" in view.header.full_text()
    assert {Path(f.path).name for f in window.state.marked_files(0)} == {"IMG_0013.jpg"}


def test_the_compare_view_reads_the_origins_the_cards_read(qtbot: QtBot, window: MainWindow,
                                                          tmp_path: Path) -> None:
    """Two byte-identical copies, the kept one swapped by hand: the cards call the kept one
    "Original" and the other "Identical copy"; the compare view said the reverse (the scan's
    words, a real-window check)."""
    import shutil

    camera = save(photo(13, (800, 600)), tmp_path / "DCIM/IMG_0013.JPG", quality=90)
    (tmp_path / "Backup").mkdir()
    shutil.copy2(camera, tmp_path / "Backup/IMG_0013.JPG")
    view = _first_group(qtbot, window, tmp_path)

    def by_path() -> dict[str, str]:
        return {c.path: c.values["Origin"].text() for c in view.cards if c.path}

    before = by_path()
    for index in (1, 0):  # keep the other copy
        view.current = index
        view.toggle_current()
    after = by_path()
    assert after != before and sorted(after.values()) == ["Identical copy", "Original"]
    kept = next(c.path for c in view.cards if c.path and not window.state.is_marked(0, c.path))
    view.current = next(i for i, c in enumerate(view.cards) if c.path and c.path != kept)
    window.open_compare()
    words = {p: label.capitalize() for p, label in window.compare_dialog.origins.items()}
    assert words == after
    window.compare_dialog.close()
