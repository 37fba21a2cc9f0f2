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
   scales, both ways round, then refined at WORK px by Gauss–Newton on scale and offset.
4. Residual: both overlaps resampled to one grid (WORK px, or the smaller picture's own size
   where that is less: grid_side), a gain/offset fit removes exposure and
   contrast edits, a 3×3 box blur removes JPEG and resampling noise; the residual is summarised
   per tile (a TILES×TILES grid).
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grids import blur3, row_p90
from dedup_gui.engine.signals.views import primary_view

WORK = 192  # long side of the fine comparison grid
COARSE = 48  # long side of the placement search
COARSE_REFINE = 64  # long side of refine()'s first level
TILES = 8  # tiles per side of the residual summary
SAME_WORST = 14.0  # grey levels: every tile's 90th percentile residual below this is a re-save
NEAR, FULL = 1, 2  # how hard compare_views searches: small crops, or every placement
_YES_NO_BATCH = 4  # scales correlated at once in a yes/no search (place)
PLACED = 0.9  # coarse correlation at which a placement is taken without trying turns
_SCALES = np.geomspace(1.0, 0.55, 16)  # the smaller view's share of the larger one's side
_TRANSPOSES = (None, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM,
               Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90,
               Image.Transpose.ROTATE_270, Image.Transpose.TRANSPOSE,
               Image.Transpose.TRANSVERSE)
# _TRANSPOSES[1:] done to an array (rows top to bottom, as np.asarray gives a picture)
_TURNED_ARRAYS = (lambda x: x[:, ::-1], lambda x: x[::-1], lambda x: x[::-1, ::-1],
                  np.rot90, lambda x: np.rot90(x, -1), np.transpose,
                  lambda x: x[::-1, ::-1].T)

Rect = tuple[float, float, float, float]


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


def fit(image: Image.Image, side: int, box: Rect | None = None,
         size: tuple[int, int] | None = None) -> np.ndarray:
    """`box` of `image` resampled to `size` (default: long side `side`), float32 grey."""
    box = box or (0.0, 0.0, float(image.width), float(image.height))
    if size is None:
        w, h = box[2] - box[0], box[3] - box[1]
        k = side / max(w, h)
        size = (max(1, round(w * k)), max(1, round(h * k)))
    return np.asarray(image.resize(size, Image.Resampling.BILINEAR, box=box), dtype=np.float32)


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
    ta = _norm(_thumbnail(a))
    tb = _thumbnail(b)
    scores = [(float((ta * _norm(turn(tb))).mean()), i)
              for i, turn in enumerate(_TURNED_ARRAYS)]
    return _TRANSPOSES[1 + max(scores)[1]]


def _thumbnail(image: Image.Image) -> np.ndarray:
    memo = of_picture(image)
    if "thumbnail" not in memo:
        memo["thumbnail"] = fit(image, 16, size=(16, 16))
    return memo["thumbnail"]


def _norm(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-6)


class _Searched:
    """What the NCC of every small picture in one big picture shares: the big picture's
    spectrum and its running sums (computed once per place(), not once per scale: a third of
    the FFTs and all the sums)."""

    def __init__(self, big: np.ndarray) -> None:
        self.shape = big.shape
        self.spectrum = fft.rfft2(big, self.shape)
        self.s1 = np.pad(big.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        self.s2 = np.pad((big * big).cumsum(0).cumsum(1), ((1, 0), (1, 0)))


def _searched(big: Image.Image) -> _Searched:
    """_Searched of `big` at COARSE px, once per picture (it is searched by many others)."""
    memo = of_picture(big)
    if "searched" not in memo:
        memo["searched"] = _Searched(fit(big, COARSE))
    return memo["searched"]


def _ncc_maps(big: _Searched, smalls: list[np.ndarray]) -> list[np.ndarray]:
    """Normalised cross-correlation of each of `smalls` at every offset inside `big` (valid
    offsets). One FFT over the stacked (zero-padded) templates, not one per template: at
    COARSE px the transforms are tiny and numpy's per-call overhead was most of their cost
    (117k calls measured on bench_scan's camera library). Each template is transformed as
    rfft2(t, shape) would pad it, so every map equals the one-at-a-time result."""
    bh, bw = big.shape
    stack = np.zeros((len(smalls), bh, bw), dtype=np.float32)
    for i, small in enumerate(smalls):
        stack[i, :small.shape[0], :small.shape[1]] = _norm(small)
    corrs = fft.irfft2(big.spectrum * np.conj(fft.rfft2(stack)), (bh, bw))
    maps = []
    for corr, small in zip(corrs, smalls, strict=True):
        sh, sw = small.shape
        n = sh * sw
        mean = _window(big.s1, sh, sw) / n
        var = np.maximum(_window(big.s2, sh, sw) / n - mean * mean, 1e-3)
        maps.append(corr[: bh - sh + 1, : bw - sw + 1] / (n * np.sqrt(var)))
    return maps


def _window(s: np.ndarray, sh: int, sw: int) -> np.ndarray:
    """Sums over every sh × sw window, from running sums `s` (zero-padded first row/column)."""
    return s[sh:, sw:] - s[:-sh, sw:] - s[sh:, :-sw] + s[:-sh, :-sw]


def place(big: Image.Image, small: Image.Image, enough: float = 2.0) -> tuple[float, Rect]:
    """Best NCC and the rectangle (in `big`'s pixels) that `small` covers; with `enough`, the
    first scale whose NCC reaches it ends the search (a yes/no question: is it placed?). The
    scales are correlated in batches (_ncc_maps): all at once for a full search, a few at a
    time for a yes/no one (most copies are placed at one of the first scales)."""
    searched = _searched(big)
    k = searched.shape[1] / big.width
    inside = min(searched.shape[1] / small.width, searched.shape[0] / small.height)
    small_w, small_h = small.size
    small = _shrunk(small, 2 * COARSE)  # one box reduction, then cheap resizes per scale
    sizes = []
    for scale in _SCALES:
        w, h = round(small_w * inside * scale), round(small_h * inside * scale)
        if min(w, h) < 6:
            break
        sizes.append((w, h))
    batch = max(1, len(sizes)) if enough > 1 else _YES_NO_BATCH
    best = (-2.0, (0.0, 0.0, float(big.width), float(big.height)))
    for start in range(0, len(sizes), batch):
        chunk = sizes[start:start + batch]
        maps = _ncc_maps(searched, [fit(small, COARSE, size=size) for size in chunk])
        for (w, h), ncc in zip(chunk, maps, strict=True):
            y, x = np.unravel_index(int(np.argmax(ncc)), ncc.shape)
            if ncc[y, x] > best[0]:
                best = (float(ncc[y, x]), (x / k, y / k, (x + w) / k, (y + h) / k))
                if best[0] >= enough:
                    return best
    return best


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    """`image` box-reduced to about `side` px on its long side (unchanged if already small)."""
    factor = max(image.size) // side
    return image.reduce(factor) if factor >= 2 else image


def refine(big: Image.Image, small: Image.Image, rect: Rect) -> Rect:
    """Gauss–Newton on the rectangle's edges (x0, y0, x1, y1) so that `big`'s rect matches
    `small`, coarse to fine: a wide basin at COARSE_REFINE px first, then precision on the
    residual's own grid (grid_side: WORK px, or the smaller picture's size where that is
    less). Why not WORK always: a grid finer than either picture adds no precision, only
    upsampled pixels to fit (bench_scale's 128 × 96 library: refine was a third of its
    comparing stage, on 192-px grids of 77-px pictures)."""
    r = _inside(np.array(rect, dtype=np.float64), big)
    fine = grid_side(small, (rect[2] - rect[0], rect[3] - rect[1]))
    for side in (COARSE_REFINE, fine) if fine > COARSE_REFINE else (fine,):
        r = _refine_at(big, small, r, side)
    return tuple(r.tolist())


def _refine_at(big: Image.Image, small: Image.Image, r: np.ndarray, side: int) -> np.ndarray:
    """One level: `big` box-reduced to about twice the level's size first (each iteration
    resamples it), the rectangle scaled with it."""
    factor = max(1, max(big.size) // (2 * side))
    if factor > 1:
        reduced = big.reduce(factor)
        k = np.array([reduced.width / big.width, reduced.height / big.height] * 2)
        return _inside(_refine_at(reduced, small, _inside(r * k, reduced), side) / k, big)
    target = blur3(fit(small, side))
    h, w = target.shape
    gy, gx = np.gradient(target)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (xs + 0.5) / w, (ys + 0.5) / h
    jac = np.stack([gx * (1 - u), gy * (1 - v), gx * u, gy * v], axis=-1).reshape(-1, 4)
    solve = _least_squares(jac)
    spread, level = target.std(), target.mean()
    for _ in range(4):
        warped = blur3(fit(big, side, box=tuple(r), size=(w, h)))
        diff = (warped - warped.mean()) * (spread / (warped.std() + 1e-6))
        diff = (diff + level - target).reshape(-1)
        px = np.array([(r[2] - r[0]) / w, (r[3] - r[1]) / h] * 2)
        step = solve @ (jac.T @ -diff)
        r = _inside(r + np.clip(step, -3, 3) * px, big)
        if np.abs(step).max() < 0.05:
            break
    return r


def _least_squares(jac: np.ndarray) -> np.ndarray:
    """The 4 × 4 matrix that takes jac.T @ y to the least-squares step (normal equations,
    float64): the Jacobian is the same for every iteration of a level, so it is factored
    once, not in every iteration's lstsq (those were a tenth of the displacement rule's
    cost). Singular directions are cut as float32 lstsq cuts them (a flat picture: no step).
    Both sides of the product float64: a float64 × float32 product skips BLAS (10× slower)."""
    cut = (np.finfo(np.float32).eps * max(jac.shape)) ** 2
    wide = jac.astype(np.float64)
    return np.linalg.pinv(wide.T @ wide, rcond=cut, hermitian=True)


def _inside(r: np.ndarray, image: Image.Image) -> np.ndarray:
    """The rectangle clipped to the image, at least 2 px wide and high."""
    r = np.clip(r, 0, [image.width, image.height] * 2)
    r[2] = max(r[2], min(image.width, r[0] + 2))
    r[3] = max(r[3], min(image.height, r[1] + 2))
    r[0] = min(r[0], r[2] - 2)
    r[1] = min(r[1], r[3] - 2)
    return r


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
    for box in (tuple(_inside(np.array(rect), big).tolist()), refine(big, small, rect)):
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


def grid_side(picture: Image.Image, other: tuple[float, float]) -> int:
    """The residual grid's long side: WORK, or the long side of the smaller of `picture` and
    `other` (the other picture's part being compared, in its pixels) where that is less. Why: a grid
    finer than a picture's own pixels only magnifies its compression noise against the 3×3
    blur meant to remove it (a messenger re-save of a 128 × 96 picture at 0.6×, 77 × 58 px:
    a third of bench_scale's small re-saves "differed" from their originals at 192 px)."""
    return max(1, min(WORK, max(picture.size), round(max(other))))


def compare_images(a: Image.Image, b: Image.Image, level: int = FULL) -> PixelEvidence:
    """The pixel evidence for two decoded pictures, aligned up to `level` (compare_views).
    Two pictures with photo regions (screenshots, pads, memes) are compared by their photos
    (each region against the other, and against the other's whole, in case a region was found
    where there is none), never frame against frame; a picture with a region against one
    without: whole against whole or the region against the whole, whichever agrees better."""
    (a, ra), (b, rb) = prepared(a), prepared(b)
    if ra is not None and rb is not None:  # photo against photo, or either in the other's frame
        options = (compare_views(ra, rb, level), compare_views(a, rb, level),
                   compare_views(ra, b, level))
        return min(options, key=lambda e: e.worst)
    whole = compare_views(a, b, level)
    region = ra if ra is not None else rb
    if agrees(whole) or region is None:
        return whole
    other = (compare_views(region, b, level) if ra is not None
             else compare_views(a, region, level))
    return min((whole, other), key=lambda e: e.worst)


_PER_PICTURE: dict[int, dict[Hashable, Any]] = {}  # by id, while the picture is alive


def of_picture(image: Image.Image) -> dict[Hashable, Any]:
    """What was computed for one picture (its grey view, coarse grid, thumbnail), kept while
    the picture lives: a picture is compared with many others. Forgotten when it is."""
    key = id(image)
    memo = _PER_PICTURE.get(key)
    if memo is None:
        memo = _PER_PICTURE[key] = {}
        weakref.finalize(image, _PER_PICTURE.pop, key, None)
    return memo


def prepared(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """The grey view (at most 2 × WORK px) and its photo region, computed once per picture."""
    memo = of_picture(image)
    if "prepared" not in memo:
        grey = _shrunk(image.convert("L"), 2 * WORK)
        memo["prepared"] = (grey, _region(grey))
    return memo["prepared"]


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
