"""Image-quality measures and flags that help pick keepers and spot junk.

Measured on a small greyscale decode (JPEGs draft-decode at 1/8 scale), resized so the shorter
side is SIDE px, so the numbers mean the same for a 640×480 download and a 6000×4000 original:
- brightness: mean grey level 0-255, with the 5th and 95th percentiles ("shadows",
  "highlights"): "too dark" when even the highlights are below DARK_BELOW (underexposed, a
  pocket shot), "too bright" when even the shadows are above BRIGHT_ABOVE (washed out, blank).
  Percentiles, not the mean, so a low-key photo with a lit subject is not "too dark";
- sharpness: variance of the 4-neighbour Laplacian -> "blurry" below BLUR_BELOW. At this scale
  only blur that a person sees in the whole picture counts (out of focus, motion), not the
  softness of a sharp photo viewed at 100%. Set on the dev sets: every AugLy "blur" variant but
  the lightest scores below ~90 there, and unblurred photos from ~85 up (smooth wallpapers);
- "tiny": the file's shorter side is below TINY_BELOW px (thumbnails, icons, avatar crops).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from dedup_gui.engine.signals.imageio import ImageLoadError, load_image

SIDE = 256
DARK_BELOW = 60.0
BRIGHT_ABOVE = 200.0
BLUR_BELOW = 70.0
TINY_BELOW = 200
FLAGS = ("blurry", "dark", "bright", "tiny")
FLAG_TEXT = {"blurry": "blurry", "dark": "too dark", "bright": "too bright", "tiny": "tiny"}


@dataclass(frozen=True, slots=True)
class Quality:
    """What the measures say about one image; `flags` is derived, in FLAGS order."""

    width: int
    height: int
    brightness: float
    shadows: float  # 5th percentile grey level
    highlights: float  # 95th percentile grey level
    sharpness: float

    @property
    def flags(self) -> tuple[str, ...]:
        found = {"blurry": self.sharpness < BLUR_BELOW, "dark": self.highlights < DARK_BELOW,
                 "bright": self.shadows > BRIGHT_ABOVE,
                 "tiny": min(self.width, self.height) < TINY_BELOW}
        return tuple(flag for flag in FLAGS if found[flag])


def measure_pixels(image: Image.Image, width: int, height: int) -> Quality:
    """The measures of a decoded greyscale image whose file is width × height."""
    short = min(image.size)
    if short > SIDE:
        scale = SIDE / short
        image = image.resize(tuple(max(1, round(side * scale)) for side in image.size),
                             Image.Resampling.BOX)
    pixels = np.asarray(image, dtype=np.float32)
    if not pixels.size:
        return Quality(width, height, 0.0, 0.0, 0.0, 0.0)
    shadows, highlights = np.percentile(pixels, (5, 95))
    sharpness = float(_laplacian(pixels).var()) if min(pixels.shape) >= 3 else 0.0
    return Quality(width, height, round(float(pixels.mean()), 3), round(float(shadows), 3),
                   round(float(highlights), 3), round(sharpness, 3))


def _laplacian(pixels: np.ndarray) -> np.ndarray:
    return (pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
            - 4.0 * pixels[1:-1, 1:-1])


def measure(path: str) -> Quality | str:
    """The file's measures, or why it cannot be read (never raises for a bad file)."""
    try:
        loaded = load_image(path, mode="L", min_side=SIDE)
    except ImageLoadError as error:
        return error.reason
    return measure_pixels(loaded.image, loaded.width, loaded.height)


def measure_batch(paths: Sequence[str]) -> list[Quality | str]:
    """Worker entry point for engine.parallel.map_batches."""
    return [measure(path) for path in paths]
