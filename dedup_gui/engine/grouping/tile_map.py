"""Texture on one map or off it: the tile search behind the displacement rule.

Why a module of its own: displacement.py decides which placements of two pictures to judge
(the whole one, straightened ones, the partial overlaps) and what the answer means; this is
how one placement is judged, the same for every one of them. Two grey grids at one size, one
resampled onto the other by the placement: each is cut into TILES×TILES tiles, each textured
tile's best shift into the other found by normalised cross-correlation within SEARCH px (FFT,
all tiles at once), an affine map fitted to the matched tiles (least squares, trimmed) and the
other grid warped by it, three rounds with a shrinking search; then each tile is looked for
again within MEASURE px, and a matched tile that still needs a shift of more than DRIFT px is
off the map (displacement.py's module doc says why that tells another shot from an edit).
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import fft

from dedup_gui.engine.grids import edge_padded
from dedup_gui.engine.grouping.picture_grid import Rect, fit
from dedup_gui.engine.grouping.pixel_search import refine

WORK = 192  # long side of the grid the tiles are cut from
TILES = 8  # tiles per side
SEARCH = (12, 6, 4)  # px searched around each tile, one entry per round of map fitting
MEASURE = 12  # px searched in the last look: displaced texture must still be found
TEXTURED = 6.0  # grey-level spread from which a tile holds texture to match
MATCHED = 0.7  # tile NCC from which a tile found its place in the other picture
# px (at WORK) a matched tile may need after the map: resampling, JPEG and blur
# move texture by well under a pixel; parallax and motion by several. 1.5 px is 0.8% of the
# picture.
DRIFT = 1.5
MIN_TILES = 8  # matched tiles needed for a verdict (fewer: too little texture to tell)
# Share of matched tiles off the map from which it is another shot. An edit leaves none off
# the map but noise (measured on the dev sets' true pairs: at most 6 of 49); a second shot
# leaves most (its matched tiles found their texture displaced).
OFF_SHARE = 0.5


def displaced_at(big: Image.Image, small: Image.Image, rect: Rect) -> bool | None:
    """`small` placed at `rect` in `big` (refined first), both at WORK px: True when at
    least OFF_SHARE of the matched tiles are off the map (another shot), False when one map
    holds them (one picture), None when too few tiles match to tell. One judgement for the
    displacement rule and the frame rule's "one photo in both slots"."""
    one = fit(small, WORK)
    h, w = one.shape
    off = off_map(one, fit(big, WORK, box=refine(big, small, rect), size=(w, h)))
    return None if off is None else off[0] >= OFF_SHARE * off[1]


def off_map(one: np.ndarray, other: np.ndarray) -> tuple[int, int] | None:
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
    """One picture's tiles, as every round of off_map cuts them: their corners, spread and,
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
    padded = edge_padded(other, radius)
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
