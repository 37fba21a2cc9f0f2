"""When and with what a photo was taken: EXIF first, else Google Takeout's JSON beside the file.

Read in the scan's workers from the EXIF the loader already parsed (no second open), cached with
the signals, so the date rule, the same-shot check and the review never read files for it.

Times: EXIF's DateTimeOriginal is the camera's wall clock. With OffsetTimeOriginal it names an
instant (`has_offset`); without, it is kept as the wall time read as if it were UTC, so the same
photo gives the same number on every machine and shows the time the camera showed. Takeout's
`photoTakenTime.timestamp` is an instant (seconds, UTC).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from datetime import datetime

from PIL import Image

from dedup_gui.engine.signals.imageio import READ_FORMATS
from dedup_gui.engine.signals.quiet import quiet_pillow
from dedup_gui.engine.signals.raw import is_raw, raw_metadata
from dedup_gui.engine.types import Capture

EXIF_IFD = 0x8769
MAKE, MODEL = 0x010F, 0x0110
DATE_TAKEN, OFFSET_TAKEN, SUBSEC_TAKEN = 0x9003, 0x9011, 0x9291
BODY_SERIAL, UNIQUE_ID = 0xA431, 0xA420
DNG_CAMERA_SERIAL = 50735  # DNG's serial tag in IFD0, where BodySerialNumber is missing
EXIF, TAKEOUT = "exif", "takeout"  # Capture.source; LibRaw's time counts as EXIF (it reads it)
CAPTURE_READER = "1"  # the cache's key for this code's readings: raise it when reading changes

# Two other shots taken further apart than this (both dated, on comparable clocks) are not one
# series: a series is a scene shot again within minutes (a burst, a retake, a bracketing or
# tripod run). Look-alikes taken days apart, or by two cameras at two moments (a large
# library's chance pairs), are other photos: neither duplicates nor a series.
SERIES_SPAN_S = 10 * 60

TAKEOUT_SUFFIXES = (".json", ".supplemental-metadata.json")
_MAX_JSON_BYTES = 1 << 20
_NS = 1_000_000_000
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def capture_from_exif(blocks: Iterable[Image.Exif], libraw_taken: datetime | None = None
                      ) -> Capture:
    """The Capture the EXIF blocks state (first block with a value wins for each field)."""
    fields: dict[str, object] = {}
    for exif in blocks:
        for name, value in _exif_fields(exif).items():
            if value not in (None, "", False):
                fields.setdefault(name, value)
    if "taken_ns" not in fields and libraw_taken is not None \
            and _storable(_wall_ns(libraw_taken)):
        fields["taken_ns"] = _wall_ns(libraw_taken)
    if not fields:
        return Capture()
    return Capture(source=EXIF if "taken_ns" in fields else "", **fields)  # type: ignore[arg-type]


def _exif_fields(exif: Image.Exif) -> dict[str, object]:
    try:
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:  # a broken EXIF sub-block: IFD0 may still name the camera
        sub = {}

    def tag(key: int) -> object:  # EXIF tags sometimes sit in IFD0 (DNG writers do that)
        return sub.get(key, exif.get(key))

    taken = _taken_ns(tag(DATE_TAKEN), tag(SUBSEC_TAKEN), tag(OFFSET_TAKEN))
    return {
        "taken_ns": None if taken is None else taken[0],
        "has_offset": False if taken is None else taken[1],
        "make": _text(exif.get(MAKE)), "model": _text(exif.get(MODEL)),
        "serial": _text(tag(BODY_SERIAL)) or _text(exif.get(DNG_CAMERA_SERIAL)),
        "unique_id": _text(tag(UNIQUE_ID)),
    }


def _text(value: object) -> str:
    """EXIF ASCII as a clean str: NULs and padding off; bytes decoded leniently."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip("\x00 ").strip() if value is not None else ""


def _taken_ns(date: object, subsec: object, offset: object) -> tuple[int, bool] | None:
    """(ns, has_offset) from EXIF's three fields; None for a missing or placeholder date."""
    try:
        wall = datetime.strptime(_text(date)[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # missing, "0000:00:00 00:00:00", or garbage
        return None
    ns = _wall_ns(wall) + _subsec_ns(_text(subsec))
    match = _OFFSET.match(_text(offset))
    if match is None:
        return (ns, False) if _storable(ns) else None
    sign = -1 if match[1] == "-" else 1
    seconds = sign * (int(match[2]) * 3600 + int(match[3]) * 60)
    return (ns - seconds * _NS, True) if _storable(ns - seconds * _NS) else None


def _storable(ns: int) -> bool:
    """Whether an instant fits 64-bit nanoseconds (1677-09-21 to 2262-04-11), as the cache
    stores it. A date past that ("9999:12:31", a broken clock) is no date: it decides
    nothing, and a cache write of it stopped the scan."""
    return -(1 << 63) <= ns < 1 << 63


def _wall_ns(wall: datetime) -> int:
    """A naive wall time as nanoseconds, read as if it were UTC (exact: no floats)."""
    return calendar.timegm(wall.timetuple()) * _NS + wall.microsecond * 1000


def _subsec_ns(digits: str) -> int:
    """'123' -> 123 ms: SubSecTime is the decimal fraction's digits."""
    digits = digits.strip()
    return int(digits[:9].ljust(9, "0")) if digits.isdigit() else 0


def takeout_capture(path: str) -> Capture | None:
    """Google Takeout's capture time from the JSON beside the photo, or None."""
    for suffix in TAKEOUT_SUFFIXES:
        try:
            with open(path + suffix, "rb") as fh:
                data = json.loads(fh.read(_MAX_JSON_BYTES))
            seconds = int(data["photoTakenTime"]["timestamp"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if seconds > 0 and _storable(seconds * _NS):
            return Capture(taken_ns=seconds * _NS, has_offset=True, source=TAKEOUT)
    return None


def with_takeout(path: str, capture: Capture) -> Capture:
    """`capture`, dated from Takeout's JSON when EXIF gave no date (the camera stays EXIF's)."""
    if capture.taken_ns is not None:
        return capture
    found = takeout_capture(path)
    if found is None:
        return capture
    return Capture(found.taken_ns, found.has_offset, capture.make, capture.model, capture.serial,
                   capture.unique_id, TAKEOUT)


def read_capture(path: str) -> Capture:
    """A file's Capture read on its own (headers only): for files whose signals are cached from
    before captures were, and for callers outside a scan. Never raises."""
    blocks: tuple[Image.Exif, ...] = ()
    libraw = None
    with quiet_pillow():
        if is_raw(path):
            blocks, libraw = raw_metadata(path)
        else:
            try:
                with Image.open(path, formats=READ_FORMATS) as image:
                    blocks = (image.getexif(),)
            except Exception:  # unreadable: no metadata, maybe Takeout still knows the date
                pass
        capture = capture_from_exif(blocks, libraw)
    return with_takeout(path, capture)


def apart_s(a: Capture | None, b: Capture | None) -> float | None:
    """How far apart two captures were taken, in seconds, as far as their clocks can tell
    (None when they cannot): both dated, and both instants (OffsetTimeOriginal) or both wall
    times (a camera's own clock; two cameras' wall clocks are taken to share a time zone)."""
    if a is None or b is None or a.taken_ns is None or b.taken_ns is None or \
            a.has_offset != b.has_offset:
        return None
    return abs(a.taken_ns - b.taken_ns) / 1e9


def far_apart(a: Capture | None, b: Capture | None, seconds: float = SERIES_SPAN_S) -> bool:
    """Whether two captures were taken more than `seconds` apart, as far as their clocks can
    tell (apart_s)."""
    gap = apart_s(a, b)
    return gap is not None and gap > seconds
