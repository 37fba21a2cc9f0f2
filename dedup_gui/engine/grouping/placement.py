"""Whether two pictures share a picture at all: a placement of one inside the other.

Why: an edited copy keeps its photo's pixels. Whatever was done to it (re-scaled, cropped,
flipped, turned, straightened by a few degrees, re-toned, blurred, captioned, pasted in a
screenshot), some placement of one view inside the other (a scale, an offset, one of the eight
flips and quarter turns, a small rotation) lines the shared photo up, and the two correlate
there. Two photos that share no pixels (the other half of a panorama, another photo of the same
kind of thing) have no such placement, however alike their hashes and embeddings say they look:
such an "edited copy" is refuted here.

How: pixel_search.py's coarse placement search (normalised cross-correlation at COARSE px over a
ladder of scales, both ways round), over each side's views (the whole picture and its photo
region), b as stored and in its best-looking orientation, and b straightened by ROTATIONS. The
search stops at the first placement that reaches PLACED_AT, so a real copy costs one or two
searches (a few ms) and only pictures that share nothing pay for the whole search.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import islice

from PIL import Image

from dedup_gui.engine.grouping.pixel_search import place
from dedup_gui.engine.grouping.pixels import orientations, prepared

# Small straightening rotations tried (degrees): phone editors straighten by up to about 10°,
# and a placement tolerates about 2° either side of each of these.
ROTATIONS = (-8.0, -4.0, 4.0, 8.0)
# Correlation from which a placement counts as "one picture" (0.6: the placement explains a
# third of the grey-level variance at COARSE px). A real copy correlates higher even after
# heavy edits (measured on the dev sets: the lowest true pair 0.64, most above 0.8); two photos
# that share no pixels, searched over every scale, offset, turn and rotation, stay below
# (stereo and panorama halves, other photos of one theme: 0.38–0.57).
PLACED_AT = 0.6


def turned(image: Image.Image, degrees: float) -> Image.Image:
    """`image` rotated by `degrees`, cropped by a margin that holds no corner of the turned
    frame (the long side's sweep, on every side: simple, and enough for a placement). Only
    the kept part is resampled: Image.rotate's own map (about the centre), shifted by the
    margin, so the pixels are rotate-then-crop's (half the cost: the margin is most of a
    picture at 8-12 degrees)."""
    margin = math.ceil(max(image.size) * math.sin(math.radians(abs(degrees)))) + 1
    w, h = image.size
    if w - 2 * margin < 8 or h - 2 * margin < 8:
        return image
    angle = -math.radians(degrees)
    cos, sin = round(math.cos(angle), 15), round(math.sin(angle), 15)
    cx, cy = w / 2.0, h / 2.0
    x0 = cos * -cx + sin * -cy + cx  # as Image.rotate computes it
    y0 = -sin * -cx + cos * -cy + cy
    matrix = (cos, sin, x0 + cos * margin + sin * margin,
              -sin, cos, y0 - sin * margin + cos * margin)
    return image.transform((w - 2 * margin, h - 2 * margin), Image.Transform.AFFINE, matrix,
                           Image.Resampling.BILINEAR)


def searches(views_a: list[Image.Image], views_b: list[Image.Image],
             rotations: tuple[float, ...] = ROTATIONS) -> Iterator[tuple[Image.Image, Image.Image]]:
    """(big, small) pairs to search, the likeliest first: whole pictures and photo regions as
    stored, then turned or flipped, then straightened by each of ROTATIONS. A view's best turn
    is found only when it is needed (most copies are placed by the first search or two)."""
    turns: dict[tuple[int, int], list[Image.Image]] = {}
    for angle in (0.0, *rotations):
        for step in (0, 1):
            for i, view_a in enumerate(views_a):
                for j, view_b in enumerate(views_b):
                    if step == 1 and (i, j) not in turns:
                        turns[(i, j)] = list(orientations(view_a, view_b))[1:]
                    for view in [view_b] if step == 0 else turns[(i, j)]:
                        small = view if angle == 0 else turned(view, angle)
                        yield view_a, small
                        yield small, view_a


def placed(a: Image.Image, b: Image.Image, parts: bool = True, tried: int = 0) -> bool:
    """Whether some placement of one decoded picture in the other reaches PLACED_AT; failing
    that (with `parts`), of a half of one in the other (two crops of one photo that overlap
    without either holding the other share a part, not the whole). `tried`: how many of the
    first searches are known to stay below PLACED_AT (a caller that searched them fully:
    displacement.begin), skipped."""
    (ga, ra), (gb, rb) = prepared(a), prepared(b)
    views_a = [ga] + ([ra] if ra is not None else [])
    views_b = [gb] + ([rb] if rb is not None else [])
    steps = islice(searches(views_a, views_b), tried, None)
    if any(_reaches(big, small) for big, small in steps):
        return True
    if _any_turn_placed(ga, gb):
        return True
    return parts and any(_reaches(big, part)
               for big, small in ((ga, gb), (gb, ga)) for part in _halves(small))


def _reaches(big: Image.Image, small: Image.Image) -> bool:
    """Whether `small` is placed in `big` at PLACED_AT (the search stops at the first scale
    that reaches it: the answer is the same, for a fraction of the scales)."""
    return place(big, small, PLACED_AT)[0] >= PLACED_AT


def _any_turn_placed(a: Image.Image, b: Image.Image) -> bool:
    """Every flip and quarter turn of `b`, before refuting: the best-looking turn is chosen on
    16-px thumbnails, where periodic texture (stripes, tiles, a fence) aliases and can point
    to the wrong one (a mirrored copy of a striped picture then had "no placement")."""
    for turn in Image.Transpose:
        view = b.transpose(turn)
        if _reaches(a, view) or _reaches(view, a):
            return True
    return False


def _halves(image: Image.Image) -> Iterator[Image.Image]:
    """The left, right, top and bottom halves of a picture."""
    w, h = image.size
    for box in ((0, 0, w // 2, h), (w - w // 2, 0, w, h), (0, 0, w, h // 2),
                (0, h - h // 2, w, h)):
        yield image.crop(box)
