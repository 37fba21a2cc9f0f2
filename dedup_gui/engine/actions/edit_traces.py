"""The pixel measures behind a file's provenance facts (provenance_facts.py): traces that
edits, re-saves and synthetic frames leave in pixels and JPEG tables, each true of edits in
general, none tied to one photo set.

Why a module of its own: these are pure array measures (no files, no EXIF), each tested on
pictures made for it; provenance_facts.py reads a file and puts them together.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

DETAIL_SIDE = 384  # native-resolution centre patch for the detail measure
COMB_PIXELS = 2_000_000  # about this many pixels sampled for the histogram comb
# IJG's standard luminance table (quality 50); quality q scales it (libjpeg's jcparam.c).
_IJG_LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69,
    56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81,
    104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
], dtype=np.float64)


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


def chroma_of(rgb: np.ndarray) -> float:
    """Mean spread between the colour channels (0 for greyscale, whatever the container)."""
    values = rgb.astype(np.int16)
    return float((values.max(axis=2) - values.min(axis=2)).mean())
