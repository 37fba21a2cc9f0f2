"""Where picture b lies on picture a: the mapping the compare view draws b with, so a screenshot
lines up with its photo and a crop with its source.

Why here: pixel_search.py already knows how to place one view inside another (coarse normalised
cross-correlation over a ladder of scales, then Gauss–Newton on the rectangle) and the photo
region of screenshots, pads and memes (signals/views.py); verification uses that to measure a
residual, the compare view needs the placement itself, in each file's full pixels.

How: both pictures grey and small (≤ 2 × WORK px); b as stored, and b in its best-looking flip
or quarter turn if as stored does not fit; each side's whole frame and photo region; each view
placed inside the other both ways; the placement whose pixels agree best (correlation at WORK
px after refinement) wins. 0.1–0.5 s a pair on the shared 2-core machine: run it off the UI
thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from dedup_gui.engine.grouping.picture_grid import WORK, fit, normalised, shrunk
from dedup_gui.engine.grouping.pixel_search import place, refine
from dedup_gui.engine.grouping.pixels import best_turn
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.signals.views import photo_region

ALIGNED = 0.6  # correlation of the placed pixels below which b is only scaled to a's width
GOOD = 0.9  # as stored fits this well: no flip or turn is tried
Affine = tuple[float, float, float, float, float, float]  # x' = a·x + c·y + e, y' = b·x + d·y + f
Box = tuple[float, float, float, float]
_QUARTER_TURNS = {Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270,
                  Image.Transpose.TRANSPOSE, Image.Transpose.TRANSVERSE}


@dataclass(frozen=True, slots=True)
class Alignment:
    """b's full pixels (as stored, EXIF-oriented) -> a's full pixels: first `transpose` (a PIL
    Transpose of b, or None), then scale and shift. `correlation` says how well the placed
    pixels agree (-1..1); `aligned` is False when no placement was found and b is only scaled
    to a's width (side by side, as before)."""

    scale_x: float
    scale_y: float
    dx: float
    dy: float
    transpose: Image.Transpose | None
    correlation: float
    b_size: tuple[int, int]  # b's full size as stored, which `transpose` turns

    @property
    def aligned(self) -> bool:
        return self.correlation >= ALIGNED

    def affine(self) -> Affine:
        """The whole mapping as one affine matrix (Qt's QTransform takes these six numbers)."""
        a, b, c, d, e, f = turn_matrix(self.transpose, *self.b_size)
        sx, sy = self.scale_x, self.scale_y
        return (a * sx, b * sy, c * sx, d * sy, e * sx + self.dx, f * sy + self.dy)

    def map(self, x: float, y: float) -> tuple[float, float]:
        """Where b's pixel (x, y) lands on a."""
        a, b, c, d, e, f = self.affine()
        return a * x + c * y + e, b * x + d * y + f


def turn_matrix(transpose: Image.Transpose | None, w: float, h: float) -> Affine:
    """The affine matrix of a PIL transpose of a w × h picture (pixel edges, not centres)."""
    T = Image.Transpose
    return {None: (1, 0, 0, 1, 0, 0), T.FLIP_LEFT_RIGHT: (-1, 0, 0, 1, w, 0),
            T.FLIP_TOP_BOTTOM: (1, 0, 0, -1, 0, h), T.ROTATE_180: (-1, 0, 0, -1, w, h),
            T.ROTATE_90: (0, -1, 1, 0, 0, w), T.ROTATE_270: (0, 1, -1, 0, h, 0),
            T.TRANSPOSE: (0, 1, 1, 0, 0, 0), T.TRANSVERSE: (0, -1, -1, 0, h, w)}[transpose]


def alignment(a_path: str | os.PathLike[str], b_path: str | os.PathLike[str]) -> Alignment:
    """Decode both files small and align b onto a (raises ImageLoadError)."""
    la = load_image(a_path, mode="L", min_side=2 * WORK)
    lb = load_image(b_path, mode="L", min_side=2 * WORK)
    return align_images(la.image, lb.image, (la.width, la.height), (lb.width, lb.height))


def align_images(a: Image.Image, b: Image.Image, a_size: tuple[int, int] | None = None,
                 b_size: tuple[int, int] | None = None) -> Alignment:
    """Align decoded picture b onto a; the sizes are the files' full sizes when the pictures
    were decoded smaller (default: the pictures' own)."""
    a_size, b_size = a_size or a.size, b_size or b.size
    ga, gb = shrunk(a.convert("L"), 2 * WORK), shrunk(b.convert("L"), 2 * WORK)
    best: tuple[float, Image.Transpose | None, Box] | None = None
    for turn in _turns(_main_view(ga), _main_view(gb)):
        turned = gb if turn is None else gb.transpose(turn)
        corr, scale_box = _best_placement(ga, turned)
        if best is None or corr > best[0]:
            best = (corr, turn, scale_box)
        if best[0] >= GOOD:
            break
    assert best is not None
    corr, turn, (s, _, ax, ay) = best[0], best[1], best[2]
    if corr < ALIGNED:  # side by side at a's width, as before
        s, ax, ay, turn = ga.width / gb.width, 0.0, 0.0, None
    return _full(corr, turn, s, ax, ay, ga, gb, a_size, b_size)


def _full(corr: float, turn: Image.Transpose | None, s: float, ax: float, ay: float,
          ga: Image.Image, gb: Image.Image, a_size: tuple[int, int],
          b_size: tuple[int, int]) -> Alignment:
    """The small pictures' mapping (turned b -> a: scale s, then shift ax, ay) in full pixels."""
    ka_x, ka_y = a_size[0] / ga.width, a_size[1] / ga.height
    kb_x, kb_y = b_size[0] / gb.width, b_size[1] / gb.height
    if turn in _QUARTER_TURNS:
        kb_x, kb_y = kb_y, kb_x  # a quarter turn swaps b's axes
    return Alignment(s * ka_x / kb_x, s * ka_y / kb_y, ax * ka_x, ay * ka_y, turn, corr,
                     b_size)


def _turns(a: Image.Image, b: Image.Image) -> Iterator[Image.Transpose | None]:
    """b as stored, then the flip or turn whose tiny thumbnail looks most like a."""
    yield None
    yield best_turn(a, b)


def _main_view(image: Image.Image) -> Image.Image:
    """The photo region when there is one (the flip is guessed photo against photo)."""
    return image.crop(_int(_views(image)[-1]))


def _views(image: Image.Image) -> list[Box]:
    """The whole frame, and the photo region of a screenshot, pad or meme if it has one."""
    whole = (0.0, 0.0, float(image.width), float(image.height))
    region = photo_region(image)
    return [whole] if region is None else [whole, tuple(float(v) for v in region)]


def _best_placement(a: Image.Image, b: Image.Image) -> tuple[float, tuple[float, ...]]:
    """(correlation, (scale, 0, x, y)): b's pixel p lands on a at (x, y) + p·scale, over every
    pair of views placed inside each other both ways."""
    best: tuple[float, tuple[float, ...]] = (-2.0, (a.width / b.width, 0.0, 0.0, 0.0))
    for box_a in _views(a):
        for box_b in _views(b):
            va, vb = a.crop(_int(box_a)), b.crop(_int(box_b))
            for b_inside in (True, False):
                big, small = (va, vb) if b_inside else (vb, va)
                rect = refine(big, small, place(big, small)[1])
                corr = _agreement(big, small, rect)
                if corr > best[0]:
                    best = (corr, _mapping(box_a, box_b, rect, small, b_inside))
    return best


def _mapping(box_a: Box, box_b: Box, rect: Box, small: Image.Image,
             b_inside: bool) -> tuple[float, ...]:
    """b -> a as (scale, 0, x, y) from one placement: `rect` is where `small` lies in the
    other view, both views cut from their pictures at box_a and box_b."""
    cover = (rect[2] - rect[0]) / small.width
    if b_inside:  # b's view drawn at rect inside a's view
        s, ax, ay = cover, box_a[0] + rect[0], box_a[1] + rect[1]
        return s, 0.0, ax - box_b[0] * s, ay - box_b[1] * s
    s = 1 / cover  # a's view lies at rect inside b's view
    return s, 0.0, box_a[0] - (box_b[0] + rect[0]) * s, box_a[1] - (box_b[1] + rect[1]) * s


def _agreement(big: Image.Image, small: Image.Image, rect: Box) -> float:
    """Correlation of `small` with `big`'s pixels at `rect`, at WORK px."""
    one = fit(small, WORK)
    other = fit(big, WORK, box=rect, size=(one.shape[1], one.shape[0]))
    return float((normalised(one) * normalised(other)).mean())


def _int(box: Box) -> tuple[int, int, int, int]:
    return tuple(round(v) for v in box)  # type: ignore[return-value]
