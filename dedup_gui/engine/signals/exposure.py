"""The exposure compensation a camera wrote for a shot: what tells an exposure bracket from a burst.

Why: a bracket is the same scene shot at, say, -2, 0 and +2 EV within a second, so that an
editor can merge the frames (HDR). Verification rightly calls the frames other shots, and the
series' best shot (grouping/series.py) is the best exposed one; but "keep the best of each
series" then marked the other frames Remove, the very frames the merge needs (an enthusiast's
check). Cameras say what they did: EXIF's ExposureMode is 2 ("auto bracket") for every frame of
an automatic bracket, and ExposureBiasValue holds each frame's compensation (a bracket set by
hand changes it from frame to frame; a burst keeps it). Headers only: nothing is decoded.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

from PIL import Image

from dedup_gui.engine.signals.quiet import quiet_pillow
from dedup_gui.engine.signals.raw import container_exif, is_raw

EXIF_IFD = 0x8769
EXPOSURE_BIAS, EXPOSURE_MODE = 0x9204, 0xA402
AUTO_BRACKET = 2  # ExposureMode's value for a frame of an automatic bracket
MAX_BIAS_EV = 15.0  # beyond any camera's range: a broken value, not a compensation

Exposure = tuple[float | None, bool]  # (compensation in EV, or None; auto bracket)
UNKNOWN: Exposure = (None, False)


def read_exposure(path: str | os.PathLike[str]) -> Exposure:
    """The shot's exposure compensation (EV) and whether the camera called it a frame of an
    automatic bracket; UNKNOWN when the file says nothing (never raises)."""
    try:
        if is_raw(path):
            blocks = container_exif(path)
        else:
            with quiet_pillow(), Image.open(path) as image:
                blocks = (image.getexif(),)
    except Exception:  # unreadable, truncated, not an image: nothing known
        return UNKNOWN
    for exif in blocks:
        found = _from_exif(exif)
        if found != UNKNOWN:
            return found
    return UNKNOWN


def _from_exif(exif: Image.Exif) -> Exposure:
    try:
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:  # a broken EXIF sub-block
        sub = {}
    bias = _ev(sub.get(EXPOSURE_BIAS, exif.get(EXPOSURE_BIAS)))
    mode = sub.get(EXPOSURE_MODE, exif.get(EXPOSURE_MODE))
    return bias, mode == AUTO_BRACKET


def _ev(value: object) -> float | None:
    """A rational EXIF value as EV rounded to a hundredth (1/3 EV steps compare equal), or
    None for a missing, broken or impossible one."""
    try:
        ev = float(Fraction(*value) if isinstance(value, tuple) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return round(ev, 2) if math.isfinite(ev) and abs(ev) <= MAX_BIAS_EV else None
