"""Capture units in the app: the card says what travels with a photo ("+ Live video + XMP"), the
confirmation counts those files, and they go to the Trash and come back with Undo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dedup_gui.qt.window.main_window import MainWindow
from dedup_gui.text import human_bytes
from tests.images import photo, save
from tests.qt.conftest import scan, wait_idle
from tests.units import live_video, xmp


def test_card_shows_companions_and_the_confirmation_counts_them(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The copy in "b" has the shorter path, but the camera's file has its Live video beside
    it: the rules keep the camera's unit. Kept by hand instead, the copy leaves the unit to
    the Trash: the confirmation names the video that goes too, Cancel its default."""
    lead = save(photo(7, (320, 240)), tmp_path / "album/IMG_1.JPG", quality=90)
    unit = [tmp_path / "album/IMG_1.MOV", tmp_path / "album/IMG_1.xmp"]
    unit[0].write_bytes(live_video())
    unit[1].write_bytes(xmp(4))
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b/IMG_1.JPG"
    shutil.copy2(lead, copy)  # same bytes, same mtime, shorter path
    scan(qtbot, window, tmp_path)
    assert window.state.marked_paths() == {str(copy)}
    cards = {card.path: card for card in window.group_view.cards if card.path}
    travels = cards[str(lead)].travels
    assert travels.text() == "+ Live video + XMP" and not travels.isHidden()
    assert cards[str(copy)].travels.isHidden()

    group = window.results.selected_group()
    assert window.state.set_marked(group, str(copy), False) is None
    assert window.state.set_marked(group, str(lead), True) is None
    before = {p: p.read_bytes() for p in (lead, *unit)}
    asked = []
    window.flow.confirm = lambda question, detail: pytest.fail("Move was the default")
    window.flow.confirm_bulk = lambda question, detail: asked.append((question, detail)) or True
    window.flow.trash_group(group)
    wait_idle(qtbot, window)
    total = human_bytes(sum(len(data) for data in before.values()))
    ((question, detail),) = asked
    assert question == (f"Move 1 photo (3 files with their RAW/Live video/sidecars, {total}) "
                        "from this group to the Trash?")
    assert detail.startswith("IMG_1.MOV, IMG_1.xmp go too: each the only RAW, Live video or "
                             "edit sidecar (the edits made on a phone or in an editor) of its "
                             "photo, and the file kept instead has none. To keep them, keep "
                             "the photo they belong to.")
    assert not any(p.exists() for p in before)
    assert window.state.trashed == {str(lead)}  # companions are in no group: not counted
    assert "Moved 3 files" in window.statusBar().currentMessage()
    window.flow.undo()
    wait_idle(qtbot, window)
    assert {p: p.read_bytes() for p in before} == before
    assert not os.listdir(Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files")


def test_the_bulk_confirmation_names_the_only_live_video_too(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Shift+Delete with the lone copy kept by hand: the scope confirmation says which video
    goes with the trashed photo and defaults to Cancel (it said nothing: a real-window check;
    Delete on the group already did)."""
    from PySide6.QtWidgets import QMessageBox

    from dedup_gui.qt.review.removal_scope import scope_box

    lead = save(photo(8, (320, 240)), tmp_path / "album/IMG_2.JPG", quality=90)
    (tmp_path / "album/IMG_2.MOV").write_bytes(live_video())
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b/IMG_2.JPG"
    shutil.copy2(lead, copy)
    scan(qtbot, window, tmp_path)
    group = window.results.selected_group()
    window.state.set_marked(group, str(copy), False)
    window.state.set_marked(group, str(lead), True)
    scopes = []
    window.flow.choose_scope = lambda scope: scopes.append(scope)  # cancelled
    window.flow.trash_shown(window.results.shown_groups())
    (scope,) = scopes
    assert scope.warning.startswith("IMG_2.MOV goes too")
    box, reviewed, everything = scope_box(window, scope)
    assert box.informativeText().startswith("IMG_2.MOV goes too")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert reviewed is not None and lead.exists()
    # Every file the move takes is counted, the video too (a Takeout check: the confirmation
    # said 16 files, then 27 moved), and its bytes with them.
    moved = lead.stat().st_size + (tmp_path / "album/IMG_2.MOV").stat().st_size
    assert scope.companions == 1 and scope.bytes == moved
    assert "All shown: 1 file and 1 that travels with it" in box.informativeText()
    texts = [b.text() for b in (reviewed, everything) if b is not None]
    assert any("1 file and 1 that travels with it" in t for t in texts)


def test_the_only_edit_sidecar_is_named_when_its_photo_goes(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """An iPhone's IMG_O0006.AAE (its edits) beside the camera file; a backup's byte copy, with
    none, kept by hand: Delete said only "with their RAW/Live video/sidecars", Move to Trash
    the default (a first-user check). Now it names the .AAE and defaults to Cancel."""
    lead = save(photo(8, (320, 240)), tmp_path / "DCIM/IMG_0006.JPG", quality=90)
    (tmp_path / "DCIM/IMG_O0006.AAE").write_text("<plist><dict/></plist>\n")
    (tmp_path / "Backup").mkdir()
    copy = tmp_path / "Backup/IMG_0006.JPG"
    shutil.copy2(lead, copy)
    scan(qtbot, window, tmp_path)
    group = window.results.selected_group()
    state = window.state
    if str(copy) in state.remove[group]:  # kept by hand: the backup's copy
        assert state.set_marked(group, str(copy), False) is None
        assert state.set_marked(group, str(lead), True) is None
    asked = []
    window.flow.confirm = lambda question, detail: pytest.fail("Move was the default")
    window.flow.confirm_bulk = lambda question, detail: asked.append(detail) or False
    window.flow.trash_group(group)
    assert asked and asked[0].startswith(
        "IMG_O0006.AAE goes too: it is the only RAW, Live video or edit sidecar")
    assert lead.exists() and (tmp_path / "DCIM/IMG_O0006.AAE").exists()  # Cancel: nothing moved
