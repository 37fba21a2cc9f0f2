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
from dedup_gui.engine.signals.imageio import READ_FORMATS
from dedup_gui.engine.signals.views import photo_region

FACTS_VERSION = 9
WORK_SIDE = 512  # analysis size for frame and colour facts
DETAIL_SIDE = 384  # native-resolution centre patch for the detail measure
COMB_PIXELS = 2_000_000  # about this many pixels sampled for the histogram comb
_MAKE, _MODEL, _SOFTWARE, _ORIENTATION = 0x010F, 0x0110, 0x0131, 0x0112
_T = Image.Transpose  # EXIF orientation -> the turn that makes the picture upright
_UPRIGHT = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
            6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}
_EXIF_IFD, _PIXEL_X, _PIXEL_Y = 0x8769, 0xA002, 0xA003
# IJG's standard luminance table (quality 50); quality q scales it (libjpeg's jcparam.c).
_IJG_LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69,
    56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81,
    104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
], dtype=np.float64)


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


def jpeg_quality(table: object) -> int:
    """The IJG quality (1-100) whose luminance table is nearest to `table` (64 values in
    natural order or a dict of tables); 0 when there is none."""
    if isinstance(table, dict):
        table = table.get(0)
    if table is None or len(table) != 64:
        return 0
    values = np.asarray(table, dtype=np.float64)
    best = min(range(1, 101), key=lambda q: float(np.abs(_ijg_table(q) - np.sort(values)).sum()))
    return best


def _ijg_table(quality: int) -> np.ndarray:
    scale = 5000 / quality if quality < 50 else 200 - 2 * quality
    return np.sort(np.clip(np.floor((_IJG_LUMA * scale + 50) / 100), 1, 255))


def flat_share(grey: np.ndarray) -> np.ndarray:
    """Per pixel: whether its 3×3 neighbourhood is exactly one level (synthetic flat colour)."""
    g = np.pad(grey, 1, mode="edge")
    c = g[1:-1, 1:-1]
    same = np.ones(c.shape, dtype=bool)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            same &= g[dy:dy + c.shape[0], dx:dx + c.shape[1]] == c
    return same


def side_flat(grey: np.ndarray) -> tuple[float, float, float, float]:
    """Per side (top, right, bottom, left), the share of the outer 5% band that is exactly flat
    *and* of one colour. A caption band or a pad is one synthetic colour on one or two sides;
    a photo's edge is not, and neither is a sky that a coarse JPEG flattened block by block
    (each block at its own level)."""
    flat = flat_share(grey)
    h, w = flat.shape
    by, bx = max(1, h // 20), max(1, w // 20)
    cuts = ((slice(0, by), slice(None)), (slice(None), slice(w - bx, w)),
            (slice(h - by, h), slice(None)), (slice(None), slice(0, bx)))
    return tuple(_one_colour(grey[c], flat[c]) for c in cuts)  # type: ignore[return-value]


def _one_colour(values: np.ndarray, flat: np.ndarray) -> float:
    if not flat.any():
        return 0.0
    mode = int(np.bincount(values[flat].ravel()).argmax())
    same = flat & (np.abs(values.astype(np.int16) - mode) <= 2)
    return round(float(same.mean()), 4)


def border_flat(grey: np.ndarray) -> float:
    """Share of exactly flat pixels in the outer 3% frame: pads, UI frames and the empty corners
    of a rotation are flat; a camera's frame edge almost never is."""
    flat = flat_share(grey)
    h, w = flat.shape
    by, bx = max(1, h * 3 // 100), max(1, w * 3 // 100)
    ring = np.concatenate([flat[:by].ravel(), flat[-by:].ravel(),
                           flat[by:-by, :bx].ravel(), flat[by:-by, -bx:].ravel()])
    return float(ring.mean()) if ring.size else 0.0


def detail_ratio(grey: Image.Image) -> float:
    """How much of a native-resolution patch survives a round trip through 0.6× its size,
    relative to a round trip through 0.25× (low: the finest octaves are empty, as in an upscale
    or a heavy blur). Compared only between members of one group, never against a constant."""
    w, h = grey.size
    side = min(DETAIL_SIDE, w, h)
    if side < 32:
        return -1.0  # too small to tell: unknown, never compared
    left, top = (w - side) // 2, (h - side) // 2
    patch = grey.crop((left, top, left + side, top + side))
    base = np.asarray(patch, dtype=np.float32)
    lost_fine = _round_trip_loss(patch, base, 0.6)
    lost_coarse = _round_trip_loss(patch, base, 0.25)
    return lost_fine / lost_coarse if lost_coarse > 1e-3 else -1.0


def jpeg_grid(grey: Image.Image) -> float:
    """Pixel steps across 8×8 block boundaries over steps inside blocks, on a native-resolution
    patch on the file's own grid. JPEG leaves its block grid in the pixels (> ~1.1), and it
    survives a lossless re-save (a PNG of a JPEG); a never-compressed image has ~1.0."""
    w, h = grey.size
    side = min(512, w, h) // 8 * 8
    if side < 16:
        return 1.0
    left, top = (w - side) // 2 // 8 * 8, (h - side) // 2 // 8 * 8
    g = np.asarray(grey.crop((left, top, left + side, top + side)), dtype=np.float32)
    dx, dy = np.abs(np.diff(g, axis=1)), np.abs(np.diff(g, axis=0))
    edge = np.arange(side - 1) % 8 == 7
    across = (dx[:, edge].mean() + dy[edge].mean()) / 2
    inside = (dx[:, ~edge].mean() + dy[~edge].mean()) / 2
    return float(across / inside) if inside > 1e-3 else 1.0


def histogram_comb(rgb: Image.Image) -> float:
    """How rough the colour histograms are: level to level, the mean departure of each count
    from its neighbours' average, over the counts. A tone or colour edit of 8-bit data (contrast,
    brightness, saturation, curves) maps 256 levels onto more or fewer, leaving empty levels and
    spikes (a comb); a camera's own decode has smooth histograms. Only comparable between files
    with the same number of pixels (sampling noise grows as pixels shrink). Large pictures are
    sampled on a regular grid of about COMB_PIXELS pixels: exact values (resampling would
    smooth the comb away), the same grid for files of the same size."""
    stride = max(1, int((rgb.width * rgb.height / COMB_PIXELS) ** 0.5))
    values = np.asarray(rgb)[::stride, ::stride]
    rough = []
    for channel in range(3):
        counts = np.bincount(values[..., channel].ravel(), minlength=256).astype(np.float64)
        used = np.nonzero(counts)[0]
        inner = counts[used[0] + 2:used[-1] - 1]  # clipped ends are spikes of their own
        if inner.size < 16:
            return 0.0  # too few levels (a graphic): unknown, never compared
        middle = inner[1:-1]
        rough.append(np.abs(middle - (inner[:-2] + inner[2:]) / 2).sum() / max(middle.sum(), 1))
    return float(np.mean(rough))


def _round_trip_loss(patch: Image.Image, base: np.ndarray, factor: float) -> float:
    side = patch.width
    small = patch.resize((max(4, round(side * factor)),) * 2, Image.Resampling.LANCZOS)
    back = np.asarray(small.resize((side, side), Image.Resampling.BICUBIC), dtype=np.float32)
    return float(np.abs(base - back).mean())


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
    chroma = _chroma(np.asarray(small))
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


def _chroma(rgb: np.ndarray) -> float:
    """Mean spread between the colour channels (0 for greyscale, whatever the container)."""
    values = rgb.astype(np.int16)
    return float((values.max(axis=2) - values.min(axis=2)).mean())
