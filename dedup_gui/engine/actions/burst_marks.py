"""Which shots "keep the best of each series" marks: the best shot's own burst, not the series.

Why: a series is other shots of one scene taken within SERIES_SPAN_S (ten minutes) of each
other, and the command marked every shot but the best. A student's check: photos of lecture
slides one or two minutes apart and of book pages half a minute apart are verified other shots
of one look (one template, one desk, one camera), and formed series like "10 shots over 9 min"
of eight different slides; the command would have marked 82 shots, 67 of them slides and pages
with no other copy. A burst or a second try is taken within seconds; advancing a slide or
turning a page and aiming again takes longer. So the command marks only the shots taken within
BURST_S of the best one (on clocks that compare: signals.capture.far_apart's rule); a shot
further from it is another moment, for the person to choose by hand. So is a shot whose time
is not known (on either side): nothing says it is of the burst (a re-check: three scanned
pages, no capture time, formed a series and two were marked). An exposure bracket is left
whole (grouping/brackets.py).

A burst is also one camera at one setting: its frames share the camera and the pixel size. So
a shot from another camera (where both name theirs: make, model, body serial) or of another
pixel size is not of the best shot's burst. Why: an enthusiast's check put a stitched
panorama (exported with the first frame's EXIF, 8000 px wide) in one series with a 3000 px
frame of it, the panorama its best shot, and the command marked the camera frame; a family's
library merged from three phones has shots of one moment by two people seconds apart, each
person's own photo.
"""

from __future__ import annotations

from dedup_gui.engine.signals.capture import apart_s
from dedup_gui.engine.types import Capture, GroupFile, Series

BURST_S = 10.0  # seconds from the best shot within which a shot is of its burst or second try


def marked_by_keep_best(series: Series) -> list[str]:
    """The shots of `series` that "keep the best of each series" marks (module docstring)."""
    if series.bracket:
        return []
    best = next((f for f in series.files if f.path == series.best), None)
    if best is None:
        return []
    return [f.path for f in series.files
            if f.path != series.best and of_one_burst(best, f)]


def of_one_burst(best: GroupFile, shot: GroupFile) -> bool:
    """Whether `shot` is known to be of `best`'s burst: dated within BURST_S of it, by the same
    camera, at the same pixel size (either way round: a turned phone)."""
    if _another_moment(best.capture, shot.capture):
        return False
    if sorted((best.width, best.height)) != sorted((shot.width, shot.height)):
        return False
    return not _other_camera(best.capture, shot.capture)


def _other_camera(a: Capture | None, b: Capture | None) -> bool:
    """Both name their camera, and the names differ (make and model, or body serial)."""
    if a is None or b is None:
        return False
    if a.camera and b.camera and a.camera.casefold() != b.camera.casefold():
        return True
    return bool(a.serial and b.serial and a.serial != b.serial)


def _another_moment(a: Capture | None, b: Capture | None) -> bool:
    """Not both dated on clocks that compare within BURST_S of each other."""
    gap = apart_s(a, b)
    return gap is None or gap > BURST_S
