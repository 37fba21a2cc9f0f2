"""One pair checked as a scan checks its candidates, for a caller outside a scan: is this file
the same photo as that one, another shot, or undecided?

Why: Find similar ranks matches by the embedding alone, and a burst neighbour is 98 % alike to
the frame searched for. Called "the same picture", it was added to a group marked Remove and
would have trashed another moment (first-user review). The scan's own rules answer instead,
strongest first: capture metadata (capture_rule.py), then pixels (one exposure where they agree
within re-encoding noise: verify.py), then the rules that refute an edited copy (two photos in
one frame, no placement, displaced texture: refute.py). Cost: a header read per file, and for a
pair the metadata cannot decide two decodes at verification's size and a pixel check (tens of
milliseconds), so a caller checks only the matches alike enough to be copies.
"""

from __future__ import annotations

from dedup_gui.engine.grouping.capture_rule import capture_verdict
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.refute import refute
from dedup_gui.engine.grouping.verdict import Loader, Memo, Verdict
from dedup_gui.engine.grouping.verify import PictureCache, memoised_pixel_verdict
from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.tiers import EDITED


def check_pair(a: str, b: str, load: Loader | None = None, memo: Memo | None = None
               ) -> Verdict:
    """same True (one exposure: the same photo, maybe edited), False (another shot, another
    picture, or too plain to compare) or None (an edit or another shot: nothing tells), with
    the evidence in the note. `load` and `memo` may be shared between calls (one query, many
    matches: its picture is decoded once)."""
    verdict = capture_verdict(read_capture(a), read_capture(b))
    if verdict.same is not None:
        return verdict
    load = load or PictureCache()
    memo = {} if memo is None else memo
    pixels = memoised_pixel_verdict(a, b, FULL, load, memo)
    if pixels.same is not None:
        return pixels
    refuted = refute(a, b, EDITED, load, memo)
    return refuted if refuted.same is False else pixels
