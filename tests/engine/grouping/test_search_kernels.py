"""The verification rules' search kernels: batched correlation gives the one-at-a-time answer."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping import pixel_search
from dedup_gui.engine.grouping.picture_grid import fit, shrunk
from dedup_gui.engine.grouping.pixel_search import COARSE, _ncc_maps, _Searched, place
from dedup_gui.engine.grouping.placement import turned
from tests.engine.grouping.pictures import crop, jpeg, scene

PHOTO = scene(5, (640, 480)).convert("L")  # verify compares grey views
COPY = jpeg(crop(PHOTO, 0.15), 70, 0.6).convert("L")


def ladder() -> tuple[_Searched, list[np.ndarray]]:
    """The big picture's search state and the small one at every scale of place()'s ladder."""
    big = fit(PHOTO, COARSE)
    inside = min(big.shape[1] / COPY.width, big.shape[0] / COPY.height)
    sizes = [(round(COPY.width * inside * s), round(COPY.height * inside * s))
             for s in pixel_search._SCALES]
    reduced = shrunk(COPY, 2 * COARSE)  # as place() resamples it
    return _Searched(big), [fit(reduced, COARSE, size=size) for size in sizes]


def test_one_batched_correlation_equals_each_template_alone() -> None:
    """Templates of every size in one stacked FFT: each map is its own template's (padding
    of one template must not leak into another's)."""
    searched, smalls = ladder()
    together = _ncc_maps(searched, smalls)
    for small, batched in zip(smalls, together, strict=True):
        alone = _ncc_maps(searched, [small])[0]
        assert batched.shape == alone.shape
        np.testing.assert_allclose(batched, alone, atol=1e-5)
        assert np.argmax(batched) == np.argmax(alone)


def test_a_yes_no_search_ends_at_the_first_scale_that_reaches_it() -> None:
    """place(enough) answers with the first scale in ladder order whose correlation reaches
    `enough`, as a one-scale-at-a-time search would, though it correlates scales in batches."""
    searched, smalls = ladder()
    peaks = [float(m.max()) for m in _ncc_maps(searched, smalls)]
    best, _ = place(PHOTO, COPY)
    assert best == max(peaks) > 0.7
    enough = 0.5 * (peaks[0] + max(peaks)) if peaks[0] < max(peaks) else peaks[0]
    first = next(p for p in peaks if p >= enough)
    running = max(peaks[:peaks.index(first) + 1])
    assert place(PHOTO, COPY, enough)[0] == running


def test_a_picture_too_small_for_any_scale_has_no_placement() -> None:
    """Every scale of the ladder below the smallest searchable size: no placement, no
    error (a bursts-set pair of a full frame and a thin strip of one)."""
    strip = PHOTO.crop((0, 0, 640, 4))
    assert place(PHOTO, strip) == (-2.0, (0.0, 0.0, 640.0, 480.0))
    assert place(PHOTO, strip, 0.6)[0] == -2.0


def test_a_turned_view_has_rotate_then_crops_pixels() -> None:
    """turned() resamples only the kept part, with Image.rotate's own map: the same pixels
    as rotating the whole picture and cropping the margin, at every straightening angle."""
    for size in ((500, 375), (383, 287), (97, 71)):
        grey = scene(3, size).convert("L")
        for degrees in (-12.0, -8.0, -4.0, 4.0, 8.0, 12.0, 2.5):
            margin = math.ceil(max(size) * math.sin(math.radians(abs(degrees)))) + 1
            whole = grey.rotate(degrees, Image.Resampling.BILINEAR)
            expected = whole.crop((margin, margin, size[0] - margin, size[1] - margin))
            assert np.array_equal(np.asarray(turned(grey, degrees)), np.asarray(expected))


def test_refine_finds_a_crops_rectangle_from_a_rough_start() -> None:
    """Gauss-Newton on the crop's edges, from a start a few pixels off, lands on the crop's
    true rectangle (to a fraction of a pixel); a flat picture gives no step (a singular
    Jacobian), not an error."""
    box = (60.0, 45.0, 540.0, 405.0)
    cropped = PHOTO.crop(tuple(round(v) for v in box))
    found = pixel_search.refine(PHOTO, cropped, (56.0, 49.0, 545.0, 401.0))
    assert max(abs(f - b) for f, b in zip(found, box, strict=True)) < 0.5
    flat = Image.new("L", (300, 200), 128)
    start = (10.0, 10.0, 250.0, 170.0)
    assert pixel_search.refine(flat, flat.crop((10, 10, 250, 170)), start) == start
