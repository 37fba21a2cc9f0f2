"""Where two crops of one photo overlap in part: the shared rectangle of each.

Why: placement (pixels.place) looks for one picture inside the other. Two crops of one photo
often overlap only in part (neither holds the other); forced inside, the one lands at a wrong
scale and offset, and its texture then looks displaced everywhere (measured on bench_scan's
camera library: 14 of 59 pairs of crops "another shot"). Here a placement may stick out of
the other picture: the correlation is taken over the shared pixels only, so the right scale
and offset of a partial overlap correlate as well as a whole crop does.

How: at COARSE px, for each scale of a ladder, the masked normalised cross-correlation of one
picture over every offset at which it shares at least MIN_SHARED of its area with the other
(six FFT correlations per scale: sums of each picture, its square, and the product, over the
shared window). The best offset and scale give each picture's shared rectangle.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grouping.pixels import fit

COARSE = 48  # long side of the larger picture in the search
# Share of the moved picture's area that must be shared: below a third, a shared window is a
# few hundred coarse pixels and its correlation is noise (and two crops that share less are
# judged by placement.py, not here).
MIN_SHARED = 0.2
SCALES = np.geomspace(1.0, 0.5, 12)  # the moved picture's width over the fixed one's width

Rect = tuple[float, float, float, float]


def shared(fixed: Image.Image, moved: Image.Image) -> tuple[float, Rect, Rect, float]:
    """(evidence, the shared rectangle in `moved`'s pixels, the same in `fixed`'s pixels, the
    correlation there) of the best partial placement of `moved` over `fixed`. The evidence is
    the correlation's Fisher z times the square root of the shared coarse pixels: a thin strip
    correlates high by chance (few pixels), so correlation alone would prefer it to the
    real, larger overlap (measured on bench_scan's phone library)."""
    grid = fit(fixed, COARSE)
    k = grid.shape[1] / fixed.width
    best: tuple[float, Rect, Rect, float] = (-np.inf, (0, 0, 1, 1), (0, 0, 1, 1), -1.0)
    for scale in SCALES:
        w = round(grid.shape[1] * scale)
        h = round(w * moved.height / moved.width)
        if min(w, h) < 6 or h > 2 * grid.shape[0]:
            continue
        ncc, n = _masked_ncc(grid, fit(moved, COARSE, size=(w, h)), MIN_SHARED * w * h)
        evidence = np.arctanh(ncc.clip(-0.999, 0.999)) * np.sqrt(n)
        y, x = np.unravel_index(int(np.argmax(evidence)), evidence.shape)
        if evidence[y, x] > best[0]:
            best = (float(evidence[y, x]), *_rects(grid.shape, (h, w), x - w + 1, y - h + 1,
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


def _masked_ncc(big: np.ndarray, small: np.ndarray, least: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """NCC over the shared window at every offset of `small` over `big` (full correlation:
    index (y, x) is the offset (x - w + 1, y - h + 1)), -1 where fewer than `least` pixels
    are shared or either window is flat; and the shared pixels."""
    shape = (big.shape[0] + small.shape[0] - 1, big.shape[1] + small.shape[1] - 1)
    ones_b, ones_s = np.ones_like(big), np.ones_like(small)
    spectra = {name: fft.rfft2(x, shape) for name, x in
               (("b", big), ("bb", big * big), ("1b", ones_b))}
    flipped = {name: np.conj(fft.rfft2(x, shape)) for name, x in
               (("s", small), ("ss", small * small), ("1s", ones_s))}

    def corr(one: str, two: str) -> np.ndarray:
        full = fft.irfft2(spectra[one] * flipped[two], shape)
        return np.roll(full, (small.shape[0] - 1, small.shape[1] - 1), axis=(0, 1))

    n = np.round(corr("1b", "1s"))
    sb, ss = corr("b", "1s"), corr("1b", "s")
    var_b = corr("bb", "1s") - sb * sb / np.maximum(n, 1)
    var_s = corr("1b", "ss") - ss * ss / np.maximum(n, 1)
    cov = corr("b", "s") - sb * ss / np.maximum(n, 1)
    valid = (n >= least) & (var_b > n) & (var_s > n)  # at least 1 grey level of spread
    return np.where(valid, cov / np.sqrt(np.maximum(var_b * var_s, 1e-6)), -1.0), n
