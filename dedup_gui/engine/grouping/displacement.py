"""Displaced texture: another shot of a scene, not an edited copy of one photo.

Why: an edit (re-scale, crop, flip, straightening, re-tone, blur, re-encode) moves every point
of the photo by one map: after that map, every piece of texture is where the other picture has
it. A second shot of the scene does not: parallax moves near things against far ones, a subject
moves, a second viewpoint bends the scene's planes. Its texture matches, but displaced, and by
different amounts in different places. Overlays do not displace anything: they replace texture,
so their tiles simply find no match (and are not counted).

How (numpy only, on the pictures verify already decoded): the best placement of one picture in
the other (placement.py's search, with wider straightening rotations, stopping at GOOD), both
resampled to tile_map.WORK px; the picture cut into TILES×TILES tiles, and each textured tile's best
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

from PIL import Image

from dedup_gui.engine.grouping.frames import framed
from dedup_gui.engine.grouping.overlap import Fixed, shared
from dedup_gui.engine.grouping.pixel_search import place
from dedup_gui.engine.grouping.pixels import prepared
from dedup_gui.engine.grouping.placement import PLACED_AT, searches
from dedup_gui.engine.grouping.tile_map import displaced_at

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
    return displaced_at(big, small, rect)


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
