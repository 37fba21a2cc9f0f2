"""How the pixel rules read a picture: its grey levels resampled onto a grid (fit), and what
was computed for the picture once, kept while the picture lives (of_picture).

Why a module of its own: the placement search (pixel_search.py), the residual (pixels.py) and
the rules built on them (overlap, displacement, frames, alignment) resample pictures the same
way and share one memo per picture: a picture is compared with many others, and is prepared
once.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Any

import numpy as np
from PIL import Image

WORK = 192  # long side of the fine comparison grid

Rect = tuple[float, float, float, float]


def fit(image: Image.Image, side: int, box: Rect | None = None,
         size: tuple[int, int] | None = None) -> np.ndarray:
    """`box` of `image` resampled to `size` (default: long side `side`), float32 grey."""
    box = box or (0.0, 0.0, float(image.width), float(image.height))
    if size is None:
        w, h = box[2] - box[0], box[3] - box[1]
        k = side / max(w, h)
        size = (max(1, round(w * k)), max(1, round(h * k)))
    return np.asarray(image.resize(size, Image.Resampling.BILINEAR, box=box), dtype=np.float32)


def normalised(x: np.ndarray) -> np.ndarray:
    """Zero mean, unit spread: what a correlation compares."""
    return (x - x.mean()) / (x.std() + 1e-6)


def shrunk(image: Image.Image, side: int) -> Image.Image:
    """`image` box-reduced to about `side` px on its long side (unchanged if already small)."""
    factor = max(image.size) // side
    return image.reduce(factor) if factor >= 2 else image


def grid_side(picture: Image.Image, other: tuple[float, float]) -> int:
    """The residual grid's long side: WORK, or the long side of the smaller of `picture` and
    `other` (the other picture's part being compared, in its pixels) where that is less. Why: a grid
    finer than a picture's own pixels only magnifies its compression noise against the 3×3
    blur meant to remove it (a messenger re-save of a 128 × 96 picture at 0.6×, 77 × 58 px:
    a third of bench_scale's small re-saves "differed" from their originals at 192 px)."""
    return max(1, min(WORK, max(picture.size), round(max(other))))


_PER_PICTURE: dict[int, dict[Hashable, Any]] = {}  # by id, while the picture is alive


def of_picture(image: Image.Image) -> dict[Hashable, Any]:
    """What was computed for one picture (its grey view, coarse grid, thumbnail), kept while
    the picture lives: a picture is compared with many others. Forgotten when it is."""
    key = id(image)
    memo = _PER_PICTURE.get(key)
    if memo is None:
        memo = _PER_PICTURE[key] = {}
        weakref.finalize(image, _PER_PICTURE.pop, key, None)
    return memo
