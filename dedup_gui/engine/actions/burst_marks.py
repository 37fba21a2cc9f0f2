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

Two bodies of one model that write no serial (a couple's two iPhones of one model, a borrowed
second body) are told apart by their file counters where both names are a camera's
(IMG_1234, DSCF0042, DSC01234): one body numbers its frames one after another, at most
MAX_FPS a second, so two shots whose counters lie further apart than their capture times
allow came from two bodies (a couple's holiday check). Where the counters are close (a
borrowed body of the same model, its card imported into a folder of its own), the folder
tells: a burst is imported with its camera's card, so a shot in another folder than the best
one is not known to be of its burst (the same check: two X-T4s, "Camera card 1" and "Camera
card 2", DSCF0031 marked beside DSCF0033, 1 s apart, each someone's own photo).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.signals.capture import apart_s
from dedup_gui.engine.types import Capture, Group, GroupFile, Series

BURST_S = 10.0  # seconds from the best shot within which a shot is of its burst or second try
MAX_FPS = 30  # frames a second of the fastest bursts that number each frame
COUNTER_SLACK = 10  # counter steps allowed beyond that (frames deleted, a clip, a retry)
_CAMERA_NAME = re.compile(r"([A-Za-z_]+?)_?(\d{4,5})")  # IMG_1234, DSCF0042, DSC01234


def marked_by_keep_best(series: Series) -> list[str]:
    """The shots of `series` that "keep the best of each series" marks (module docstring)."""
    if series.bracket:
        return []
    best = next((f for f in series.files if f.path == series.best), None)
    if best is None:
        return []
    return [f.path for f in series.files
            if f.path != series.best and of_one_burst(best, f)]


def with_other_versions(groups: Iterable[Group], away: Collection[str] = ()) -> set[str]:
    """Files that a duplicate group holds beside a version of them that is not a byte copy,
    both in place (not in `away`). "Keep the best" leaves them: moved as a series shot, such a
    file's group keeps the other version instead, and a couple's check lost the full-size
    original of a burst frame they had cropped and exported; it is chosen in its group."""
    found: set[str] = set()
    for group in groups:
        here = {f.path for f in group.files} - set(away)
        for path in here:
            if here - identical_to(group, {path}) - {path}:
                found.add(path)
    return found


def of_one_burst(best: GroupFile, shot: GroupFile) -> bool:
    """Whether `shot` is known to be of `best`'s burst: dated within BURST_S of it, by the same
    camera, at the same pixel size (either way round: a turned phone), in the same folder."""
    if _another_moment(best.capture, shot.capture):
        return False
    if os.path.dirname(best.path) != os.path.dirname(shot.path):
        return False
    if sorted((best.width, best.height)) != sorted((shot.width, shot.height)):
        return False
    return not _other_camera(best.capture, shot.capture) and \
        not other_counter(best.path, shot.path, apart_s(best.capture, shot.capture) or 0.0)


def other_counter(a: str, b: str, seconds: float) -> bool:
    """Both names are one camera's kind of counter (the same prefix and width) and the
    counters, taken round their wrap (9999 -> 0001), lie further apart than one body numbers
    frames in `seconds`."""
    first, second = _counter(a), _counter(b)
    if first is None or second is None or first[:2] != second[:2]:
        return False
    span = 10 ** first[1]
    steps = abs(first[2] - second[2]) % span
    return min(steps, span - steps) > MAX_FPS * seconds + COUNTER_SLACK


def cameras(series: Series) -> int:
    """How many cameras took the series' shots, as far as EXIF names them: each make and
    model, and for one model each body that the serials or the file counters tell apart (a
    couple's two iPhones' shots of one moment read "4 shots in 2.1 s", like one burst)."""
    bodies: dict[str, list[GroupFile]] = {}  # camera name -> the latest shot of each body
    for shot in sorted(series.files, key=lambda f: (f.capture and f.capture.taken_ns) or 0):
        name = shot.capture.camera.casefold() if shot.capture is not None else ""
        if not name:
            continue
        seen = bodies.setdefault(name, [])
        same = next((i for i, last in enumerate(seen) if _one_body(last, shot)), None)
        if same is None:
            seen.append(shot)
        else:
            seen[same] = shot
    return sum(len(seen) for seen in bodies.values())


def _one_body(a: GroupFile, b: GroupFile) -> bool:
    """Nothing tells `a` and `b`, named alike, apart as two bodies (serials, counters)."""
    gap = apart_s(a.capture, b.capture)
    return not _other_camera(a.capture, b.capture) and \
        (gap is None or not other_counter(a.path, b.path, gap))


def _counter(path: str) -> tuple[str, int, int] | None:
    """(prefix, digits, number) of a camera's file name; None for any other name."""
    stem = os.path.splitext(os.path.basename(path))[0]
    found = _CAMERA_NAME.fullmatch(stem)
    if found is None:
        return None
    return found.group(1).upper(), len(found.group(2)), int(found.group(2))


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
