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
- the two trimmed photos are not one photo: no placement of one in the other (placement.py's
  searches: turns, flips, straightening) both reaches PLACED_AT and holds their texture on one
  map (tile_map.py, as the displacement rule judges a placement). A placement alone is not
  enough here: a slot's photo is small (a post among stories and ads), and over every scale,
  offset, turn and rotation two different small photos reach PLACED_AT by chance (measured on
  photos_augly_dev2's desktop screenshots: 0.60-0.82, so 13 pairs of screenshots of different
  photos were "the same picture re-saved"); their texture is on no map. The same photo,
  re-framed, rotated, re-toned or overlaid, is on one. The photos are cut from the decoded
  picture, not from its 384-px grey view (a slot photo there is about 60 × 100 px).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PIL import Image

from dedup_gui.engine.grids import blur3
from dedup_gui.engine.grouping.picture_grid import fit
from dedup_gui.engine.grouping.pixel_search import place
from dedup_gui.engine.grouping.pixels import SAME_WORST, grey_of, residual
from dedup_gui.engine.grouping.placement import PLACED_AT, searches
from dedup_gui.engine.grouping.tile_map import displaced_at
from dedup_gui.engine.signals.picture_facts import framed_grey
from dedup_gui.engine.signals.views import PEEL, box_mean, exact_flat, xy_cut

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
    grey = grey_of(image)
    return framed_grey(grey)


def two_photos_in_one_frame(a: Image.Image, b: Image.Image) -> bool:
    """The rule in the module docstring, for two decoded pictures."""
    ga, gb = grey_of(a), grey_of(b)
    if abs(ga.width * gb.height - gb.width * ga.height) > 0.01 * ga.width * gb.height:
        return False
    one = fit(ga, SIDE)
    h, w = one.shape
    other = fit(gb, SIDE, size=(w, h))
    differ, box = _difference(one, other)
    if box is None or not _framed_block(differ, box, exact_flat(ga, (w, h)),
                                        exact_flat(gb, (w, h))):
        return False
    photos = [_photo(image.convert("L"), flat, box, (w, h)) for image, flat in
              ((a, exact_flat(ga, (w, h))), (b, exact_flat(gb, (w, h))))]
    if photos[0] is None or photos[1] is None:
        return False
    return not _one_photo(photos[0], photos[1])  # each slot holds a whole photo


def _one_photo(p: Image.Image, q: Image.Image) -> bool:
    """Whether two slots' photos are one photo (module doc): the best placement of each
    search (placement.searches, then every flip and quarter turn both ways round) that
    reaches PLACED_AT, judged until one holds the texture on one map."""
    for big, small in _placements(p, q):
        correlation, rect = place(big, small)
        if correlation >= PLACED_AT and displaced_at(big, small, rect) is False:
            return True
    return False


def _placements(p: Image.Image, q: Image.Image) -> Iterator[tuple[Image.Image, Image.Image]]:
    """(big, small) to search, the likeliest first (placement.searches), then every flip and
    quarter turn of `q` both ways round (a best-looking turn chosen on thumbnails can be the
    wrong one: placement._any_turn_placed)."""
    yield from searches([p], [q])
    for turn in Image.Transpose:
        view = q.transpose(turn)
        yield p, view
        yield view, p


def _difference(one: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, Box | None]:
    """Where two framed-alike grids differ, and the largest block of it. The residual's gain
    fit (exposure edits) is made again on what lies outside the first block: two different
    photos in the slot shift the whole picture's grey-level statistics, and a fit to them
    leaves the frame's dark parts (logos, avatars, an ad) differing too (measured: 2.5-5% of
    the frame of three photos_augly_dev2 JPEG screenshot pairs, over FRAME_NOISE)."""
    differ = residual(one, other) > SAME_WORST
    box = _block(differ)
    if box is None:
        return differ, None
    x0, y0, x1, y1 = box
    frame = np.ones(one.shape, dtype=bool)
    frame[y0:y1, x0:x1] = False
    if frame.any():
        a, b = one[frame], other[frame]
        gain = a.std() / (b.std() + 1e-6)
        differ = blur3(np.abs((other - b.mean()) * gain + a.mean() - one)) > SAME_WORST
        box = _block(differ)
    return differ, box


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
    x0, y0, x1, y1 = _trimmed(flat, box)
    if x1 - x0 < 4 or y1 - y0 < 4 or float(flat[y0:y1, x0:x1].mean()) > INSIDE_FLAT:
        return None
    k = grey.width / size[0]
    crop = grey.crop((round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k)))
    if float(np.asarray(crop, dtype=np.float32).std()) < MIN_STD:
        return None
    return crop


def _trimmed(flat: np.ndarray, box: Box) -> Box:
    """The box less its flat margins (letterbox bars, padding): the flattest edge row or
    column trimmed first, while it is at least PEEL exact-flat. Why not views.peel (rows
    first): the block spans both slots' photos, so a portrait photo sits between bars that
    are most of every row, and trimming rows first trimmed the photo away (a
    photos_augly_dev2 pair: to a 2 × 2 corner)."""
    x0, y0, x1, y1 = box
    while x1 - x0 > 2 and y1 - y0 > 2:
        edges = {"top": flat[y0, x0:x1].mean(), "bottom": flat[y1 - 1, x0:x1].mean(),
                 "left": flat[y0:y1, x0].mean(), "right": flat[y0:y1, x1 - 1].mean()}
        edge = max(edges, key=edges.__getitem__)
        if edges[edge] < PEEL:
            break
        x0, y0 = x0 + (edge == "left"), y0 + (edge == "top")
        x1, y1 = x1 - (edge == "right"), y1 - (edge == "bottom")
    return x0, y0, x1, y1
