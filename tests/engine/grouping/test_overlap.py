"""overlap.shared: where two crops of one photo overlap in part."""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.grouping.overlap import shared
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
