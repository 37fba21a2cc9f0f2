"""Verification: does a candidate pair show the same exposure, or only the same scene?

Hashes and embeddings say "looks alike"; a burst frame and the next one look alike too, and a
user who trusts "same picture re-saved" would trash a different moment. Every pair that
classify() put in a duplicate tier is checked here, strongest evidence first:

1. Capture metadata (GroupFile.capture; capture_rule.py): one camera (make and model, and the
   serial when both files carry one) at two different instants took two photos; at the same
   instant it took one (an edit, an export or a re-save that kept the EXIF). Two cameras took
   two photos, at any instant. Missing metadata decides nothing.
2. Degenerate pictures (flat, tiny, extreme aspect ratios) carry no evidence in their hashes or
   embeddings: they match only as identical pixels at a compatible aspect ratio.
3. Pixels (grouping/pixels.py): aligned, compared tile by tile; screenshots by the photos
   inside them. A residual within re-encoding noise in every tile is the same picture. A
   difference decides nothing here: edits (filters, captions, stickers, heavy crops and
   rotations of a screenshot) and other shots both change pixels, and on the dev sets no
   residual statistic told them apart without losing real edits (measured, see the commit).
   A "re-saved" pair whose pixels differ is relabelled "edited copy".
   Where no capture is known, or where one is and the pixels differ, three rules can still
   refute a pair (grouping/refute.py): two screenshots of one template around different
   photos (frames.py), an "edited copy" with no placement in the other picture
   (placement.py: it shares no pixels with it), and an "edited copy" whose texture is
   displaced off one map (displacement.py: parallax or motion, another shot of the scene).
4. Exposures are transitive: files whose pixels agree are one exposure and share what any of
   them knows, so a messenger re-save (EXIF stripped) of frame 1 is refuted against frame 2
   because frame 1's capture instant differs from frame 2's (without a pixel check of its own).

A pair refuted as "another shot" becomes a SIMILAR edge (counted only when the user counts
similar shots) and never joins a duplicate group through the loose group compatibility either;
one whose captures were taken more than SERIES_SPAN_S apart leaves no edge at all (not a
series: far_apart).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.capture_rule import Exposures, capture_verdict, far_apart
from dedup_gui.engine.grouping.picture_grid import of_picture
from dedup_gui.engine.grouping.pixels import (
    FULL,
    NEAR,
    SAME_WORST,
    agrees,
    compare_images,
)
from dedup_gui.engine.grouping.refute import Chain, refute
from dedup_gui.engine.grouping.verdict import DIFFER, Loader, Verdict, differs, per_file
from dedup_gui.engine.signals.handoff import Picture
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.signals.picture_facts import MAX_ASPECT, MIN_SIDE, VERIFY_SIDE, degenerate
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, Edge
from dedup_gui.engine.types import Capture

# Draft-decode size of a pair's pictures (JPEG decodes at 1/8 scale); the signal worker knows
# it too, to tell whether its own decode is this one (signals/picture_facts.py).
DECODE_SIDE = VERIFY_SIDE
CACHE_IMAGES = 256  # decoded pictures kept while pairs are checked (pairs come sorted)
ASPECT_TOLERANCE = 0.02  # relative aspect difference two identical-pixel pictures may have
PLAIN_LEVEL = -1  # memo level of the per-picture "too plain" fact (degenerate)
PLAIN = "too plain to compare"


def identical_pixels(a: Image.Image, b: Image.Image) -> bool:
    """Same aspect ratio (within ASPECT_TOLERANCE) and the same pixels at the smaller size."""
    ra, rb = a.width / a.height, b.width / b.height
    if abs(ra - rb) > ASPECT_TOLERANCE * max(ra, rb):
        return False
    size = (min(a.width, b.width), min(a.height, b.height))
    pa = np.asarray(a.convert("RGB").resize(size, Image.Resampling.BOX), dtype=np.int16)
    pb = np.asarray(b.convert("RGB").resize(size, Image.Resampling.BOX), dtype=np.int16)
    return bool(np.abs(pa - pb).max() <= 2)


def pixel_verdict(a: Image.Image, b: Image.Image, level: int = FULL) -> Verdict:
    """The pixel rule (module docstring, steps 2 and 3), aligning up to `level`
    (grouping/pixels.py, compare_views)."""
    if _degenerate(a) or _degenerate(b):
        same = identical_pixels(a, b)
        return Verdict(same, "identical pixels" if same else PLAIN)
    evidence = compare_images(a, b, level)
    if agrees(evidence):
        return Verdict(True, f"pixels agree (residual {evidence.worst:.0f})")
    return Verdict(None, f"{DIFFER} {evidence.share_above(SAME_WORST):.0%} of tiles")


class PictureCache:
    """Decoded pictures for verification, least recently used dropped first; those the
    scan's signal stage decoded (`decoded`: signals/handoff.py) are taken from there, not
    decoded again."""

    def __init__(self, size: int = CACHE_IMAGES,
                 verdicts: dict[tuple[str, str, int], Verdict] | None = None,
                 decoded: Mapping[str, Picture] | None = None) -> None:
        self._size = size
        self.decoded: Mapping[str, Picture] = {} if decoded is None else decoded
        self._images: OrderedDict[str, Image.Image | None] = OrderedDict()
        # Pixel verdicts by (path, path, level): they depend on no threshold, so regrouping
        # the same files (calibration sweeps, evaluation) checks each pair once, and a scan
        # keeps them in its cache file (verdict_store.py) for the next rescan.
        self.verdicts: dict[tuple[str, str, int], Verdict] = {} if verdicts is None else verdicts

    def __call__(self, path: str) -> Image.Image | None:
        if path in self._images:
            self._images.move_to_end(path)
            return self._images[path]
        image = self._load(path)
        self._images[path] = image
        if len(self._images) > self._size:
            self._images.popitem(last=False)
        return image

    def _load(self, path: str) -> Image.Image | None:
        if (picture := self.decoded.get(path)) is not None:
            return picture.image()
        try:
            return load_image(path, mode="RGB", min_side=DECODE_SIDE).image
        except (ImageLoadError, OSError):
            return None


@dataclass(slots=True)
class Verified:
    """The edges after verification and the unit pairs refuted (never to share a group)."""

    edges: dict[tuple[int, int], Edge]
    refuted: set[tuple[int, int]] = field(default_factory=set)
    shots: dict[tuple[int, int], Edge] = field(default_factory=dict)  # another shot, alike
    joined: set[tuple[int, int]] = field(default_factory=set)  # found one exposure


def verify_edges(edges: Mapping[tuple[int, int], Edge], captures: Sequence[Capture | None],
                 paths: Sequence[str], load: Loader,
                 memo: dict[tuple[str, str, int], Verdict] | None = None,
                 suspects: Sequence[bool] | None = None,
                 crowded: Collection[int] | None = None) -> Verified:
    """Every duplicate-tier edge checked (module docstring), strongest first so that a copy
    meets its own original before its original's burst-mates (whose refutation it then
    inherits without a pixel check); `captures` and `paths` per unit; `memo` keeps pixel
    verdicts between calls (PictureCache.verdicts); `crowded`: refute.Chain's."""
    memo = {} if memo is None else memo
    suspects = suspects if suspects is not None else [True] * len(paths)
    exposures = Exposures(captures)
    verdicts: dict[tuple[int, int], Verdict] = {}
    checked = [(p, e) for p, e in edges.items() if e.tier in (RESAVED, EDITED)]
    chain = Chain(len(paths), (p for p, e in checked if e.tier == EDITED), crowded)
    for (i, j), edge in sorted(checked, key=lambda item: (item[1].sort_key(), item[0])):
        verdict = capture_verdict(captures[i], captures[j])
        if verdict.same is None:
            verdict = exposures.refutes(i, j) or _pixels(paths, (i, j), edge.tier,
                                                          exposures.known(i, j), load, memo,
                                                          suspects, chain)
        if verdict.same:
            exposures.join(i, j)
        verdicts[(i, j)] = verdict
    for (i, j), verdict in verdicts.items():  # what the exposures learnt after a pair's turn
        if verdict.same is None:
            verdicts[(i, j)] = exposures.refutes(i, j) or verdict
    unrelated = {(i, j) for (i, j), verdict in verdicts.items() if verdict.same is False
                 and far_apart(exposures.capture(i), exposures.capture(j))}
    return _result(edges, verdicts, unrelated)


def _result(edges: Mapping[tuple[int, int], Edge],
            verdicts: Mapping[tuple[int, int], Verdict],
            unrelated: set[tuple[int, int]]) -> Verified:
    """The verdicts applied (_apply); an `unrelated` pair is refuted and leaves no edge."""
    result = Verified({})
    for pair, edge in edges.items():
        verdict = verdicts.get(pair)
        checked = edge if verdict is None else _apply(edge, verdict)
        refuted = verdict is not None and verdict.same is False
        if refuted:
            result.refuted.add(pair)
        elif verdict is not None and verdict.same:
            result.joined.add(pair)
        if checked is not None and pair not in unrelated:
            result.edges[pair] = checked
            if refuted:
                result.shots[pair] = checked
    return result


def _pixels(paths: Sequence[str], pair: tuple[int, int], tier: str, known: bool,
            load: Loader, memo: dict[tuple[str, str, int], Verdict],
            suspects: Sequence[bool], chain: Chain | None = None) -> Verdict:
    """The pixel verdict, searching only as hard as its answer matters: fully where a side's
    exposure has a known capture (its copies inherit it, so the answer can refute a pair).
    Without one, an alignment could only relabel "re-saved" as "edited copy" (a scan must
    not pay about 25 ms a pair for that: it took a 600-photo scan from 2.0 to 5.3 s), so such
    a pair gets the degenerate-picture rule, from a per-file flag, and the cheaper rules that
    can refute it (refute.py: two photos in one frame, no placement, displaced texture).
    Those rules hold whatever the metadata says, so a captured pair whose pixels differ gets
    them too: a re-save without EXIF next to a chance look-alike with EXIF (unrelated
    pictures at cosine 0.76, its own original not met first) stayed an "edited copy",
    proposed for the Trash (bench_scale's 20k library: 25 of its 68 false pairs)."""
    a, b = paths[pair[0]], paths[pair[1]]
    plain = (suspects[pair[0]] and _plain(a, load, memo)) or \
        (suspects[pair[1]] and _plain(b, load, memo))
    if not known and not plain:
        return refute(a, b, tier, load, memo, chain, pair)
    verdict = memoised_pixel_verdict(a, b, FULL if known else NEAR, load, memo)
    if known and differs(verdict):
        refuted = refute(a, b, tier, load, memo, chain, pair)
        if refuted.same is False:
            return refuted
    return verdict


def memoised_pixel_verdict(a: str, b: str, level: int, load: Loader,
                           memo: dict[tuple[str, str, int], Verdict]) -> Verdict:
    """pixel_verdict() of two files, kept in `memo` under (a, b, level); undecided when either
    cannot be decoded (the scan stands)."""
    key = (a, b, level)
    if key not in memo:
        image_a, image_b = load(a), load(b)
        if image_a is None or image_b is None:
            memo[key] = Verdict(None, "")
        else:
            for path, image in ((a, image_a), (b, image_b)):
                known = memo.get((path, "", PLAIN_LEVEL))  # the signal stage's, most often
                if known is not None:
                    of_picture(image).setdefault("degenerate", bool(known.same))
            memo[key] = pixel_verdict(image_a, image_b, level)
    return memo[key]


def _degenerate(image: Image.Image) -> bool:
    """degenerate(), once per decoded picture (a picture meets many others), or as the memo
    knew it for its file (memoised_pixel_verdict)."""
    memo = of_picture(image)
    if "degenerate" not in memo:
        memo["degenerate"] = degenerate(image)
    return memo["degenerate"]


def may_be_plain(width: int, height: int, phash: int | None, bits: int) -> bool:
    """Whether a picture may be degenerate, from facts the scan has (no decoding): tiny or a
    strip by its size, or a perceptual hash with (almost) no structure, which is what a flat or
    nearly flat picture gives. Only these are decoded for the degenerate rule."""
    if width <= 0 or height <= 0 or phash is None:
        return True
    if min(width, height) < MIN_SIDE or max(width, height) / min(width, height) > MAX_ASPECT:
        return True
    ones = phash.bit_count()
    return ones <= 3 or ones >= bits - 3


def _plain(path: str, load: Loader, memo: dict[tuple[str, str, int], Verdict]) -> bool:
    """degenerate(), remembered per file in `memo` (under the key (path, "", PLAIN_LEVEL));
    a scan's memo knows it from the signal stage for most files (verdict_store.py)."""
    return per_file(path, load, memo, PLAIN_LEVEL, degenerate)


def _apply(edge: Edge, verdict: Verdict) -> Edge | None:
    """The edge with its evidence noted: kept when the same exposure, relabelled "edited copy"
    when pixels differ but nothing refutes it, SIMILAR when another shot, None when the
    pictures are too plain to be even alike."""
    if verdict.same:
        return noted(edge, edge.tier, verdict.note)
    if verdict.same is None:
        tier = EDITED if edge.tier == RESAVED and verdict.note else edge.tier
        return noted(edge, tier, verdict.note)
    if verdict.note == PLAIN:
        return None
    return noted(edge, SIMILAR, verdict.note)


def noted(edge: Edge, tier: str, note: str) -> Edge:
    """replace(edge, tier=tier, note=note), the edge itself where both are already so (Edges
    are frozen: sharing one is safe), else made directly: dataclasses.replace costs ~3 µs a
    call, and re-verifying a big component, or applying a warm rescan's stored outcomes
    (verified_store.py: 500k files, 140k edges), makes hundreds of thousands."""
    if edge.tier == tier and edge.note == note:
        return edge
    return Edge(tier, edge.hash_distance, edge.cosine, note)
