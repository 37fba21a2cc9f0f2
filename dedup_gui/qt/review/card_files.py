"""The group's files as its cards show them: in card order, each with when it was taken.

A module of its own because neither is about widgets: the order is the proposal's, and a date
comes from whichever of three sources has it cheapest (the scan's cached capture, the dates the
scan read, a header read remembered per file version). The group view only lays the cards out.
"""

from __future__ import annotations

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.review.review_state import ReviewState


def card_order(state: ReviewState, group: int | None) -> list[GroupFile]:
    """The group's files in card order (ReviewState.shown_order; [] for no group)."""
    return [] if group is None else state.shown_order(group)


class DatesTaken:
    """When each file was taken (ns), for its card's Date fact; None when unknown."""

    def __init__(self, state: ReviewState) -> None:
        self.state = state
        self._read: dict[tuple[str, int], int | None] = {}  # (path, mtime_ns): read lazily

    def __call__(self, file: GroupFile) -> int | None:
        """The scan's cached capture; else from the scan when it read dates; else read lazily
        (headers only) and remembered. Files the scan looked at are not read again: a 300-file
        group of pictures without EXIF would otherwise hold the UI for half a second."""
        if file.capture is not None:
            return file.capture.taken_ns
        if (known := self.state.date_ns(file)) is not None or self.state.dates_read():
            return known
        key = (file.path, file.mtime_ns)
        if key not in self._read:
            from dedup_gui.tasks.scan import read_date_taken

            self._read[key] = read_date_taken(file.path)
        return self._read[key]
