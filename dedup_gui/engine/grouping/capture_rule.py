"""The capture rule of verification (verify.py, step 1) and the exposures it follows.

Why a module of its own: verify.py weighs every kind of evidence; this is the one that needs no
pixels, asked for every pair by the walk and, wave after wave, by the pool's dry run
(verify_waves.py), so it also answers without its words (`notes=False`). One exposure is made
by one camera at one instant: one camera at two instants took two photos, two cameras took two
photos at any instant, and edits, exports and re-saves keep Make and Model or drop them with
the rest of the EXIF (they do not rename the camera). Missing metadata decides nothing, and
so does an instant known only to the second (_to_the_frame).
Exposures: files whose pixels agree are one exposure and share what any of them knows.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from dedup_gui.engine.grouping.disjoint import DisjointSets
from dedup_gui.engine.grouping.verdict import UNDECIDED, Verdict
from dedup_gui.engine.types import Capture

ANOTHER = Verdict(False, "")  # capture_verdict's refutation without its words


def capture_verdict(a: Capture | None, b: Capture | None, notes: bool = True) -> Verdict:
    """The metadata rule; undecided unless both sides name their camera, and, for one camera,
    the instant. One exposure is made by one camera: two named cameras (make and model, or
    two serials of one model) made two exposures, whatever their clocks say. Edits, exports
    and re-saves keep Make and Model or drop them with the rest of the EXIF; they do not
    rename the camera. `notes=False`: the verdict without its words (the pool's dry run asks
    for every pair, wave after wave, and needs only `same`)."""
    if a is None or b is None:
        return UNDECIDED
    if _named(a) and _named(b) and (other := _other_camera(a, b)):
        if not notes:
            return ANOTHER
        return Verdict(False, f"taken with two cameras ({a.camera}; {b.camera})"
                       if other == _CAMERAS else f"taken with two {a.camera} bodies")
    if a.taken_ns is None or b.taken_ns is None or not _named(a) or \
            camera_key(a) != camera_key(b):
        return UNDECIDED
    if a.unique_id and b.unique_id and a.unique_id == b.unique_id:
        return Verdict(True, "same image ID")
    apart = abs(a.taken_ns - b.taken_ns) / 1e9
    if apart == 0:
        return Verdict(True, "same capture instant") if _to_the_frame(a) else UNDECIDED
    return Verdict(False, f"taken {_seconds(apart)} apart, same camera") if notes else ANOTHER


def two_exposures(left: Iterable[Capture | None], right: Iterable[Capture | None]) -> bool:
    """Whether a capture of `left` and one of `right` are two exposures by the capture rule
    (two cameras, or one camera at two instants). Why: a duplicate group proposes all but one
    of its files for the Trash, so it must never hold two photos the metadata tells apart,
    even where they are not a pair themselves but each pairs with a third file (a re-save
    without EXIF that looks like both: the 500k capture library's false pairs). Each side's
    distinct captures are compared once (a group's files mostly share one)."""
    mine = {c for c in left if c is not None}
    if not mine:
        return False
    theirs = {c for c in right if c is not None} - mine
    return any(capture_verdict(a, b, notes=False).same is False for a in mine for b in theirs)


def _to_the_frame(capture: Capture) -> bool:
    """The instant is known finer than the second (SubSecTimeOriginal). Why: a burst shoots
    several frames a second, and a camera or phone that writes no sub-second time (or "00"),
    like Takeout's JSON, gives them all one time: equal seconds then say "one burst", not "one
    exposure", and the pixels decide (five burst frames were grouped as "same capture
    instant" re-saves and three proposed for the Trash: a first-user check)."""
    return capture.taken_ns is not None and capture.taken_ns % 1_000_000_000 != 0


def _named(capture: Capture) -> bool:
    """Both Make and Model given (str.split and str.strip agree on what is blank)."""
    make, model = camera_key(capture)
    return bool(make and model)


def camera_key(capture: Capture) -> tuple[str, str]:
    """Make and model as compared: case and spacing are how a writer spells them, not which
    camera it was."""
    return _spelled(capture.make, capture.model)


@functools.lru_cache(maxsize=4096)
def _spelled(make: str, model: str) -> tuple[str, str]:
    """camera_key's work, once per spelling: a library holds a few cameras, and the walk and
    the pool's dry run ask for both sides of every pair (adding 1,000 photos to a 500k library:
    ~2M asks, ~1 s of casefolding and splitting the same few strings)."""
    return " ".join(make.casefold().split()), " ".join(model.casefold().split())


_CAMERAS, _BODIES = "cameras", "bodies"


def _other_camera(a: Capture, b: Capture) -> str:
    """Why two named captures come from two cameras (_CAMERAS, _BODIES), or "" when they may
    be one."""
    if camera_key(a) != camera_key(b):
        return _CAMERAS
    if a.serial and b.serial and a.serial.strip() != b.serial.strip():
        return _BODIES
    return ""


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 60 else f"{value / 60:.0f} min"


class Exposures:
    """Units known to be one exposure (union-find) and the capture each exposure is known by;
    an exposure holding two different captures is known by none (a conflict)."""

    def __init__(self, captures: Sequence[Capture | None]) -> None:
        self._sets = DisjointSets(len(captures))
        self._capture: dict[int, Capture | None] = {
            i: c for i, c in enumerate(captures) if c is not None and c.taken_ns is not None}

    def copy(self) -> Exposures:
        """These exposures as joined so far, to be joined on their own."""
        exposures = Exposures(())
        exposures._sets, exposures._capture = self._sets.copy(), dict(self._capture)
        return exposures

    def root(self, i: int) -> int:
        return self._sets.root(i)

    def capture(self, i: int) -> Capture | None:
        return self._capture.get(self.root(i))

    def known(self, i: int, j: int) -> bool:
        return self.capture(i) is not None or self.capture(j) is not None

    def join(self, i: int, j: int) -> None:
        a, b = self._sets.join(i, j)
        if a != b and a in self._capture:
            mine = self._capture.pop(a)
            if b not in self._capture:
                self._capture[b] = mine
            elif mine != self._capture[b] and \
                    capture_verdict(mine, self._capture[b]).same is not True:
                self._capture[b] = None  # (equal captures agree, even to the second only)

    def refutes(self, i: int, j: int, notes: bool = True) -> Verdict | None:
        """"Another shot" when the two exposures' captures say so, else None (`notes`: as
        capture_verdict's)."""
        inherited = capture_verdict(self.capture(i), self.capture(j), notes)
        if inherited.same is not False:
            return None
        return Verdict(False, f"{inherited.note} (through a copy)") if notes else ANOTHER
