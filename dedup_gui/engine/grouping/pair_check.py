"""Pairs checked as a scan checks its candidates, for a caller outside a scan: is this file the
same photo as the one searched for, another shot, or undecided?

Why: Find similar ranks matches by the embedding alone, and a burst neighbour is 98 % alike to
the frame searched for. Called "the same picture", it was added to a group marked Remove and
would have trashed another moment (first-user review). The scan's own rules answer instead,
strongest first: capture metadata (capture_rule.py), then pixels (one exposure where they agree
within re-encoding noise: verify.py), then the rules that refute an edited copy (two photos in
one frame, no placement, displaced texture: refute.py). And as in a scan, exposures are
transitive (verify.py, step 4): a messenger re-save of the neighbouring frame, its EXIF
stripped, is that frame's exposure where their pixels agree, so it is another shot too
(through_copies). Cost: a header read per file, and for a pair the metadata cannot decide two
decodes at verification's size and a pixel check (tens of milliseconds), so a caller checks
only the matches alike enough to be copies.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from dedup_gui.engine.grouping.capture_rule import capture_verdict
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixel_verdict import memoised_pixel_verdict
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.refute import refute
from dedup_gui.engine.grouping.verdict import Loader, Memo, Verdict
from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.tiers import EDITED
from dedup_gui.engine.types import Capture

COPIES_TRIED = 8  # files with a capture an undecided match is compared with, nearest first


class PairChecker:
    """Verdicts of many files against one `query`: its picture decoded once, each file's
    capture read once (`load` and `memo` as a scan's verification keeps them)."""

    def __init__(self, query: str, load: Loader | None = None, memo: Memo | None = None
                 ) -> None:
        self.query = query
        self.load = load or PictureCache()
        self.memo: Memo = {} if memo is None else memo
        self._captures: dict[str, Capture] = {}

    def capture(self, path: str) -> Capture:
        if path not in self._captures:
            self._captures[path] = read_capture(path)
        return self._captures[path]

    def check(self, path: str) -> Verdict:
        """same True (one exposure: the same photo, maybe edited), False (another shot,
        another picture, or too plain to compare) or None (an edit or another shot: nothing
        tells), with the evidence in the note."""
        verdict = self.by_capture(path)
        if verdict.same is not None:
            return verdict
        pixels = memoised_pixel_verdict(self.query, path, FULL, self.load, self.memo)
        if pixels.same is not None:
            return pixels
        refuted = refute(self.query, path, EDITED, self.load, self.memo)
        return refuted if refuted.same is False else pixels

    def by_capture(self, path: str) -> Verdict:
        return capture_verdict(self.capture(self.query), self.capture(path))

    def through_copies(self, path: str, captured: Sequence[str]) -> Verdict | None:
        """The capture verdict of the first of `captured` (files whose capture decides against
        the query; at most COPIES_TRIED, nearest first) whose pixels agree with `path`'s: it is
        that file's exposure. None when none does."""
        for other in captured[:COPIES_TRIED]:
            if memoised_pixel_verdict(path, other, FULL, self.load, self.memo).same:
                verdict = self.by_capture(other)
                if verdict.same is not None:
                    return Verdict(verdict.same, f"a copy of {os.path.basename(other)}, "
                                                 f"{verdict.note}")
        return None
