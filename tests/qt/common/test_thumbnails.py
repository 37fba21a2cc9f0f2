"""The thumbnail loader keeps every request it was given: a size change while pictures wait
decodes them at the new size instead of dropping them (the similar shots' cards stayed "…")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from tests.images import photo, save


def test_pictures_waiting_when_the_size_changes_still_arrive(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    files = [save(photo(seed, (1200, 900)), tmp_path / f"p{seed}.jpg", quality=90)
             for seed in range(6)]
    loader = ThumbnailLoader(120, threads=1)
    ready: list[str] = []
    loader.ready.connect(ready.append)
    keys = [(str(f), f.stat().st_mtime_ns) for f in files]
    assert all(loader.get(*key) is None for key in keys)  # one decoding, five waiting
    loader.set_side(200)  # the group view fitted its cards meanwhile
    qtbot.waitUntil(lambda: all(key in loader._cache for key in keys), timeout=10000)
    assert {path for path, _ in keys} <= set(ready)
    assert all(max(loader._cache[key].width(), loader._cache[key].height()) <= 200
               for key in keys)
    loader.shutdown()
