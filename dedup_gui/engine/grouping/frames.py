"""Two photos in one frame: screenshots of one web or app template around different photos.

Why: two screenshots match only when the photos inside them match, never because the frames
around them do. signals/views.py finds the photo region of most screenshots, but not of every
template (a small post photo among stories, ads and side columns); then the frames are compared,
and they agree: hashes, embeddings and most of the pixels say "one picture re-saved".

How: the pair itself shows where its photo is. Framed alike (one aspect ratio), the two pictures
are compared pixel by pixel after a gain fit (pixels.py's residual); where they differ is cut
into blocks (views.py's XY-cut) and the largest block is the candidate photo. It is two photos
in one frame when all of these hold:
- the block is a picture-sized part of the frame (MIN_BOX..MAX_BOX of its area), and outside it
  the two agree (at most FRAME_NOISE of the pixels differ: the same template);
- a ring around the block is synthetic frame on both sides (at least RING_FLAT of its pixels
  exactly flat, views.py's test for UI and padding), so the block is something pasted into a
  frame, not a sticker or caption on a photo (whose surroundings are photo);
- inside the block, both sides are photo (less than INSIDE_FLAT exactly flat: not text on a
  flat band), trimmed of flat margins (letterbox bars);
- the two trimmed photos have no placement in each other (grouping/placement.py): another
  photo, not the same one re-framed, rotated, re-toned or overlaid.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.picture_grid import fit
from dedup_gui.engine.grouping.pixels import SAME_WORST, prepared, residual
from dedup_gui.engine.grouping.placement import placed
from dedup_gui.engine.signals.picture_facts import framed_grey
from dedup_gui.engine.signals.views import box_mean, exact_flat, peel, xy_cut

SIDE = 192  # long side of the comparison grid
MIN_BOX, MAX_BOX = 0.04, 0.6  # share of the picture the differing block covers
FRAME_NOISE = 0.02  # share of pixels outside the block that may differ (clock, counters)
RING = 0.03  # ring width around the block, as a share of the long side
RING_FLAT = 0.5  # exactly flat share of the ring: a synthetic frame (views.py: 0.45)
INSIDE_FLAT = 0.35  # exactly flat share above which a side is not a photo (views.py's value)
MIN_STD = 8.0  # grey-level spread below which a side of the block holds no photo

Box = tuple[int, int, int, int]


def framed(image: Image.Image) -> bool:
    """Whether a picture has enough exactly flat pixels to be a frame around a photo (cheap:
    a screenshot, a pad, a meme; almost never a camera photo). The test itself is
    signals/picture_facts.py's, so the signal stage's cached answer is this one."""
    grey, _ = prepared(image)
    return framed_grey(grey)


def two_photos_in_one_frame(a: Image.Image, b: Image.Image) -> bool:
    """The rule in the module docstring, for two decoded pictures."""
    (ga, _), (gb, _) = prepared(a), prepared(b)
    if abs(ga.width * gb.height - gb.width * ga.height) > 0.01 * ga.width * gb.height:
        return False
    one = fit(ga, SIDE)
    h, w = one.shape
    other = fit(gb, SIDE, size=(w, h))
    differ = residual(one, other) > SAME_WORST
    box = _block(differ)
    if box is None or not _framed_block(differ, box, exact_flat(ga, (w, h)),
                                        exact_flat(gb, (w, h))):
        return False
    photos = [_photo(grey, flat, box, (w, h)) for grey, flat in
              ((ga, exact_flat(ga, (w, h))), (gb, exact_flat(gb, (w, h))))]
    if photos[0] is None or photos[1] is None:
        return False
    return not placed(photos[0], photos[1], parts=False)  # each slot holds a whole photo


def _block(differ: np.ndarray) -> Box | None:
    """The largest block of dense difference (XY-cut), None when nothing differs."""
    dense = box_mean(differ, 5) >= 0.5
    h, w = differ.shape
    leaves = xy_cut(dense, (0, 0, w, h))
    if not leaves:
        return None
    return max(leaves, key=lambda b: ((b[2] - b[0]) * (b[3] - b[1]), b))


def _framed_block(differ: np.ndarray, box: Box, flat_a: np.ndarray, flat_b: np.ndarray
                  ) -> bool:
    """A picture-sized block, the same frame outside it, synthetic frame around it."""
    h, w = differ.shape
    x0, y0, x1, y1 = box
    if not MIN_BOX <= (x1 - x0) * (y1 - y0) / (w * h) <= MAX_BOX:
        return False
    inside = np.zeros((h, w), dtype=bool)
    inside[y0:y1, x0:x1] = True
    if float(differ[~inside].mean()) > FRAME_NOISE:
        return False
    m = max(2, round(RING * max(w, h)))
    ring = np.zeros((h, w), dtype=bool)
    ring[max(0, y0 - m):y1 + m, max(0, x0 - m):x1 + m] = True
    ring &= ~inside
    return bool(ring.any()) and min(float(flat_a[ring].mean()),
                                    float(flat_b[ring].mean())) >= RING_FLAT


def _photo(grey: Image.Image, flat: np.ndarray, box: Box, size: tuple[int, int]
           ) -> Image.Image | None:
    """One side's block, trimmed of flat margins, in the picture's own pixels; None when it
    is not a photo (mostly flat, or too plain)."""
    x0, y0, x1, y1 = peel(flat, box)
    if x1 - x0 < 4 or y1 - y0 < 4 or float(flat[y0:y1, x0:x1].mean()) > INSIDE_FLAT:
        return None
    k = grey.width / size[0]
    crop = grey.crop((round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k)))
    if float(np.asarray(crop, dtype=np.float32).std()) < MIN_STD:
        return None
    return crop
