"""Pixel evidence for one candidate pair: align the two pictures, then measure where they differ.

Why: hashes and embeddings say "looks alike"; a burst frame and its neighbour look alike too.
Only the pixels can tell a re-save (the same exposure, re-encoded: a small residual everywhere)
from another shot (moving subjects, shifted texture, parallax: large residual in places).

How, numpy + Pillow only (9–29 ms a pair measured on the shared 2-core machine):
1. Each side's *view*: the photo region of a screenshot, pad or meme (signals/views.py), so two
   screenshots are compared by the photos inside them, never by their frames.
2. Orientation: of the eight flips and quarter turns of the second view, the one whose tiny
   thumbnail correlates best with the first.
3. Placement: one view is a scaled sub-rectangle of the other (a crop, a screenshot's photo, an
   upscale: scale 1). Found by normalised cross-correlation at COARSE px over a ladder of
   scales, both ways round, then refined at WORK px by Gauss–Newton on scale and offset
   (pixel_search.py; pictures resampled and remembered by picture_grid.py).
4. Residual: both overlaps resampled to one grid (WORK px, or the smaller picture's own size
   where that is less: grid_side), a gain/offset fit removes exposure and
   contrast edits, a 3×3 box blur removes JPEG and resampling noise; the residual is summarised
   per tile (a TILES×TILES grid).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

from dedup_gui.engine.grids import blur3, row_p90
from dedup_gui.engine.grouping.picture_grid import (
    WORK,
    Rect,
    fit,
    grid_side,
    normalised,
    of_picture,
    shrunk,
)
from dedup_gui.engine.grouping.pixel_search import inside, place, refine
from dedup_gui.engine.signals.views import primary_view

TILES = 8  # tiles per side of the residual summary
SAME_WORST = 14.0  # grey levels: every tile's 90th percentile residual below this is a re-save
NEAR, FULL = 1, 2  # how hard compare_views searches: small crops, or every placement
PLACED = 0.9  # coarse correlation at which a placement is taken without trying turns
_TRANSPOSES = (None, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM,
               Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90,
               Image.Transpose.ROTATE_270, Image.Transpose.TRANSPOSE,
               Image.Transpose.TRANSVERSE)
# _TRANSPOSES[1:] done to an array (rows top to bottom, as np.asarray gives a picture)
_TURNED_ARRAYS = (lambda x: x[:, ::-1], lambda x: x[::-1], lambda x: x[::-1, ::-1],
                  np.rot90, lambda x: np.rot90(x, -1), np.transpose,
                  lambda x: x[::-1, ::-1].T)


@dataclass(frozen=True, slots=True)
class PixelEvidence:
    """How two aligned views differ. Residuals are in grey levels (0–255) after the gain fit."""

    overlap: float  # share of the larger view the smaller one covers (1: same framing)
    correlation: float  # placement NCC at the coarse size, -1..1
    median: float  # median residual: the noise floor (re-encoding, resampling)
    tiles: tuple[float, ...]  # per-tile 90th-percentile residual, row-major TILES×TILES
    exact: bool  # identical pixels after alignment (residual 0 everywhere)

    @property
    def worst(self) -> float:
        return max(self.tiles, default=0.0)

    def share_above(self, level: float) -> float:
        """Share of tiles whose 90th-percentile residual exceeds `level`."""
        return sum(t > level for t in self.tiles) / max(1, len(self.tiles))


def orientations(a: Image.Image, b: Image.Image) -> Iterator[Image.Image]:
    """b as stored, then (only if asked for) b turned or flipped the way whose tiny thumbnail
    best matches a: placement picks between the two."""
    yield b
    yield b.transpose(best_turn(a, b))


def best_turn(a: Image.Image, b: Image.Image) -> Image.Transpose:
    """The flip or quarter turn of b (not b as stored) whose 16 × 16 thumbnail correlates best
    with a's. The thumbnails are made once per picture and turned as arrays: a picture meets
    many others, and resizing each of its seven turned copies was a twentieth of
    verification's CPU (bench_scan's camera library); a thumbnail turned after resizing can
    differ from one resized after turning by one grey level in a pixel (rounding)."""
    ta = normalised(_thumbnail(a))
    tb = _thumbnail(b)
    scores = [(float((ta * normalised(turn(tb))).mean()), i)
              for i, turn in enumerate(_TURNED_ARRAYS)]
    return _TRANSPOSES[1 + max(scores)[1]]


def _thumbnail(image: Image.Image) -> np.ndarray:
    memo = of_picture(image)
    if "thumbnail" not in memo:
        memo["thumbnail"] = fit(image, 16, size=(16, 16))
    return memo["thumbnail"]


def compare_views(a: Image.Image, b: Image.Image, level: int = FULL) -> PixelEvidence:
    """Align view `b` onto view `a` (both grey) and measure their residual, cheapest first:
    the same framing; a small crop either way (refined from the whole frame); at FULL, also
    the scale ladder over b as stored and b in its best-looking orientation."""
    same_framing = _same_framing(a, b)
    if same_framing is not None and agrees(same_framing):
        return same_framing  # a re-save or a resize: no search needed (most pairs)
    found = [] if same_framing is None else [same_framing]
    for big, small in ((a, b), (b, a)):
        found.append(_placed(big, small, (0.0, 0.0, float(big.width), float(big.height)), 1.0))
        if agrees(found[-1]):
            return found[-1]
    if level < FULL:
        return min(found, key=lambda e: e.worst)
    placed = []
    for turned in orientations(a, b):
        for big, small in ((a, turned), (turned, a)):  # which one is the crop is unknown
            correlation, rect = place(big, small)
            placed.append((correlation, big, small, rect))
        if max(placed, key=lambda item: item[0])[0] >= PLACED:
            break  # as stored fits: no need to try it turned
    correlation, big, small, rect = max(placed, key=lambda item: item[0])
    return _placed(big, small, rect, correlation)


def _placed(big: Image.Image, small: Image.Image, rect: Rect, correlation: float
            ) -> PixelEvidence:
    """The evidence at `rect` and at its refinement, whichever agrees better (the refinement
    can wander off a bad start)."""
    one = fit(small, grid_side(small, (rect[2] - rect[0], rect[3] - rect[1])))
    found = []
    for box in (tuple(inside(np.array(rect), big).tolist()), refine(big, small, rect)):
        other = fit(big, WORK, box=box, size=(one.shape[1], one.shape[0]))
        area = (box[2] - box[0]) * (box[3] - box[1]) / (big.width * big.height)
        found.append(_evidence(one, other, min(1.0, area), correlation))
    return min(found, key=lambda e: e.worst)


def _same_framing(a: Image.Image, b: Image.Image) -> PixelEvidence | None:
    """The evidence when b is a and frames the same (aspect within 1%), else None."""
    if abs(a.width * b.height - b.width * a.height) > 0.01 * a.width * b.height:
        return None
    one = fit(a, grid_side(a, b.size))
    return _evidence(one, fit(b, WORK, size=(one.shape[1], one.shape[0])), 1.0, 1.0)


def compare_images(a: Image.Image, b: Image.Image, level: int = FULL) -> PixelEvidence:
    """The pixel evidence for two decoded pictures, aligned up to `level` (compare_views).
    Two pictures with photo regions (screenshots, pads, memes) are compared by their photos
    (each region against the other, and against the other's whole, in case a region was found
    where there is none), never frame against frame; a picture with a region against one
    without: whole against whole or the region against the whole, whichever agrees better."""
    ga, gb, ra = grey_of(a), grey_of(b), region_of(a)
    # photo against photo, or either in the other's frame
    if ra is not None and (rb := region_of(b)) is not None:
        options = (compare_views(ra, rb, level), compare_views(ga, rb, level),
                   compare_views(ra, gb, level))
        return min(options, key=lambda e: e.worst)
    whole = compare_views(ga, gb, level)
    if agrees(whole):  # b's region, if any, could not do better than agreeing: not looked for
        return whole
    if ra is not None:
        return min((whole, compare_views(ra, gb, level)), key=lambda e: e.worst)
    rb = region_of(b)
    return whole if rb is None else min((whole, compare_views(ga, rb, level)),
                                        key=lambda e: e.worst)


def prepared(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """The grey view (at most 2 × WORK px) and its photo region, computed once per picture."""
    return grey_of(image), region_of(image)


def grey_of(image: Image.Image) -> Image.Image:
    """The grey view the rules compare (at most 2 × WORK px), made once per picture."""
    memo = of_picture(image)
    if "grey" not in memo:
        memo["grey"] = shrunk(image.convert("L"), 2 * WORK)
    return memo["grey"]


def region_of(image: Image.Image) -> Image.Image | None:
    """The photo region of the grey view (None: the whole picture is the photo), looked for
    once per picture and only when a rule needs it (a fifth of verification's time was
    looking for regions of pictures whose whole already agreed)."""
    memo = of_picture(image)
    if "region" not in memo:
        memo["region"] = _region(grey_of(image))
    return memo["region"]


def _region(image: Image.Image) -> Image.Image | None:
    region = primary_view(image)
    return None if region is image else region


def _evidence(one: np.ndarray, other: np.ndarray, overlap: float,
              correlation: float) -> PixelEvidence:
    """Residual after a global gain/offset fit (exposure and contrast edits), 3×3-blurred
    (JPEG and resampling noise), summarised as each tile's 90th percentile."""
    exact = bool(np.array_equal(one, other))
    found = residual(one, other)
    h, w = (n - n % TILES for n in found.shape)
    blocks = found[:h, :w].reshape(TILES, h // TILES, TILES, w // TILES).swapaxes(1, 2)
    tiles = tuple(row_p90(blocks.reshape(TILES * TILES, -1)).tolist())
    return PixelEvidence(overlap, correlation, float(np.median(found)), tiles, exact)


def residual(one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per-pixel residual of two aligned grids after a global gain/offset fit (exposure and
    contrast edits), 3×3-blurred (JPEG and resampling noise)."""
    gain = one.std() / (other.std() + 1e-6)
    return blur3(np.abs((other - other.mean()) * gain + one.mean() - one))


def agrees(evidence: PixelEvidence) -> bool:
    """Every tile agrees to within re-encoding noise."""
    return evidence.worst <= SAME_WORST
