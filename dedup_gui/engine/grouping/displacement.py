"""Displaced texture: another shot of a scene, not an edited copy of one photo.

Why: an edit (re-scale, crop, flip, straightening, re-tone, blur, re-encode) moves every point
of the photo by one map: after that map, every piece of texture is where the other picture has
it. A second shot of the scene does not: parallax moves near things against far ones, a subject
moves, a second viewpoint bends the scene's planes. Its texture matches, but displaced, and by
different amounts in different places. Overlays do not displace anything: they replace texture,
so their tiles simply find no match (and are not counted).

How (numpy only, on the pictures verify already decoded): the best placement of one picture in
the other (placement.py's search, with wider straightening rotations, stopping at GOOD), both
resampled to WORK px; the picture cut into TILES×TILES tiles, and each textured tile's best
shift found by normalised cross-correlation within SEARCH px (FFT, all tiles at once). One
affine map is fitted to the matched tiles (least squares, trimmed) and the other picture warped
by it; three rounds with a shrinking search. Then each tile is looked for again within MEASURE
px: a matched tile that still needs a shift of more than DRIFT px is off the map. Another
shot when at least MIN_TILES tiles match and at least OFF_SHARE of them are off the map.

Only when no map holds them: the placement above puts one whole picture inside the other, so
two crops of one photo that overlap in part (neither holds the other; common among a photo's
exports) are forced to a wrong scale and offset, and their texture then looks displaced
everywhere (measured: 14 of 59 such pairs in bench_scan's camera library). So before calling
a pair another shot, the partial placements that overlap.py finds (the shared rectangles; the
best one for each flip and quarter turn, either picture moved, strongest first: the true one
ranked only fifth for two phone-library crops of self-similar texture) are judged the same
way; if the shared part of one is on one map with the other, the pair is one photo cut twice,
and it is not judged.
This can only take a refutation back, never make one: a wrong partial placement leaves tiles
off the map, not on it.
A partial placement whose shared part correlates below placement.py's PLACED_AT is not
judged at all: it places nothing (bench_scale's bursts: a fifth of verification's time, with the
same verdicts on the scale, camera and phone libraries).

Not applied where either side has a photo region or may be a frame (screenshots, pads, memes:
frames.py), nor to a possible stretch (MAX_ASPECT_CHANGE): the placement is found less
precisely there, and copies would drift (measured: two true pairs of debian_augly_dev).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grouping.frames import framed
from dedup_gui.engine.grouping.overlap import Fixed, shared
from dedup_gui.engine.grouping.pixels import fit, place, prepared, refine
from dedup_gui.engine.grouping.placement import PLACED_AT, searches

WORK = 192  # long side of the grid the tiles are cut from
TILES = 8  # tiles per side
SEARCH = (12, 6, 4)  # px searched around each tile, one entry per round of map fitting
MEASURE = 12  # px searched in the last look: displaced texture must still be found
TEXTURED = 6.0  # grey-level spread from which a tile holds texture to match
MATCHED = 0.7  # tile NCC from which a tile found its place in the other picture
# px (at WORK) a matched tile may need after the map: resampling, JPEG and blur move texture
# by well under a pixel; parallax and motion by several. 1.5 px is 0.8% of the picture.
DRIFT = 1.5
MIN_TILES = 8  # matched tiles needed for a verdict (fewer: too little texture to tell)
# Share of matched tiles off the map from which it is another shot. An edit leaves none off
# the map but noise (measured on the dev sets' true pairs: at most 6 of 49); a second shot
# leaves most (its matched tiles found their texture displaced).
OFF_SHARE = 0.5
GOOD = 0.92  # placement correlation at which the search stops
# Share of the larger picture the placed one must cover. Edits keep most of a photo (a crop
# in a phone editor keeps over half of it), and so do two shots of one scene; a placement on
# a small part (an aspect-ratio change or a screenshot the scale ladder cannot represent) is
# itself in doubt, so it decides nothing.
MIN_OVERLAP = 0.1
# Aspect-ratio change beyond which one picture may be a stretched copy of the other (a phone's
# "fit" export, an aspect-ratio edit): the placement's one scale cannot represent a stretch,
# so such a pair is not judged. 4/3: 4:3 against 1:1, the largest change a usual crop makes.
MAX_ASPECT_CHANGE = 4 / 3
ROTATIONS = (-8.0, -4.0, 4.0, 8.0, -12.0, 12.0)  # two copies straightened both ways
UNROTATED = 4  # searches before the rotations: b as stored and turned, both ways round

Placement = tuple[float, Image.Image, Image.Image, tuple[float, float, float, float]]


def displaced(a: Image.Image, b: Image.Image) -> bool | None:
    """Whether two decoded pictures that have a placement show another shot (module doc):
    True (texture displaced, whole and in every likely partial overlap), False (every matched
    tile on one map: one picture), None (not judged: a frame or region, a stretch, a doubtful
    placement, too little texture, or two crops on one map where they overlap)."""
    search = begin(a, b)
    return None if search is None else judged(search)


@dataclass(slots=True)
class Search:
    """The rule's placement search for one pair, begun: the grey views, the searches still to
    run (placement.searches, with ROTATIONS) and the best placement of the first UNROTATED.
    Why a value: refute.py asks the placement rule (placement.py: any placement at
    PLACED_AT?) and this rule about the same two pictures, and where this rule judges the
    pair its first searches (the same views, b as stored and in its best-looking turn, in the
    same order, searched fully) answer the placement rule too (best >= PLACED_AT), so the
    pair is searched once, not twice (placement.placed only when they do not). judged()
    consumes it: one verdict per Search."""

    ga: Image.Image
    gb: Image.Image
    steps: Iterator[tuple[Image.Image, Image.Image]]
    best: Placement


def begin(a: Image.Image, b: Image.Image) -> Search | None:
    """The pair's search after its first UNROTATED steps; None where the rule does not judge
    the pair (a photo region, a possible frame or stretch: module doc)."""
    (ga, ra), (gb, rb) = prepared(a), prepared(b)
    if ra is not None or rb is not None or framed(a) or framed(b) or _stretched(ga, gb):
        return None
    steps = searches([ga], [gb], ROTATIONS)
    return Search(ga, gb, steps, _best_placement(islice(steps, UNROTATED)))


def judged(search: Search) -> bool | None:
    """displaced()'s verdict on a begun search.

    Judged as it goes (an edit needs only one map that holds it): when neither b as stored
    nor turned places well (GOOD), the best of those is judged before the straightening
    rotations are searched, and while it is displaced the partial overlaps are tried; the
    rotations are searched only while every one of those is displaced (measured on
    bench_scan's camera library: most such pairs are crops that overlap in part, and the 24
    rotation searches and their verdict were a third of the rule's cost)."""
    ga, gb, steps, best = search.ga, search.gb, search.steps, search.best
    parts_displaced = False
    if best[0] < GOOD:
        early = _judged(*best[1:])
        if early is False:
            return False
        if early:
            if _one_map_in_part(ga, gb):
                return None
            parts_displaced = True
        rotated = _best_placement(steps, best)
        if rotated is best:
            return early
        best = rotated
    whole = _judged(*best[1:])
    if not whole:
        return whole
    return True if parts_displaced or not _one_map_in_part(ga, gb) else None


def _one_map_in_part(a: Image.Image, b: Image.Image) -> bool:
    """Whether the shared part of a partial placement (the best for each flip and quarter
    turn of `b`, either picture moved) is on one map (module doc). The answer is "any of
    the 16", so the order only sets the cost: each is searched and judged in turn, `b` as
    stored first (most crops are neither flipped nor turned: they stop after one or two
    searches instead of all 16). `a` is the fixed picture of 8 searches: its coarse grid, sums
    and spectra are computed once (overlap.Fixed).

    Every partial placement that reaches PLACED_AT is judged, even where it is the overlap
    found from the other side or the whole placement again (burst frames framed alike):
    judged from the other picture, or trimmed by a coarse pixel, the same overlap can be on
    one map where the other was not (measured: skipping those turned 2 of bench_scan's 2,509
    phone crop pairs into "another shot", one of them sharing over half its picture)."""
    fixed_a = Fixed(a)
    for view in [b, *(b.transpose(t) for t in Image.Transpose)]:
        for fixed, moved in ((fixed_a, view), (Fixed(view), a)):
            _, part, rect, correlation = shared(fixed, moved)
            if correlation < PLACED_AT:
                continue  # not a placement of one picture in the other: nothing to judge
            if _judged(fixed.image, moved.crop(tuple(round(v) for v in part)), rect) is False:
                return True
    return False


def _judged(big: Image.Image, small: Image.Image, rect: tuple[float, float, float, float]
            ) -> bool | None:
    """The verdict on `small` placed at `rect` in `big` (displaced()'s, for one placement)."""
    if (rect[2] - rect[0]) * (rect[3] - rect[1]) < MIN_OVERLAP * big.width * big.height:
        return None  # a small part of the other picture: the placement itself is in doubt
    one = fit(small, WORK)
    h, w = one.shape
    other = fit(big, WORK, box=refine(big, small, rect), size=(w, h))
    off = _off_map(one, other)
    if off is None or off[1] < MIN_TILES:
        return None
    return off[0] >= OFF_SHARE * off[1]


def _stretched(a: Image.Image, b: Image.Image) -> bool:
    ra, rb = a.width / a.height, b.width / b.height
    return max(ra, rb) / min(ra, rb) > MAX_ASPECT_CHANGE


def _best_placement(steps: Iterable[tuple[Image.Image, Image.Image]],
                    best: Placement | None = None) -> Placement:
    """The best placement (correlation, big, small, rect) of `steps` (placement.searches, in
    pairs: one view in the other, both ways round) and `best` so far, searched until one
    reaches GOOD; both ways round always (a self-similar texture can place the whole in its
    own crop well, though not best). A wrong one (a turn chosen on thumbnails, two crops that
    overlap in part) only sends the pair on to shared()."""
    if best is not None and best[0] >= GOOD:
        return best
    for index, (big, small) in enumerate(steps):
        correlation, rect = place(big, small)
        if best is None or correlation > best[0]:
            best = (correlation, big, small, rect)
        if index % 2 == 1 and best[0] >= GOOD:
            break
    assert best is not None
    return best


def _off_map(one: np.ndarray, other: np.ndarray) -> tuple[int, int] | None:
    """(tiles off the map, matched tiles) on the best map the rounds of map fitting found
    (the one with the most tiles on it), measured within MEASURE px; None when too few tiles
    match to fit a map. The best, not the last: a round's fit can take in tiles that matched
    by chance and wander off a right map (measured: two crops of one photo went from 2 to 19
    of 37 tiles off in one round), and an edit needs only one map that holds it. So when the
    first round (the placement's own map, searched within MEASURE px) already holds the
    verdict's share of tiles, no map is fitted: the best map could only hold more (measured:
    most edited copies end here, a third of the rule's cost)."""
    to_other, warped, tiles = np.eye(3), other, _Tiles(one)
    best: tuple[int, np.ndarray, np.ndarray] | None = None  # (on the map, map, warped)
    for last, radius in [(False, r) for r in SEARCH] + [(True, MEASURE)]:
        centres, shifts, matched = _tile_shifts(tiles, warped, radius)
        if matched.sum() < MIN_TILES:
            return None
        on = int((matched & (np.hypot(shifts[:, 0], shifts[:, 1]) <= DRIFT)).sum())
        if best is None and radius == MEASURE and matched.sum() - on < OFF_SHARE * matched.sum():
            return int(matched.sum()) - on, int(matched.sum())
        if best is None or on > best[0]:
            best = (on, to_other, warped)
        if not last:
            to_other = to_other @ _affine(centres, shifts, matched)
            warped = _warp(other, to_other)
    if best[1] is not to_other:
        centres, shifts, matched = _tile_shifts(tiles, best[2], MEASURE)
        if matched.sum() < MIN_TILES:
            return None
    off = np.hypot(shifts[:, 0], shifts[:, 1])[matched] > DRIFT
    return int(off.sum()), int(matched.sum())


class _Tiles:
    """One picture's tiles, as every round of _off_map cuts them: their corners, spread and,
    for each search radius, the spectrum of the normalised tiles at the window's size (the
    picture is the same in every round, only the other one is warped: computed once per
    radius, not once per round)."""

    def __init__(self, one: np.ndarray) -> None:
        h, w = one.shape
        self.size = th, tw = h // TILES, w // TILES
        self.corners = [(i * th, j * tw) for i in range(TILES) for j in range(TILES)]
        self.tiles = np.stack([one[y:y + th, x:x + tw] for y, x in self.corners])
        self.spread = self.tiles.std(axis=(1, 2))
        self.centres = np.array([(x + tw / 2, y + th / 2) for y, x in self.corners])
        self._spectra: dict[int, np.ndarray] = {}

    def spectrum(self, radius: int) -> np.ndarray:
        if radius not in self._spectra:
            th, tw = self.size
            t = self.tiles - self.tiles.mean(axis=(1, 2), keepdims=True)
            t /= t.std(axis=(1, 2), keepdims=True) + 1e-6
            shape = (th + 2 * radius, tw + 2 * radius)
            self._spectra[radius] = np.conj(fft.rfft2(t, shape))
        return self._spectra[radius]


def _tile_shifts(one: np.ndarray | _Tiles, other: np.ndarray, radius: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tile centres (x, y), each tile's best shift into `other` (sub-pixel) and whether it is
    textured and matched."""
    tiles = one if isinstance(one, _Tiles) else _Tiles(one)
    th, tw = tiles.size
    padded = np.pad(other, radius, mode="edge")
    windows = np.stack([padded[y:y + th + 2 * radius, x:x + tw + 2 * radius]
                        for y, x in tiles.corners])
    ncc = _ncc(tiles.size, windows, tiles.spectrum(radius),
               _window_sums(padded, (th, tw), radius))
    flat = ncc.reshape(len(ncc), -1)
    dy, dx = np.unravel_index(flat.argmax(1), ncc.shape[1:])
    rows = np.arange(len(ncc))
    side = 2 * radius
    sy = dy + _vertex(ncc[rows, np.maximum(dy - 1, 0), dx], ncc[rows, dy, dx],
                      ncc[rows, np.minimum(dy + 1, side), dx])
    sx = dx + _vertex(ncc[rows, dy, np.maximum(dx - 1, 0)], ncc[rows, dy, dx],
                      ncc[rows, dy, np.minimum(dx + 1, side)])
    matched = (tiles.spread >= TEXTURED) & (flat.max(1) >= MATCHED)
    return tiles.centres, np.stack([sx - radius, sy - radius], 1), matched


def _ncc(tile: tuple[int, int], windows: np.ndarray, tiles: np.ndarray,
         sums: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """NCC of each tile (`tiles`: their normalised spectra, conjugated, at the windows' size)
    at every offset inside its window (FFT, all tiles at once), given the sums of grey levels
    and of their squares under the tile at every offset (_window_sums)."""
    th, tw = tile
    height, width = windows.shape[1:]
    corr = fft.irfft2(fft.rfft2(windows, (height, width)) * tiles,
                      (height, width))[:, :height - th + 1, :width - tw + 1]
    mean = sums[0] / (th * tw)
    var = np.maximum(sums[1] / (th * tw) - mean * mean, 1e-3)
    return corr / (th * tw * np.sqrt(var))


def _window_sums(padded: np.ndarray, tile: tuple[int, int], radius: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Sums of grey levels and of their squares under a tile-sized box at every offset of
    each tile's window (row-major tiles, as _tile_shifts cuts them): the box sums of the
    whole padded picture at every position, computed once, and each window's share of them
    (not running sums per window: the windows overlap, and those were a third of the tile
    search's cost). Float64: the running sums' totals are large."""
    th, tw = tile
    grid = padded.astype(np.float64)
    side = 2 * radius + 1

    def box(values: np.ndarray) -> np.ndarray:
        s = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
        np.cumsum(values, 0, out=s[1:, 1:])
        np.cumsum(s[1:, 1:], 1, out=s[1:, 1:])
        sums = s[th:, tw:] - s[:-th, tw:] - s[th:, :-tw] + s[:-th, :-tw]
        views = np.lib.stride_tricks.sliding_window_view(sums, (side, side))
        return views[::th, ::tw][:TILES, :TILES].reshape(TILES * TILES, side, side)

    return box(grid), box(grid * grid)


def _vertex(left: np.ndarray, centre: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Sub-pixel offset of a peak from a parabola through three samples."""
    curve = left - 2 * centre + right
    safe = np.where(np.abs(curve) > 1e-6, curve, 1.0)
    return np.where(np.abs(curve) > 1e-6, 0.5 * (left - right) / safe, 0.0).clip(-0.5, 0.5)


def _affine(centres: np.ndarray, shifts: np.ndarray, matched: np.ndarray) -> np.ndarray:
    """The 3×3 map p -> p + shift(p) fitted to the matched tiles, trimmed of the worst."""
    design = np.c_[centres, np.ones(len(centres))]
    use = np.flatnonzero(matched)
    keep = use
    coef = np.zeros((3, 2))
    for _ in range(4):
        coef = np.linalg.lstsq(design[keep], shifts[keep], rcond=None)[0]
        error = np.hypot(*(design @ coef - shifts).T)
        cut = max(2.0, 1.5 * float(np.median(error[use])))
        kept = use[error[use] <= cut]
        if len(kept) < 6:
            break
        keep = kept
    return np.array([[1 + coef[0, 0], coef[1, 0], coef[2, 0]],
                     [coef[0, 1], 1 + coef[1, 1], coef[2, 1]], [0.0, 0.0, 1.0]])


def _warp(grid: np.ndarray, to_other: np.ndarray) -> np.ndarray:
    """`grid` resampled so that its point to_other·p lands at p."""
    image = Image.fromarray(grid.astype(np.float32), mode="F")
    out = image.transform(image.size, Image.Transform.AFFINE, tuple(to_other[:2].reshape(-1)),
                          Image.Resampling.BILINEAR)
    return np.asarray(out, dtype=np.float32)
