"""overlap.shared: where two crops of one photo overlap in part."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grouping.overlap import COARSE, MIN_SHARED, SCALES, Fixed, _masked_ncc, shared
from dedup_gui.engine.grouping.picture_grid import fit
from tests.engine.grouping.test_displacement import export


def test_the_shared_rectangles_of_two_crops_that_overlap_in_part() -> None:
    """Crops (0, 0)-(900, 675) and (400, 300)-(1000, 750) of one photo, each scaled to 480 px
    wide: they share (400, 300)-(900, 675), i.e. (213, 160)-(480, 360) of the first and
    (0, 0)-(400, 300) of the second. Neither holds the other, so a placement of one whole
    inside the other cannot find this; the masked search does, inside the shared part by
    about a coarse pixel (10 px here, up to 27 px in the moved picture's own pixels)."""
    first = export((0, 0, 900, 675)).convert("L")
    _, in_second, in_first, _ = shared(first, export((400, 300, 1000, 750)).convert("L"))
    for found, truth in ((in_second, (0, 0, 400, 300)), (in_first, (213, 160, 480, 360))):
        assert np.allclose(found, truth, atol=30)
        assert found[0] >= truth[0] - 3 and found[1] >= truth[1] - 3
        assert found[2] <= truth[2] + 3 and found[3] <= truth[3] + 3


def test_unrelated_textures_correlate_less_than_a_shared_part() -> None:
    """The evidence of a real overlap stands far above that of two crops that share nothing."""
    first = export((0, 0, 900, 675)).convert("L")
    real = shared(first, export((400, 300, 1000, 750)).convert("L"))[0]
    none = shared(first, export((920, 680, 1200, 890)).convert("L"))[0]
    assert real > 2 * none


def _reference(fixed: np.ndarray, small: np.ndarray, least: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """The masked NCC of `small` at every offset over `fixed`, one scale at a time and every
    window statistic its own full correlation (float64 FFTs at the full correlation's shape):
    what overlap._masked_ncc computes with running sums, one shared FFT shape and a batch."""
    shape = (fixed.shape[0] + small.shape[0] - 1, fixed.shape[1] + small.shape[1] - 1)

    def corr(one: np.ndarray, two: np.ndarray) -> np.ndarray:
        full = fft.irfft2(fft.rfft2(one, shape) * np.conj(fft.rfft2(two, shape)), shape)
        return np.roll(full, (small.shape[0] - 1, small.shape[1] - 1), axis=(0, 1))

    ones_b, ones_s = np.ones_like(fixed), np.ones_like(small)
    n = np.round(corr(ones_b, ones_s))
    sb, ss = corr(fixed, ones_s), corr(ones_b, small)
    var_b = corr(fixed * fixed, ones_s) - sb * sb / np.maximum(n, 1)
    var_s = corr(ones_b, small * small) - ss * ss / np.maximum(n, 1)
    cov = corr(fixed, small) - sb * ss / np.maximum(n, 1)
    valid = (n >= least) & (var_b > n) & (var_s > n)
    return np.where(valid, cov / np.sqrt(np.maximum(var_b * var_s, 1e-6)), -1.0), n


def test_the_batched_search_equals_one_scale_at_a_time() -> None:
    """Every scale's map from the batched search (one FFT shape, running sums) equals the
    per-scale masked correlation, for a crop moved over the photo, the photo over its crop,
    a portrait over a landscape and a flat picture (no valid window)."""
    photo = export((0, 0, 900, 675)).convert("L")
    part = export((400, 300, 1000, 750)).convert("L")
    portrait = part.transpose(Image.Transpose.ROTATE_90)
    flat = Image.new("L", (300, 200), 90)
    for fixed_image, moved in ((photo, part), (part, photo), (photo, portrait),
                               (portrait, photo), (photo, flat)):
        fixed = Fixed(fixed_image)
        sizes = [(round(fixed.grid.shape[1] * s),) for s in SCALES]
        sizes = [(w, round(w * moved.height / moved.width)) for (w,) in sizes]
        sizes = [(w, h) for w, h in sizes if min(w, h) >= 6 and h <= 2 * fixed.grid.shape[0]]
        smalls = [fit(moved, COARSE, size=size).astype(np.float64) for size in sizes]
        assert smalls
        for small, (ncc, n) in zip(smalls, _masked_ncc(fixed, smalls), strict=True):
            want_ncc, want_n = _reference(fixed.grid, small, MIN_SHARED * small.size)
            assert np.array_equal(n, want_n)
            assert np.allclose(ncc, want_ncc, atol=1e-9)
    assert shared(Fixed(photo), part) == shared(photo, part)
