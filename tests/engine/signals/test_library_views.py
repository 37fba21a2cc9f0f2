"""Library's per-file views: read errors in file order, readable paths without a copy."""

from __future__ import annotations

from dedup_gui.engine.signals.read import Library
from dedup_gui.engine.types import FileEntry, ImageSignals, Issue

GOOD = ImageSignals(4, 3, "JPEG", {"phash": 1, "dhash": 2, "ahash": 3, "whash": 4})


def _library(signals: dict[str, ImageSignals | str], order: list[str]) -> Library:
    return Library(tuple(FileEntry(p, 1, 1) for p in order), (), {}, 0, signals, {}, 0)


def test_read_errors_come_in_file_order_whatever_order_signals_came_in() -> None:
    signals = {"/c.jpg": "truncated", "/a.jpg": GOOD, "/b.jpg": "not an image"}
    found = _library(signals, ["/a.jpg", "/b.jpg", "/c.jpg"]).read_errors()
    assert found == [Issue("/b.jpg", "not an image"), Issue("/c.jpg", "truncated")]
    assert _library({"/a.jpg": GOOD}, ["/a.jpg", "/gone.jpg"]).read_errors() == []


def test_readable_paths_answer_like_the_readable_map() -> None:
    signals = {"/a.jpg": GOOD, "/b.jpg": "not an image", "/c.jpg": GOOD}
    library = _library(signals, ["/a.jpg", "/b.jpg", "/c.jpg"])
    paths = library.readable_paths()
    assert list(paths) == list(library.readable()) == ["/a.jpg", "/c.jpg"]
    assert len(paths) == 2
    assert "/a.jpg" in paths and "/b.jpg" not in paths and "/x.jpg" not in paths
