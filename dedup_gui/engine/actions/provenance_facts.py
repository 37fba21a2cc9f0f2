"""What one file's pixels and header say about how it was made: the facts provenance labels use.

Why these facts: each is true of edits in general, not of one photo set. A synthetic frame
(padding, a meme's caption band, a screenshot's UI, the blank corners of a rotation) is exactly
flat colour, which a camera never records; a greyscale copy of a colour photo has no chroma; an
upscale has pixels but not detail (its finest octave is nearly empty); a re-save at lower JPEG
quality carries coarser quantisation tables; cameras write their make and model, re-saves by
messengers and editors strip them; a camera also writes the pixel size it stored
(PixelXDimension/PixelYDimension), which a tool that copies the EXIF into a resized file leaves
behind. Only grouped files are read (typically a few per cent of a
library), once: the facts are cached by path, size and mtime (provenance_cache.py).
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from dedup_gui.engine.actions.containment import thumbnail
from dedup_gui.engine.actions.edit_traces import (
    border_flat,
    chroma_of,
    detail_ratio,
    histogram_comb,
    jpeg_grid,
    jpeg_quality,
    side_flat,
)
from dedup_gui.engine.signals.imageio import READ_FORMATS
from dedup_gui.engine.signals.views import photo_region

FACTS_VERSION = 9
WORK_SIDE = 512  # analysis size for frame and colour facts
_MAKE, _MODEL, _SOFTWARE, _ORIENTATION = 0x010F, 0x0110, 0x0131, 0x0112
_T = Image.Transpose  # EXIF orientation -> the turn that makes the picture upright
_UPRIGHT = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
            6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}
_EXIF_IFD, _PIXEL_X, _PIXEL_Y = 0x8769, 0xA002, 0xA003


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Per-file evidence. `box` is the photo region as fractions of the frame (left, top, right,
    bottom; the whole frame when all of it is photo);
    `flat_border` the share of exactly flat pixels on the outer frame; `detail` the finest
    octave's energy relative to the next (low: upscaled or blurred); `quality` the estimated
    JPEG quality (0: not a JPEG); `camera` the EXIF make and model ('' when stripped);
    `blocky` the JPEG 8×8 grid's strength (1.0: none; see jpeg_grid); `recorded` the pixel
    size the EXIF says was stored ((0, 0): not written)."""

    width: int
    height: int
    box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    flat_border: float = 0.0
    grey: bool = False
    chroma: float = 0.0
    detail: float = 1.0
    quality: int = 0
    camera: str = ""
    software: str = ""
    blocky: float = 1.0
    thumb: bytes = b""  # grey thumbnail (containment.py), row-major, `thumb_size` pixels
    thumb_size: tuple[int, int] = (0, 0)
    flat_sides: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # top right bottom left
    comb: float = 0.0  # histogram roughness (histogram_comb): tone edits of 8-bit data raise it
    recorded: tuple[int, int] = (0, 0)

    @property
    def region(self) -> float:
        """The photo region's share of the frame (1.0: the whole frame is photo)."""
        x0, y0, x1, y1 = self.box
        return (x1 - x0) * (y1 - y0)

    def thumb_image(self) -> Image.Image | None:
        if not self.thumb:
            return None
        return Image.frombytes("L", self.thumb_size, self.thumb)

    def as_dict(self) -> dict:
        return {**asdict(self), "thumb": base64.b64encode(self.thumb).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict) -> FileFacts:
        return cls(**{**data, "box": tuple(data["box"]), "thumb_size": tuple(data["thumb_size"]),
                      "thumb": base64.b64decode(data["thumb"]),
                      "flat_sides": tuple(data["flat_sides"]),
                      "recorded": tuple(data.get("recorded", (0, 0)))})


def read_facts(path: str, pictures: dict[str, Image.Image] | None = None) -> FileFacts | None:
    """The facts of the file at `path`; None when it cannot be read (it then decides nothing).
    With `pictures`, the decode's WORK_SIDE picture (upright) is kept there under `path` for
    the overlay test, which then needs no second decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=READ_FORMATS) as image:
                facts, small = _facts(image)
                if pictures is not None:
                    turn = _UPRIGHT.get(image.getexif().get(_ORIENTATION, 1))
                    pictures[path] = small if turn is None else small.transpose(turn)
                return facts
    except Exception:  # a broken file must never stop the proposal: it decides nothing
        return None


def _facts(image: Image.Image) -> tuple[FileFacts, Image.Image]:
    width, height = image.size
    quality = jpeg_quality(image.quantization) if isinstance(image, JpegImageFile) else 0
    exif = image.getexif()
    camera = " ".join(str(exif.get(t, "")).strip("\x00 ") for t in (_MAKE, _MODEL)).strip()
    software = str(exif.get(_SOFTWARE, "")).strip("\x00 ")
    recorded = recorded_size(exif)
    rgb = image.convert("RGB")
    comb = histogram_comb(rgb)
    native_grey = rgb.convert("L")
    detail, blocky = detail_ratio(native_grey), jpeg_grid(native_grey)
    small = rgb.copy()
    small.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    box = photo_region(small)
    sw, sh = small.size
    frame = (0.0, 0.0, 1.0, 1.0) if box is None else (
        box[0] / sw, box[1] / sh, box[2] / sw, box[3] / sh)
    chroma = chroma_of(np.asarray(small))
    small_grey = np.asarray(small.convert("L"))
    edge, sides = border_flat(small_grey), side_flat(small_grey)
    thumb = thumbnail(small)
    return FileFacts(width, height, tuple(round(v, 4) for v in frame), round(edge, 4),
                     chroma < 2.0, round(chroma, 3), round(detail, 4), quality, camera, software,
                     round(blocky, 4), thumb.tobytes(), thumb.size, sides, round(comb, 4),
                     recorded), small


def recorded_size(exif: Image.Exif) -> tuple[int, int]:
    """The pixel size the EXIF says the file held when it was written ((0, 0) when absent or
    unreadable)."""
    try:
        sub = exif.get_ifd(_EXIF_IFD)
        width, height = int(sub.get(_PIXEL_X, 0)), int(sub.get(_PIXEL_Y, 0))
    except (TypeError, ValueError, KeyError, OSError):
        return (0, 0)
    return (width, height) if width > 0 and height > 0 else (0, 0)
