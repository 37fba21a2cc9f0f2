"""Small operations on 2-D grey grids that the verification searches run thousands of times a
scan: an edge-padded copy, a 3×3 box blur and each row's 90th percentile.

Why not np.pad: its generic path costs ~50 µs a call whatever the grid's size, and on
bench_scale's 20k library (128 × 96 pictures) the verification's blurs made 38,000 such calls,
8% of the comparing stage's CPU. These give the same values (the blur adds its nine terms in
the same order), so no verdict changes. The percentile is np.percentile's own arithmetic
(linear interpolation between the two order statistics, Python-float weight) without its
generic set-up: half its time. Also a picture as grey levels at a size and a gain/offset tone
fit, which the two ink rules (grouping/screen_ink.py, grouping/own_marks.py) both read.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def edge_padded(grid: np.ndarray, n: int) -> np.ndarray:
    """`grid` with `n` rows and columns added on each side, copies of its edge pixels (what
    np.pad(grid, n, mode="edge") gives)."""
    h, w = grid.shape
    out = np.empty((h + 2 * n, w + 2 * n), dtype=grid.dtype)
    out[n:n + h, n:n + w] = grid
    out[:n, n:n + w] = grid[0]
    out[n + h:, n:n + w] = grid[-1]
    out[:, :n] = out[:, n:n + 1]
    out[:, n + w:] = out[:, n + w - 1:n + w]
    return out


def blur3(grid: np.ndarray) -> np.ndarray:
    """3×3 box mean, edge-padded."""
    h, w = grid.shape
    p = edge_padded(grid, 1)
    total = p[:h, :w].copy()
    for i in range(3):
        for j in range(3):
            if i or j:
                total += p[i:i + h, j:j + w]
    return total / 9


def row_p90(rows: np.ndarray) -> np.ndarray:
    """np.percentile(rows, 90, axis=1), bit for bit: the two order statistics around the
    90th percentile's position, interpolated as numpy interpolates them."""
    n = rows.shape[1]
    position = (n - 1) * np.true_divide(90, 100)
    below = int(np.floor(position))
    above = min(below + 1, n - 1)
    weight = float(position - below)
    ordered = np.partition(rows, [below, above], axis=1)
    low, high = ordered[:, below], ordered[:, above]
    step = high - low
    return high - step * (1 - weight) if weight >= 0.5 else low + step * weight


def grey_at(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """`image` as grey levels at `size` (box-averaged: every source pixel counts alike)."""
    return np.asarray(image.convert("L").resize(size, Image.Resampling.BOX), dtype=np.float32)


def tone_fitted(source: np.ndarray, target: np.ndarray, rounds: int = 1) -> np.ndarray:
    """`source` mapped onto `target` by one gain and offset (a copy's brightness or contrast),
    least squares over every pixel; with more `rounds`, each fitted again on the 60 % of
    pixels that agreed best with the last, so marks on either side do not pull the fit."""
    x, y = source.ravel().astype(np.float64), target.ravel().astype(np.float64)
    keep = np.ones(x.size, dtype=bool)
    gain, offset = 1.0, 0.0
    for round_ in range(rounds):
        if round_:
            residual = np.abs(x * gain + offset - y)
            keep = residual <= np.percentile(residual, 60)
        xs, ys = x[keep], y[keep]
        spread = float(xs.var())
        gain = float(((xs - xs.mean()) * (ys - ys.mean())).mean()) / spread \
            if spread > 1e-6 else 1.0
        offset = float(ys.mean()) - gain * float(xs.mean())
    return np.clip(source * np.float32(gain) + np.float32(offset), 0, 255)
