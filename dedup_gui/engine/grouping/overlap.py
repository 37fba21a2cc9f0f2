"""Where two crops of one photo overlap in part: the shared rectangle of each.

Why: placement (pixel_search.place) looks for one picture inside the other. Two crops of one photo
often overlap only in part (neither holds the other); forced inside, the one lands at a wrong
scale and offset, and its texture then looks displaced everywhere (measured on bench_scan's
camera library: 14 of 59 pairs of crops "another shot"). Here a placement may stick out of
the other picture: the correlation is taken over the shared pixels only, so the right scale
and offset of a partial overlap correlate as well as a whole crop does.

How: at COARSE px, for each scale of a ladder, the masked normalised cross-correlation of one
picture over every offset at which it shares at least MIN_SHARED of its area with the other.
The best offset and scale give each picture's shared rectangle. Only the product of the two
pictures needs an FFT: the sums of each picture and of its square over the shared window, and
the shared pixels, are read from running sums (exact: the grids hold whole grey levels). The
fixed picture's spectrum is taken once at one FFT shape that holds every scale (Fixed: once per
picture, however many pictures are moved over it), and the scales are transformed in one batch
(at COARSE px numpy's per-call overhead was most of the cost: 144 FFTs a search before).
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grouping.picture_grid import fit

COARSE = 48  # long side of the larger picture in the search
# Share of the moved picture's area that must be shared: below a third, a shared window is a
# few hundred coarse pixels and its correlation is noise (and two crops that share less are
# judged by placement.py, not here).
MIN_SHARED = 0.2
SCALES = np.geomspace(1.0, 0.5, 12)  # the moved picture's width over the fixed one's width

Rect = tuple[float, float, float, float]


class Fixed:
    """What every search over one fixed picture shares: its coarse grid, the running sums of
    its grey levels and their squares, and its spectrum at each FFT shape asked for."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.grid = fit(image, COARSE).astype(np.float64)
        self.sums = _running(np.stack([self.grid, self.grid * self.grid]))
        self._spectra: dict[tuple[int, int], np.ndarray] = {}

    def spectrum(self, shape: tuple[int, int]) -> np.ndarray:
        if shape not in self._spectra:
            self._spectra[shape] = fft.rfft2(self.grid, shape)
        return self._spectra[shape]


def shared(fixed: Image.Image | Fixed, moved: Image.Image) -> tuple[float, Rect, Rect, float]:
    """(evidence, the shared rectangle in `moved`'s pixels, the same in `fixed`'s pixels, the
    correlation there) of the best partial placement of `moved` over `fixed`. The evidence is
    the correlation's Fisher z times the square root of the shared coarse pixels: a thin strip
    correlates high by chance (few pixels), so correlation alone would prefer it to the
    real, larger overlap (measured on bench_scan's phone library)."""
    fixed = fixed if isinstance(fixed, Fixed) else Fixed(fixed)
    gh, gw = fixed.grid.shape
    k = gw / fixed.image.width
    sizes = []
    for scale in SCALES:
        w = round(gw * scale)
        h = round(w * moved.height / moved.width)
        if min(w, h) >= 6 and h <= 2 * gh:
            sizes.append((w, h))
    best: tuple[float, Rect, Rect, float] = (-np.inf, (0, 0, 1, 1), (0, 0, 1, 1), -1.0)
    smalls = [fit(moved, COARSE, size=size).astype(np.float64) for size in sizes]
    for (w, h), (ncc, n) in zip(sizes, _masked_ncc(fixed, smalls), strict=True):
        evidence = np.arctanh(ncc.clip(-0.999, 0.999)) * np.sqrt(n)
        y, x = np.unravel_index(int(np.argmax(evidence)), evidence.shape)
        if evidence[y, x] > best[0]:
            best = (float(evidence[y, x]), *_rects((gh, gw), (h, w), x - w + 1, y - h + 1,
                                                     (moved.width / w, moved.height / h, 1 / k)),
                    float(ncc[y, x]))
    return best


def _rects(big: tuple[int, ...], small: tuple[int, int], x: int, y: int,
           scales: tuple[float, float, float]) -> tuple[Rect, Rect]:
    """The shared window of `small` placed at (x, y) over `big` (coarse px), in each
    picture's own pixels."""
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(big[1], x + small[1]), min(big[0], y + small[0])
    # One coarse pixel in from each side: the offset is found to a coarse pixel, and a part
    # that sticks out of the true overlap by a row makes refine() stretch the rest (measured:
    # a phone-library crop pair went from 0 to 20 of 40 tiles off with one row too many).
    x0, y0, x1, y1 = x0 + 1, y0 + 1, x1 - 1, y1 - 1
    sx, sy, to_fixed = scales
    moved = ((x0 - x) * sx, (y0 - y) * sy, (x1 - x) * sx, (y1 - y) * sy)
    return moved, (x0 * to_fixed, y0 * to_fixed, x1 * to_fixed, y1 * to_fixed)


def _masked_ncc(fixed: Fixed, smalls: list[np.ndarray]
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each of `smalls`: the NCC over the shared window at every offset over the fixed
    grid (full correlation: index (y, x) is the offset (x - w + 1, y - h + 1)), -1 where fewer
    than MIN_SHARED of its pixels are shared or either window is flat; and the shared pixels.
    One batched FFT, at a shape that holds the largest one's full correlation, for the
    products of all of them; the window sums from running sums."""
    if not smalls:
        return []
    (gh, gw), largest = fixed.grid.shape, smalls[0].shape
    shape = (fft.next_fast_len(gh + largest[0] - 1, real=True),
             fft.next_fast_len(gw + largest[1] - 1, real=True))
    stack = np.zeros((len(smalls), *shape))
    for i, small in enumerate(smalls):
        stack[i, :small.shape[0], :small.shape[1]] = small
    products = fft.irfft2(fixed.spectrum(shape) * np.conj(fft.rfft2(stack)), shape)
    return [_ncc(fixed, small, product) for small, product in zip(smalls, products, strict=True)]


def _ncc(fixed: Fixed, small: np.ndarray, product: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_masked_ncc's answer for one small picture, given its circular correlation with the
    fixed grid (`product`: negative offsets wrap around)."""
    (gh, gw), (h, w) = fixed.grid.shape, small.shape
    rows, cols = _spans(gh, h), _spans(gw, w)
    sb, bb = _box(fixed.sums, rows[:2], cols[:2])
    ss, sss = _box(_running(np.stack([small, small * small])), rows[2:4], cols[2:4])
    n = np.outer(rows[1] - rows[0], cols[1] - cols[0])
    share = np.maximum(n, 1)
    var_b, var_s = bb - sb * sb / share, sss - ss * ss / share
    cov = product.take(rows[4], 0).take(cols[4], 1) - sb * ss / share
    valid = (n >= MIN_SHARED * w * h) & (var_b > n) & (var_s > n)  # 1 grey level of spread
    return np.where(valid, cov / np.sqrt(np.maximum(var_b * var_s, 1e-6)), -1.0), n


def _spans(big: int, small: int) -> tuple[np.ndarray, ...]:
    """Along one axis, for every offset o of the full correlation (o = index - small + 1): the
    shared span's start and end in the big picture, the same in the small one, and o."""
    offset = np.arange(big + small - 1) - (small - 1)
    start, end = np.maximum(offset, 0), np.minimum(offset + small, big)
    return start, end, start - offset, end - offset, offset


def _box(s: np.ndarray, rows: tuple[np.ndarray, ...], cols: tuple[np.ndarray, ...]
         ) -> np.ndarray:
    """Sums over the windows rows[0][i]:rows[1][i] × cols[0][j]:cols[1][j] (every i, j) of
    each channel, from its running sums `s` (channels × rows × columns, zero first row and
    column). Gathered by take, axis by axis (a 2-D fancy index was most of the search's
    cost), rows first: the differences are whole grey levels, exact in any order."""
    across = s.take(rows[1], 1) - s.take(rows[0], 1)
    return across.take(cols[1], 2) - across.take(cols[0], 2)


def _running(grids: np.ndarray) -> np.ndarray:
    """Running sums of each channel over its rows and columns, with a zero first row and
    column (float64: exact here)."""
    sums = np.zeros((grids.shape[0], grids.shape[1] + 1, grids.shape[2] + 1))
    np.cumsum(grids, 1, out=sums[:, 1:, 1:])
    np.cumsum(sums[:, 1:, 1:], 2, out=sums[:, 1:, 1:])
    return sums
