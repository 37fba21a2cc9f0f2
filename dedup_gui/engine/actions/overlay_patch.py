"""Where two placed copies differ, as one compact patch, or not at all (overlay.py, step 3).

Why these gates: a pasted sticker or a line of text changes one place and leaves the rest of
the photo exactly as it was (after the tone fit), whatever the photo and the edit. Re-encoding
and resampling change every edge a little: a difference is counted only above a floor that
grows with the noise of the whole comparison and with the texture both copies share at that
pixel (a resampled edge differs where both copies have the edge; a sticker's outline is only in
one). What is left must be one patch: at most MAX_BOX of the frame, with almost nothing changed
outside it. Numpy only (no scipy in the app bundle).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR = 24.0  # colour levels (of 255): below this no paste is told from JPEG noise
NOISE_FACTOR = 4.0  # ... or this many times the comparison's median difference, if higher
SHARED_EDGE = 1.0  # the floor also rises by this share of the texture both copies have there
CELL = 4  # px per cell of the grid the patch is traced on (joins a word's letters)
MIN_SHARE, MAX_SHARE = 0.0008, 0.2  # changed pixels: a few glyphs .. a large sticker
MAX_BOX = 0.3  # the patch's bounding box: at most this share of the photo
QUIET = 0.1  # changed pixels outside the patch: at most this share of those inside


@dataclass(frozen=True, slots=True)
class Patch:
    """The changed pixels of the one compact patch (`mask`, H×W bool) and the outline ring
    just around them (`ring`)."""

    mask: np.ndarray
    ring: np.ndarray
    share: float
    box: float


def shift(mask: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """`mask` moved by (dy, dx), zero-filled."""
    out = np.zeros_like(mask)
    h, w = mask.shape
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        mask[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def dilate(mask: np.ndarray, radius: int = 1) -> np.ndarray:
    out = mask.copy()
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            out |= shift(mask, dy, dx)
    return out


def erode(mask: np.ndarray, radius: int = 1) -> np.ndarray:
    return ~dilate(~mask, radius)


def local_max(values: np.ndarray) -> np.ndarray:
    """3×3 maximum filter."""
    out = values.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out = np.maximum(out, shift(values, dy, dx))
    return out


def gradient(rgb: np.ndarray) -> np.ndarray:
    """Edge strength per pixel: the strongest channel's (text can differ from the photo under
    it in colour only)."""
    gy, gx = np.gradient(rgb, axis=(0, 1))
    strength = np.hypot(gx, gy)
    return np.maximum(np.maximum(strength[..., 0], strength[..., 1]), strength[..., 2])


def changed(a: np.ndarray, b: np.ndarray, grad_a: np.ndarray, grad_b: np.ndarray
            ) -> np.ndarray:
    """Pixels where the colour differs beyond noise and beyond what shared edges explain;
    lone pixels dropped (each needs two changed neighbours)."""
    d = np.abs(a - b)
    difference = np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2])
    floor = max(FLOOR, NOISE_FACTOR * float(np.median(difference)))
    mask = difference > floor + SHARED_EDGE * local_max(np.minimum(grad_a, grad_b))
    neighbours = sum(shift(mask, dy, dx).astype(np.int8) for dy in (-1, 0, 1)
                     for dx in (-1, 0, 1))
    return mask & (neighbours >= 3)


def compact_patch(mask: np.ndarray) -> Patch | None:
    """The largest cluster of changed cells when it is the only real difference: small, in a
    small box, nothing much changed elsewhere; None otherwise."""
    h, w = (n - n % CELL for n in mask.shape)
    if h == 0 or w == 0:
        return None
    cells = mask[:h, :w].reshape(h // CELL, CELL, w // CELL, CELL).sum(axis=(1, 3)) >= 2
    clusters = _clusters(dilate(cells))
    if not clusters:
        return None
    cluster = max(clusters, key=len)
    chosen = np.zeros(cells.shape, dtype=bool)
    ys, xs = zip(*cluster, strict=True)
    chosen[list(ys), list(xs)] = True
    area = np.zeros_like(mask)
    area[:h, :w] = np.repeat(np.repeat(chosen, CELL, 0), CELL, 1)
    inside = mask & area
    share = float(inside.mean())
    box = (max(ys) - min(ys) + 1) * (max(xs) - min(xs) + 1) / chosen.size
    outside = float((mask & ~dilate(area, 2)).mean())
    if not MIN_SHARE <= share <= MAX_SHARE or box > MAX_BOX or outside > QUIET * share:
        return None
    return Patch(inside, dilate(inside) & ~erode(inside), share, box)


def _clusters(cells: np.ndarray) -> list[list[tuple[int, int]]]:
    """8-connected clusters of True cells (a grid of a few thousand cells: plain Python)."""
    seen = np.zeros_like(cells)
    height, width = cells.shape
    found = []
    for y, x in zip(*np.nonzero(cells), strict=True):
        if seen[y, x]:
            continue
        seen[y, x] = True
        todo, cluster = [(int(y), int(x))], []
        while todo:
            cy, cx = todo.pop()
            cluster.append((cy, cx))
            for ny in range(max(cy - 1, 0), min(cy + 2, height)):
                for nx in range(max(cx - 1, 0), min(cx + 2, width)):
                    if cells[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        todo.append((ny, nx))
        found.append(cluster)
    return found
