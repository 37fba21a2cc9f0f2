"""Camera RAW files through rawpy (LibRaw): the embedded preview when it is big enough, else a
half-size demosaic.

Nearly every camera embeds a full-size or large JPEG preview of what it shot; decoding that is as
fast as a JPEG and needs no demosaic. It is used when its short side reaches the size the caller
needs and its shape is the sensor's (a preview of another shape is a crop or has borders, which
would hash unlike the photo). Otherwise LibRaw demosaics at half size. Sizes are the sensor's,
oriented, so a RAW and its full-size JPEG export show the same resolution.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image

# Extension -> the format name people know (uppercase of the RAW kind).
RAW_EXTENSIONS: frozenset[str] = frozenset({
    ".cr2", ".cr3", ".nef", ".arw", ".raf", ".orf", ".rw2", ".dng", ".pef", ".srw",
})  # fmt: skip
RAW_FORMATS: frozenset[str] = frozenset(ext[1:].upper() for ext in RAW_EXTENSIONS)
RAW_WORD = "RAW"  # what a keeper rule names to mean every RAW format

UNSUPPORTED = "RAW file of a kind LibRaw cannot read (unsupported camera or not a RAW file)"
RAW_CORRUPT = "truncated or corrupt RAW file"
RAW_NO_MEMORY = "not enough memory to decode this RAW file"
_ASPECT_TOLERANCE = 0.03
_HEAD_BYTES = 512 * 1024
# LibRaw's flip -> the EXIF orientation that undoes it (0 none, 3 180°, 5 90° CCW, 6 90° CW).
_FLIP_TO_ORIENTATION = {0: 1, 3: 3, 5: 8, 6: 6}


@dataclass(frozen=True, slots=True)
class RawPicture:
    """A RAW decoded small: the picture (still as stored), the EXIF orientation to apply, the
    sensor's size (oriented), the EXIF blocks read on the way (container, preview) and LibRaw's
    capture time (naive local wall time, whole seconds; None when it has none)."""

    image: Image.Image
    orientation: int
    width: int
    height: int
    format: str
    exif: tuple[Image.Exif, ...] = ()
    libraw_taken: datetime | None = None


class RawError(Exception):
    """A RAW that cannot be used; `reason` is for people, as ImageLoadError's."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_raw(path: str | os.PathLike[str]) -> bool:
    return os.path.splitext(os.fspath(path))[1].lower() in RAW_EXTENSIONS


def raw_format(path: str | os.PathLike[str]) -> str:
    """'DNG', 'CR2' ...: the RAW kind, named by its extension as cameras and people do."""
    return os.path.splitext(os.fspath(path))[1][1:].upper()


SizeCheck = Callable[[int, int], None]


def _open_raw(path: str | os.PathLike[str]) -> Any:
    """rawpy.imread, also for names that are not UTF-8 (rawpy encodes paths as UTF-8, which a
    name from another system's encoding cannot be): those are read into memory instead."""
    import rawpy

    name = os.fspath(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        with open(name, "rb") as fh:
            return rawpy.imread(io.BytesIO(fh.read()))
    return rawpy.imread(name)


def decode_raw(path: str | os.PathLike[str], min_side: int,
               open_preview: Callable[[bytes], Image.Image], check_size: SizeCheck) -> RawPicture:
    """Decode `path` small. `open_preview` decodes the preview's JPEG bytes (imageio's draft
    decode); `check_size(width, height)` refuses bombs (it raises) before anything is decoded.
    Raises RawError for files LibRaw cannot read."""
    import rawpy

    try:
        with _open_raw(path) as raw:
            return _decode_open(raw, path, min_side, open_preview, check_size)
    except rawpy.LibRawFileUnsupportedError as exc:
        raise RawError(UNSUPPORTED) from exc
    except (rawpy.LibRawUnsufficientMemoryError, rawpy.LibRawTooBigError) as exc:
        raise RawError(RAW_NO_MEMORY) from exc
    except rawpy.LibRawError as exc:
        raise RawError(RAW_CORRUPT) from exc


def _decode_open(raw: Any, path: str | os.PathLike[str], min_side: int,
                 open_preview: Callable[[bytes], Image.Image], check_size: SizeCheck
                 ) -> RawPicture:
    sizes = raw.sizes
    flip = _FLIP_TO_ORIENTATION.get(sizes.flip, 1)
    width, height = sizes.width, sizes.height
    if width <= 0 or height <= 0:
        raise RawError(RAW_CORRUPT)
    check_size(width, height)
    shown = (height, width) if flip >= 5 else (width, height)
    blocks = container_exif(path)
    taken = libraw_taken(raw)
    preview = _usable_preview(raw, (width, height), min_side, open_preview)
    if preview is not None:
        image, exif = preview
        stated = exif.get(0x0112, 1)
        orientation = stated if isinstance(stated, int) and 1 < stated <= 8 else flip
        return RawPicture(image, orientation, *shown, raw_format(path), (*blocks, exif), taken)
    # postprocess applies the flip itself; half size skips the demosaic's interpolation
    pixels = raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8)
    return RawPicture(Image.fromarray(pixels), 1, *shown, raw_format(path), blocks, taken)


def container_exif(path: str | os.PathLike[str]) -> tuple[Image.Exif, ...]:
    """The EXIF of TIFF-like RAWs (CR2, NEF, ARW, DNG, PEF, SRW; ORF and RW2 differ only in the
    magic number), parsed from the file's head: Pillow cannot open RAWs as images, and the tags
    live near the start (tags past the head are skipped, not misread)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return ()
    if head[:2] not in (b"II", b"MM"):  # CR3 and RAF: LibRaw's time covers them
        return ()
    exif = Image.Exif()
    try:
        exif.load((b"II*\0" if head[:2] == b"II" else b"MM\0*") + head[4:])
    except Exception:
        return ()
    return (exif,)


def libraw_taken(raw: Any) -> datetime | None:
    """LibRaw's capture time; it is local wall time to the second, and the epoch when unknown."""
    try:
        taken = raw.other.timestamp
    except Exception:
        return None
    return taken if isinstance(taken, datetime) and taken.year > 1970 else None


def _usable_preview(raw: Any, size: tuple[int, int], min_side: int,
                    open_preview: Callable[[bytes], Image.Image]
                    ) -> tuple[Image.Image, Image.Exif] | None:
    """The preview decoded, with its EXIF, when it is a JPEG of the sensor's shape whose short
    side reaches `min_side`; None (demosaic instead) otherwise, or when it cannot be read."""
    import rawpy

    try:
        thumb = raw.extract_thumb()
    except rawpy.LibRawError:
        return None
    if thumb.format != rawpy.ThumbFormat.JPEG:
        return None
    try:  # the header first: a small preview is not decoded at all
        with Image.open(io.BytesIO(thumb.data), formats=("JPEG",)) as header:
            full = header.size
            exif = header.getexif()
        if not _fits(full, size, min_side):
            return None
        return open_preview(thumb.data), exif
    except Exception:  # a broken preview: the RAW data may still be fine
        return None


def _fits(preview: tuple[int, int], sensor: tuple[int, int], min_side: int) -> bool:
    """Big enough, and of the sensor's aspect (either way round: previews may be stored turned)."""
    if min(preview) < min_side:
        return False
    ratio = max(preview) / min(preview)
    wanted = max(sensor) / min(sensor)
    return abs(ratio - wanted) <= _ASPECT_TOLERANCE * wanted


def raw_metadata(path: str | os.PathLike[str]) -> tuple[tuple[Image.Exif, ...], datetime | None]:
    """The EXIF blocks and LibRaw time of a RAW without decoding it (a capture-only read).
    Never raises: an unreadable RAW simply has no metadata."""
    import rawpy

    blocks, taken = container_exif(path), None
    try:
        with _open_raw(path) as raw:
            taken = libraw_taken(raw)
            thumb = raw.extract_thumb()
            if thumb.format == rawpy.ThumbFormat.JPEG:
                with Image.open(io.BytesIO(thumb.data), formats=("JPEG",)) as preview:
                    blocks = (*blocks, preview.getexif())
    except Exception:  # no preview, or not readable: what was found still counts
        pass
    return blocks, taken
