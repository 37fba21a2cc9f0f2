"""The compare view's difference picture: where two aligned pictures differ, as a heat map.

Why: a person deciding between a photo and its copy wants to see *what* changed (a caption, a
sticker, a retouched face, a moved subject), not to hunt for it side by side. After alignment
(alignment.py) the absolute grey-level difference shows it; a gain/offset fit first removes
exposure and contrast edits, and a 3×3 box blur removes JPEG and resampling noise (as
pixels.py does for verification), so a plain re-save reads black and an edit reads bright.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grids import blur3
from dedup_gui.engine.grouping.alignment import Alignment

GAIN = 3.0  # grey levels are amplified: a 20-level change already reads as bright red
OUTSIDE = (40, 40, 60)  # where b does not cover a: neither same nor changed


def difference(a: Image.Image, b: Image.Image, found: Alignment,
               a_size: tuple[int, int] | None = None) -> Image.Image:
    """An RGB heat map the size of decoded picture `a`: black where b (drawn by `found`, whose
    sizes are the files' full sizes: `a_size` and found.b_size) matches a, red to yellow to
    white where it differs; OUTSIDE where b does not reach."""
    a_size = a_size or a.size
    grey_a = np.asarray(a.convert("L"), dtype=np.float32)
    warped, covered = _warp(b.convert("L"), found, a.size, a_size)
    if not covered.any():
        return Image.new("RGB", a.size, OUTSIDE)
    diff = _residual(grey_a, warped, covered)
    heat = _heat(np.clip(diff * GAIN, 0, 255))
    heat[blur3(covered.astype(np.float32)) < 0.999] = OUTSIDE  # the footprint's rim too
    return Image.fromarray(heat)


def _warp(b: Image.Image, found: Alignment, size: tuple[int, int],
          a_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """b resampled onto decoded a's pixel grid, and the mask of pixels it covers."""
    m11, m12, m21, m22, dx, dy = found.affine()  # b full -> a full
    to_a = np.array([[m11, m21, dx], [m12, m22, dy], [0, 0, 1]], dtype=np.float64)
    b_full = np.diag([found.b_size[0] / b.width, found.b_size[1] / b.height, 1.0])
    a_dec = np.diag([size[0] / a_size[0], size[1] / a_size[1], 1.0])
    forward = a_dec @ to_a @ b_full  # decoded b -> decoded a
    shrink = float(np.sqrt(abs(np.linalg.det(forward[:2, :2]))))
    if shrink < 0.9:  # drawn smaller: shrink it first with a proper filter (no aliasing)
        size_b = (max(1, round(b.width * shrink)), max(1, round(b.height * shrink)))
        forward = forward @ np.diag([b.width / size_b[0], b.height / size_b[1], 1.0])
        b = b.resize(size_b, Image.Resampling.LANCZOS)
    inverse = np.linalg.inv(forward)  # decoded a -> decoded b
    coefficients = tuple(inverse[:2].reshape(-1).tolist())
    warped = b.transform(size, Image.Transform.AFFINE, coefficients, Image.Resampling.BILINEAR)
    ones = Image.new("L", b.size, 255).transform(size, Image.Transform.AFFINE, coefficients,
                                                 Image.Resampling.NEAREST)
    return np.asarray(warped, dtype=np.float32), np.asarray(ones) > 0


def _residual(a: np.ndarray, b: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """|a − b| after fitting b's brightness and contrast to a's where both exist; both sides
    blurred first, so resampling and sub-pixel shifts in fine texture do not read as edits."""
    a, b = blur3(a), blur3(b)
    sa, sb = a[covered], b[covered]
    fitted = (b - sb.mean()) * (sa.std() / (sb.std() + 1e-6)) + sa.mean()
    return blur3(np.abs(fitted - a) * covered)


def _heat(level: np.ndarray) -> np.ndarray:
    """0..255 -> black, red, yellow, white (a 'hot' colour map: brighter is more changed)."""
    rgb = np.stack([level * 3, level * 3 - 255, level * 3 - 510], axis=-1)
    return np.clip(rgb, 0, 255).astype(np.uint8)
