"""Run a dedup-gui command with capture metadata read from EXIF: a benchmark-only stand-in until
the scan reads and caches GroupFile.capture itself (issue 14, the signals work). Not shipped:
the product has one EXIF reader, in the engine's signals stage.

    python benchmarks/capture_shim.py evaluate --truth DIR/groups.json DIR/images --no-cache

Reads DateTimeOriginal + SubSecTimeOriginal + OffsetTimeOriginal, Make, Model,
BodySerialNumber and ImageUniqueID with Pillow, as engine/types.Capture describes them.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image

from dedup_gui.engine import pipeline
from dedup_gui.engine.evaluation import run as evaluation_run
from dedup_gui.engine.types import Capture

_EXIF_IFD = 0x8769
_MAKE, _MODEL = 0x010F, 0x0110
_ORIGINAL, _SUBSEC, _OFFSET = 0x9003, 0x9291, 0x9011
_SERIAL, _UNIQUE = 0xA431, 0xA420


def read_capture(path: str) -> Capture | None:
    """The capture metadata of one file, or None when it has none."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            sub = exif.get_ifd(_EXIF_IFD)
    except Exception:
        return None
    taken, has_offset = _instant(sub.get(_ORIGINAL), sub.get(_SUBSEC), sub.get(_OFFSET))
    make, model = _text(exif.get(_MAKE)), _text(exif.get(_MODEL))
    if taken is None and not make:
        return None
    return Capture(taken, has_offset, make, model, _text(sub.get(_SERIAL)),
                   _text(sub.get(_UNIQUE)), "exif")


def _text(value: object) -> str:
    return str(value).strip("\x00 ").strip() if value else ""


def _instant(original: object, subsec: object, offset: object) -> tuple[int | None, bool]:
    try:
        moment = datetime.strptime(_text(original), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None, False
    digits = _text(subsec)
    if digits.isdigit():
        moment += timedelta(seconds=float(f"0.{digits}"))
    zone = _text(offset)
    has_offset = len(zone) == 6 and zone[0] in "+-"
    if has_offset:
        sign = 1 if zone[0] == "+" else -1
        delta = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        moment = moment.replace(tzinfo=timezone(sign * delta))
    else:
        moment = moment.replace(tzinfo=UTC)  # local wall time, as Capture says
    return int(moment.timestamp() * 1e9), has_offset


def _with_capture(original):
    def group_file(entry, signals):
        return replace(original(entry, signals), capture=read_capture(entry.path))
    return group_file


def install() -> None:
    """From now on, every GroupFile the scan or the evaluation builds carries its capture."""
    patched = _with_capture(pipeline.group_file)
    pipeline.group_file = patched
    evaluation_run.group_file = patched


def main() -> int:
    install()
    from dedup_gui.cli.main import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
