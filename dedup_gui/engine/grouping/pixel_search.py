"""The placement search: where one picture lies inside another (scale and offset), coarse by
normalised cross-correlation over a ladder of scales, then refined by Gauss-Newton.

Why a module of its own: pixels.py (the residual of a pair), placement.py (is one picture
placed in the other at all), displacement.py and alignment.py all place pictures, and the
search is where verification spends most of its time: its kernels (one FFT over a batch of
templates, running sums for the local variance, a Jacobian factored once per level) are kept
together, measured and tested as one (tests/engine/grouping/test_search_kernels.py).
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grids import blur3
from dedup_gui.engine.grouping.picture_grid import (
    Rect,
    fit,
    grid_side,
    normalised,
    of_picture,
    shrunk,
)

COARSE = 48  # long side of the placement search
COARSE_REFINE = 64  # long side of refine()'s first level
_YES_NO_BATCH = 4  # scales correlated at once in a yes/no search (place)
_SCALES = np.geomspace(1.0, 0.55, 16)  # the smaller view's share of the larger one's side


class _Searched:
    """What the NCC of every small picture in one big picture shares: the big picture's
    spectrum and its running sums (computed once per place(), not once per scale: a third of
    the FFTs and all the sums)."""

    def __init__(self, big: np.ndarray) -> None:
        self.shape = big.shape
        self.spectrum = fft.rfft2(big, self.shape)
        self.s1 = np.pad(big.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        self.s2 = np.pad((big * big).cumsum(0).cumsum(1), ((1, 0), (1, 0)))


def _searched(big: Image.Image) -> _Searched:
    """_Searched of `big` at COARSE px, once per picture (it is searched by many others)."""
    memo = of_picture(big)
    if "searched" not in memo:
        memo["searched"] = _Searched(fit(big, COARSE))
    return memo["searched"]


def _ncc_maps(big: _Searched, smalls: list[np.ndarray]) -> list[np.ndarray]:
    """Normalised cross-correlation of each of `smalls` at every offset inside `big` (valid
    offsets). One FFT over the stacked (zero-padded) templates, not one per template: at
    COARSE px the transforms are tiny and numpy's per-call overhead was most of their cost
    (117k calls measured on bench_scan's camera library). Each template is transformed as
    rfft2(t, shape) would pad it, so every map equals the one-at-a-time result."""
    bh, bw = big.shape
    stack = np.zeros((len(smalls), bh, bw), dtype=np.float32)
    for i, small in enumerate(smalls):
        stack[i, :small.shape[0], :small.shape[1]] = normalised(small)
    corrs = fft.irfft2(big.spectrum * np.conj(fft.rfft2(stack)), (bh, bw))
    maps = []
    for corr, small in zip(corrs, smalls, strict=True):
        sh, sw = small.shape
        n = sh * sw
        mean = _window(big.s1, sh, sw) / n
        var = np.maximum(_window(big.s2, sh, sw) / n - mean * mean, 1e-3)
        maps.append(corr[: bh - sh + 1, : bw - sw + 1] / (n * np.sqrt(var)))
    return maps


def _window(s: np.ndarray, sh: int, sw: int) -> np.ndarray:
    """Sums over every sh × sw window, from running sums `s` (zero-padded first row/column)."""
    return s[sh:, sw:] - s[:-sh, sw:] - s[sh:, :-sw] + s[:-sh, :-sw]


def place(big: Image.Image, small: Image.Image, enough: float = 2.0) -> tuple[float, Rect]:
    """Best NCC and the rectangle (in `big`'s pixels) that `small` covers; with `enough`, the
    first scale whose NCC reaches it ends the search (a yes/no question: is it placed?). The
    scales are correlated in batches (_ncc_maps): all at once for a full search, a few at a
    time for a yes/no one (most copies are placed at one of the first scales)."""
    searched = _searched(big)
    k = searched.shape[1] / big.width
    inside = min(searched.shape[1] / small.width, searched.shape[0] / small.height)
    small_w, small_h = small.size
    small = shrunk(small, 2 * COARSE)  # one box reduction, then cheap resizes per scale
    sizes = []
    for scale in _SCALES:
        w, h = round(small_w * inside * scale), round(small_h * inside * scale)
        if min(w, h) < 6:
            break
        sizes.append((w, h))
    batch = max(1, len(sizes)) if enough > 1 else _YES_NO_BATCH
    best = (-2.0, (0.0, 0.0, float(big.width), float(big.height)))
    for start in range(0, len(sizes), batch):
        chunk = sizes[start:start + batch]
        maps = _ncc_maps(searched, [fit(small, COARSE, size=size) for size in chunk])
        for (w, h), ncc in zip(chunk, maps, strict=True):
            y, x = np.unravel_index(int(np.argmax(ncc)), ncc.shape)
            if ncc[y, x] > best[0]:
                best = (float(ncc[y, x]), (x / k, y / k, (x + w) / k, (y + h) / k))
                if best[0] >= enough:
                    return best
    return best


def refine(big: Image.Image, small: Image.Image, rect: Rect) -> Rect:
    """Gauss–Newton on the rectangle's edges (x0, y0, x1, y1) so that `big`'s rect matches
    `small`, coarse to fine: a wide basin at COARSE_REFINE px first, then precision on the
    residual's own grid (grid_side: WORK px, or the smaller picture's size where that is
    less). Why not WORK always: a grid finer than either picture adds no precision, only
    upsampled pixels to fit (bench_scale's 128 × 96 library: refine was a third of its
    comparing stage, on 192-px grids of 77-px pictures)."""
    r = inside(np.array(rect, dtype=np.float64), big)
    fine = grid_side(small, (rect[2] - rect[0], rect[3] - rect[1]))
    for side in (COARSE_REFINE, fine) if fine > COARSE_REFINE else (fine,):
        r = _refine_at(big, small, r, side)
    return tuple(r.tolist())


def _refine_at(big: Image.Image, small: Image.Image, r: np.ndarray, side: int) -> np.ndarray:
    """One level: `big` box-reduced to about twice the level's size first (each iteration
    resamples it), the rectangle scaled with it."""
    factor = max(1, max(big.size) // (2 * side))
    if factor > 1:
        reduced = big.reduce(factor)
        k = np.array([reduced.width / big.width, reduced.height / big.height] * 2)
        return inside(_refine_at(reduced, small, inside(r * k, reduced), side) / k, big)
    target = blur3(fit(small, side))
    h, w = target.shape
    gy, gx = np.gradient(target)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (xs + 0.5) / w, (ys + 0.5) / h
    jac = np.stack([gx * (1 - u), gy * (1 - v), gx * u, gy * v], axis=-1).reshape(-1, 4)
    solve = _least_squares(jac)
    spread, level = target.std(), target.mean()
    for _ in range(4):
        warped = blur3(fit(big, side, box=tuple(r), size=(w, h)))
        diff = (warped - warped.mean()) * (spread / (warped.std() + 1e-6))
        diff = (diff + level - target).reshape(-1)
        px = np.array([(r[2] - r[0]) / w, (r[3] - r[1]) / h] * 2)
        step = solve @ (jac.T @ -diff)
        r = inside(r + np.clip(step, -3, 3) * px, big)
        if np.abs(step).max() < 0.05:
            break
    return r


def _least_squares(jac: np.ndarray) -> np.ndarray:
    """The 4 × 4 matrix that takes jac.T @ y to the least-squares step (normal equations,
    float64): the Jacobian is the same for every iteration of a level, so it is factored
    once, not in every iteration's lstsq (those were a tenth of the displacement rule's
    cost). Singular directions are cut as float32 lstsq cuts them (a flat picture: no step).
    Both sides of the product float64: a float64 × float32 product skips BLAS (10× slower)."""
    cut = (np.finfo(np.float32).eps * max(jac.shape)) ** 2
    wide = jac.astype(np.float64)
    return np.linalg.pinv(wide.T @ wide, rcond=cut, hermitian=True)


def inside(r: np.ndarray, image: Image.Image) -> np.ndarray:
    """The rectangle clipped to the image, at least 2 px wide and high."""
    r = np.clip(r, 0, [image.width, image.height] * 2)
    r[2] = max(r[2], min(image.width, r[0] + 2))
    r[3] = max(r[3], min(image.height, r[1] + 2))
    r[0] = min(r[0], r[2] - 2)
    r[1] = min(r[1], r[3] - 2)
    return r
