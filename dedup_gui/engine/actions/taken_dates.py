"""Dates taken for the keeper rules that look at dates: the ones a scan cached with each file's
capture, and a header read for the files it has none for (`propose`'s `dates`)."""

from __future__ import annotations

from collections.abc import Iterable

from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.types import Group


def read_taken_ns(path: str) -> int | None:
    """The date taken (EXIF, RAW metadata, else Google Takeout's JSON) as Unix nanoseconds, or
    None; reads headers only. The fallback for files a scan has no cached capture for. A date
    without OffsetTimeOriginal is the camera's wall time, counted as if it were UTC (capture.py)."""
    return read_capture(path).taken_ns


def taken_dates(paths: Iterable[str]) -> dict[str, int]:
    """path -> date taken for the files that have one: the `dates` argument of `propose`."""
    return {path: taken for path in paths if (taken := read_taken_ns(path)) is not None}


def capture_dates(groups: Iterable[Group]) -> tuple[dict[str, int], list[str]]:
    """The dates taken the scan cached (GroupFile.capture), and the paths it has no capture for
    (a caller may read those with `read_taken_ns`). A capture without a date means none known."""
    dates: dict[str, int] = {}
    unknown: list[str] = []
    for file in (f for group in groups for f in group.files):
        if file.capture is None:
            unknown.append(file.path)
        elif file.capture.taken_ns is not None:
            dates[file.path] = file.capture.taken_ns
    return dates, unknown
