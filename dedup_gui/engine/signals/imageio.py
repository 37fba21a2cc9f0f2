"""The one safe image loader: every consumer decodes photos through `load_image`.

Libraries hold files from every camera, phone and editor, plus broken downloads. So the loader is
fast (JPEG draft-decodes straight to the small size hashing needs), faithful (orientation, 16-bit,
transparency, CMYK handled so copies of one picture look alike) and safe: bombs are refused before
decoding and every failure is an `ImageLoadError` a person understands, so callers need one except.

Pillow's own size guard is off (`Image.MAX_IMAGE_PIXELS = None`, set by `register_plugins`): it
judges the declared size, refusing JPEG panoramas that draft-decode small, and it warns from deep
inside Pillow. `_check_and_draft` enforces our limit instead.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import IO

import pillow_heif
from PIL import Image, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

from dedup_gui.engine.signals.normalise import normalise, orientation_of, read_exif, upright
from dedup_gui.engine.signals.quiet import SILENCER as _SILENCER
from dedup_gui.engine.signals.raw import RawError, decode_raw, is_raw

DEFAULT_MAX_PIXELS = 178_956_970  # Pillow's own error threshold (2 x its warning threshold)
ABSURD_FACTOR = 64  # declared sizes beyond 64 x the limit are refused even for draft-able JPEGs

# Photo formats only: Pillow's other plugins include EPS (which runs Ghostscript) and formats
# with loose magic numbers that would misread random files. MPO comes in through "JPEG".
READ_FORMATS = (
    "JPEG", "PNG", "HEIF", "AVIF", "WEBP", "TIFF", "GIF", "BMP", "JPEG2000", "ICO", "PPM", "QOI",
)  # fmt: skip

EMPTY = "empty file (0 bytes)"
# Phones save multi-picture JPEGs that Pillow calls MPO; people know them as JPEG.
_FORMAT_NAMES = {"MPO": "JPEG"}
NOT_IMAGE = "not an image (content is not a format we read)"
CORRUPT = "truncated or corrupt image data"
NOT_FOUND = "file not found"
PERMISSION = "permission denied"
FOLDER = "a folder, not a file"
NOT_REGULAR = "not a regular file (device, pipe or socket)"
NO_MEMORY = "not enough memory to decode this image"
_OS_REASONS = (
    (FileNotFoundError, NOT_FOUND), (PermissionError, PERMISSION), (IsADirectoryError, FOLDER),
)  # fmt: skip


class ImageLoadError(Exception):
    """An image that cannot be used; `reason` is plain language a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded image, small but at least `min_side` short, plus the file's full oriented size."""

    image: Image.Image
    width: int
    height: int
    format: str
    # What the capture metadata is read from, gathered while the file was open anyway: the
    # EXIF blocks (for RAW: the container's and the preview's) and LibRaw's own capture time.
    exif: tuple[Image.Exif, ...] = ()
    libraw_taken: datetime | None = None
    # Whether load_image with min_side=alike_side (same mode) gives these very pixels: the same
    # JPEG draft scale and the same box reduction (signals/picture_facts.py relies on it).
    alike: bool = False


@cache
def register_plugins() -> None:
    """Teach Pillow HEIF and hand size checks to this module; `cache` makes repeat calls free."""
    pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = None


def too_large_reason(width: int, height: int, max_pixels: int) -> str:
    """The refusal text for decompression bombs, with the declared size people can verify."""
    return f"image too large ({width}×{height} pixels, limit {max_pixels / 1e6:.0f} MP)"


def load_image(
    source: str | os.PathLike[str] | bytes,
    *,
    mode: str = "L",
    min_side: int = 64,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    alike_side: int | None = None,
) -> LoadedImage:
    """Decode `source` (a path, or the file's bytes already read) oriented, in `mode` "L"/"RGB".
    `alike_side`: also tell (LoadedImage.alike) whether a decode at that min_side would give
    the same pixels (never for RAW files: their preview choice depends on the size).

    Raises ImageLoadError for anything wrong with the file; ValueError only for bad arguments.
    """
    if mode not in ("L", "RGB") or min_side < 1 or max_pixels < 1:
        raise ValueError(f"bad arguments: {mode=} {min_side=} {max_pixels=}")
    with _SILENCER:
        try:
            if not isinstance(source, bytes | bytearray | memoryview) and is_raw(source):
                return _decode_raw(source, mode, min_side, max_pixels)
            with _open_source(source) as fp:
                return _decode(fp, mode, min_side, max_pixels, alike_side)
        except RawError as exc:
            raise ImageLoadError(exc.reason) from exc
        except ImageLoadError:
            raise
        except MemoryError as exc:
            raise ImageLoadError(NO_MEMORY) from exc
        except Image.DecompressionBombError as exc:  # only if someone restored Pillow's guard
            raise ImageLoadError("image too large") from exc
        except UnidentifiedImageError as exc:
            raise ImageLoadError(NOT_IMAGE) from exc
        except OSError as exc:  # errno set: the OS failed us; unset: Pillow found bad data
            raise ImageLoadError(_os_reason(exc) if exc.errno else CORRUPT) from exc
        except Exception as exc:  # Pillow raises a zoo of types for bad data
            raise ImageLoadError(CORRUPT) from exc


def _os_reason(exc: OSError) -> str:
    """Plain words for the OS errors people meet: missing files, permissions, folders."""
    for kind, reason in _OS_REASONS:
        if isinstance(exc, kind):
            return reason
    return f"could not read the file: {exc.strerror or exc}"


def _open_source(source: str | os.PathLike[str] | bytes) -> IO[bytes]:
    """A binary stream over the bytes or the file; stat first so pipes never block an open."""
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise ImageLoadError(EMPTY)
        return io.BytesIO(source)
    try:
        info = os.stat(source)
        if stat.S_ISDIR(info.st_mode):
            raise ImageLoadError(FOLDER)
        if not stat.S_ISREG(info.st_mode):
            raise ImageLoadError(NOT_REGULAR)
        if info.st_size == 0:
            raise ImageLoadError(EMPTY)
        return open(source, "rb")  # the caller's `with` closes it
    except OSError as exc:
        raise ImageLoadError(_os_reason(exc)) from exc


def _decode(fp: IO[bytes], mode: str, min_side: int, max_pixels: int,
            alike_side: int | None = None) -> LoadedImage:
    """Open, check the size, decode small, then normalise; the file closes with the caller."""
    with Image.open(fp, formats=READ_FORMATS) as src:
        width, height = src.size
        alike = alike_side is not None and _steps(src, min_side) == _steps(src, alike_side)
        _check_and_draft(src, mode, min_side, max_pixels)
        src.load()
        exif = read_exif(src)
        orientation = orientation_of(exif)
        image = normalise(src, mode, min_side)
        if image is src:  # closing `src` discards its pixels; hand back an independent copy
            image = src.copy()
        image = upright(image, orientation)
        if orientation >= 5:
            width, height = height, width
        fmt = _FORMAT_NAMES.get(src.format, src.format or "")
        return LoadedImage(image, width, height, fmt, () if exif is None else (exif,),
                           alike=alike)


def _steps(src: Image.Image, min_side: int) -> tuple[int, int]:
    """(JPEG draft scale, box reduction factor) a decode at `min_side` takes: what
    JpegImageFile.draft picks (the largest of 8, 4, 2, 1 that keeps both sides >= min_side;
    none for a multi-tile or already drafted file), then normalise's factor (normalise.py)."""
    w, h = src.size
    scale = 1
    if isinstance(src, JpegImageFile) and len(src.tile) == 1 and not src.decoderconfig:
        fit = min(w // min_side, h // min_side)
        scale = next((s for s in (8, 4, 2) if fit >= s), 1)
        w, h = (w + scale - 1) // scale, (h + scale - 1) // scale
    factor = min(w, h) // min_side
    return scale, factor if factor >= 2 else 1


def _decode_raw(path: str | os.PathLike[str], mode: str, min_side: int,
                max_pixels: int) -> LoadedImage:
    """A camera RAW through raw.py; its preview JPEG goes through the same draft decode."""
    _check_regular_file(path)

    def open_preview(data: bytes) -> Image.Image:
        with Image.open(io.BytesIO(data), formats=("JPEG",)) as src:
            _check_and_draft(src, mode, min_side, max_pixels)
            src.load()
            return src.copy()

    def check_size(width: int, height: int) -> None:  # a half-size demosaic holds w×h/4
        if width * height > 4 * max_pixels:
            raise ImageLoadError(too_large_reason(width, height, max_pixels))

    picture = decode_raw(path, min_side, open_preview, check_size)
    image = upright(normalise(picture.image, mode, min_side), picture.orientation)
    return LoadedImage(image, picture.width, picture.height, picture.format, picture.exif,
                       picture.libraw_taken)


def _check_regular_file(path: str | os.PathLike[str]) -> None:
    """The checks `_open_source` makes, for RAWs (LibRaw opens the file itself)."""
    _open_source(path).close()


def _check_and_draft(src: Image.Image, mode: str, min_side: int, max_pixels: int) -> None:
    """Refuse bombs before decoding; for JPEG judge the drafted size, which is what costs memory."""
    width, height = src.size
    if width <= 0 or height <= 0:
        raise ImageLoadError(CORRUPT)
    if width * height > ABSURD_FACTOR * max_pixels:
        raise ImageLoadError(too_large_reason(width, height, max_pixels))
    if isinstance(src, JpegImageFile):  # also MPO; "L" drafts decode luma only
        src.draft("L" if mode == "L" else "RGB", (min_side, min_side))
    if src.size[0] * src.size[1] > max_pixels:
        raise ImageLoadError(too_large_reason(width, height, max_pixels))


register_plugins()
