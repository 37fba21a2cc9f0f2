"""The keeper date rule takes dates from the scan's cached captures, reading only files without."""

from __future__ import annotations

import pytest

from dedup_gui.engine.actions import taken_dates
from dedup_gui.engine.types import Capture, Group, GroupFile, ScanResult, ScanStats
from dedup_gui.tasks.scan import read_dates, review_start


def _file(path: str, capture: Capture | None, mtime_ns: int = 0) -> GroupFile:
    return GroupFile(path, 10, mtime_ns, 8, 8, "JPEG", capture)


def test_cached_captures_are_used_and_only_files_without_one_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def read(path: str) -> int | None:
        asked.append(path)
        return 7

    monkeypatch.setattr(taken_dates, "read_taken_ns", read)
    group = Group((_file("/a.jpg", Capture(5, source="exif")), _file("/b.jpg", Capture()),
                   _file("/c.jpg", None)), ())
    assert read_dates([group]) == {"/a.jpg": 5, "/c.jpg": 7}
    assert asked == ["/c.jpg"]  # /b.jpg was looked at by the scan: it has no date


def test_the_oldest_date_rule_keeps_the_earliest_shot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taken_dates, "read_taken_ns", lambda path: pytest.fail("read a file"))
    # the copy's file time is older, but the photo's capture says which was shot first
    group = Group((_file("/copy.jpg", Capture(200, source="exif"), mtime_ns=1),
                   _file("/original.jpg", Capture(100, source="exif"), mtime_ns=999)), ())
    result = ScanResult((group,), (), ScanStats())
    outcome = review_start(result, (), [{"kind": "oldest date", "formats": [], "text": ""}])
    assert outcome.removals == [{"/copy.jpg"}]
