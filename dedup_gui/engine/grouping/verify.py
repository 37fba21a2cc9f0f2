"""Verification: does a candidate pair show the same exposure, or only the same scene?

Hashes and embeddings say "looks alike"; a burst frame and the next one look alike too, and a
user who trusts "same picture re-saved" would trash a different moment. Every pair that
classify() put in a duplicate tier is checked here, strongest evidence first:

1. Capture metadata (GroupFile.capture): one camera (make and model, and the serial when both
   files carry one) at two different instants took two photos; at the same instant it took one
   (an edit, an export or a re-save that kept the EXIF). Missing metadata decides nothing.
2. Degenerate pictures (flat, tiny, extreme aspect ratios) carry no evidence in their hashes or
   embeddings: they match only as identical pixels at a compatible aspect ratio.
3. Pixels (grouping/pixels.py): aligned, compared tile by tile; screenshots by the photos
   inside them. A residual within re-encoding noise in every tile is the same picture. A
   difference decides nothing here: edits (filters, captions, stickers, heavy crops and
   rotations of a screenshot) and other shots both change pixels, and on the dev sets no
   residual statistic told them apart without losing real edits (measured, see the commit).
   A "re-saved" pair whose pixels differ is relabelled "edited copy".
4. Exposures are transitive: files whose pixels agree are one exposure and share what any of
   them knows, so a messenger re-save (EXIF stripped) of frame 1 is refuted against frame 2
   because frame 1's capture instant differs from frame 2's.

A pair refuted as "another shot" becomes a SIMILAR edge (counted only when the user counts
similar shots) and never joins a duplicate group through the loose group compatibility either.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.pixels import SAME_WORST, agrees, compare_images
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, Edge
from dedup_gui.engine.types import Capture

DECODE_SIDE = 256  # draft-decode size of a pair's pictures (JPEG decodes at 1/8 scale)
CACHE_IMAGES = 256  # decoded pictures kept while pairs are checked (pairs come sorted)
MIN_SIDE = 16  # pixels: a smaller picture holds too little to compare
MAX_ASPECT = 8.0  # long side / short side beyond which a picture is a strip
FLAT_STD = 2.0  # grey-level spread below which a picture is flat (one colour, a gradient)
ASPECT_TOLERANCE = 0.02  # relative aspect difference two identical-pixel pictures may have
PLAIN = "too plain to compare"

Loader = Callable[[str], Image.Image | None]


@dataclass(frozen=True, slots=True)
class Verdict:
    """same: True (one exposure), False (another shot or unrelated), None (undecided)."""

    same: bool | None
    note: str


def capture_verdict(a: Capture | None, b: Capture | None) -> Verdict:
    """The metadata rule; undecided unless both sides name the camera and the instant."""
    if a is None or b is None or a.taken_ns is None or b.taken_ns is None:
        return Verdict(None, "")
    if not a.make or not a.model or (a.make, a.model) != (b.make, b.model):
        return Verdict(None, "")
    if a.serial and b.serial and a.serial != b.serial:
        return Verdict(None, "")  # two bodies of one model: their clocks are not comparable
    if a.unique_id and b.unique_id and a.unique_id == b.unique_id:
        return Verdict(True, "same image ID")
    apart = abs(a.taken_ns - b.taken_ns) / 1e9
    if apart == 0:
        return Verdict(True, "same capture instant")
    return Verdict(False, f"taken {_seconds(apart)} apart, same camera")


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 60 else f"{value / 60:.0f} min"


def degenerate(image: Image.Image) -> bool:
    """Flat, tiny or a strip: nothing in it says which photo it is."""
    w, h = image.size
    if min(w, h) < MIN_SIDE or max(w, h) / min(w, h) > MAX_ASPECT:
        return True
    return float(np.asarray(image.convert("L"), dtype=np.float32).std()) < FLAT_STD


def identical_pixels(a: Image.Image, b: Image.Image) -> bool:
    """Same aspect ratio (within ASPECT_TOLERANCE) and the same pixels at the smaller size."""
    ra, rb = a.width / a.height, b.width / b.height
    if abs(ra - rb) > ASPECT_TOLERANCE * max(ra, rb):
        return False
    size = (min(a.width, b.width), min(a.height, b.height))
    pa = np.asarray(a.convert("RGB").resize(size, Image.Resampling.BOX), dtype=np.int16)
    pb = np.asarray(b.convert("RGB").resize(size, Image.Resampling.BOX), dtype=np.int16)
    return bool(np.abs(pa - pb).max() <= 2)


def pixel_verdict(a: Image.Image, b: Image.Image, search: bool = True) -> Verdict:
    """The pixel rule (module docstring, steps 2 and 3); without `search` only pictures framed
    alike are aligned (grouping/pixels.py, compare_images)."""
    if degenerate(a) or degenerate(b):
        same = identical_pixels(a, b)
        return Verdict(same, "identical pixels" if same else PLAIN)
    evidence = compare_images(a, b, search)
    if evidence is None:
        return Verdict(None, "")
    if agrees(evidence):
        return Verdict(True, f"pixels agree (residual {evidence.worst:.0f})")
    return Verdict(None, f"pixels differ in {evidence.share_above(SAME_WORST):.0%} of tiles")


class PictureCache:
    """Decoded pictures for verification, least recently used dropped first."""

    def __init__(self, size: int = CACHE_IMAGES) -> None:
        self._size = size
        self._images: OrderedDict[str, Image.Image | None] = OrderedDict()
        # Pixel verdicts by (path, path, search): they depend on no threshold, so regrouping
        # the same files (calibration sweeps, evaluation) checks each pair once.
        self.verdicts: dict[tuple[str, str, bool], Verdict] = {}

    def __call__(self, path: str) -> Image.Image | None:
        if path in self._images:
            self._images.move_to_end(path)
            return self._images[path]
        try:
            image: Image.Image | None = load_image(path, mode="RGB", min_side=DECODE_SIDE).image
        except (ImageLoadError, OSError):
            image = None
        self._images[path] = image
        if len(self._images) > self._size:
            self._images.popitem(last=False)
        return image


@dataclass(slots=True)
class Verified:
    """The edges after verification and the unit pairs refuted (never to share a group)."""

    edges: dict[tuple[int, int], Edge]
    refuted: set[tuple[int, int]] = field(default_factory=set)
    shots: dict[tuple[int, int], Edge] = field(default_factory=dict)  # another shot, alike


def verify_edges(edges: Mapping[tuple[int, int], Edge], captures: Sequence[Capture | None],
                 paths: Sequence[str], load: Loader,
                 memo: dict[tuple[str, str, bool], Verdict] | None = None) -> Verified:
    """Every duplicate-tier edge checked (module docstring); `captures` and `paths` per unit;
    `memo` keeps pixel verdicts between calls (PictureCache.verdicts)."""
    memo = {} if memo is None else memo
    verdicts = {pair: _verdict(captures[pair[0]], captures[pair[1]], paths, pair, edge.tier,
                               load, memo)
                for pair, edge in sorted(edges.items()) if edge.tier in (RESAVED, EDITED)}
    inherited = _exposure_captures(verdicts, captures)
    result = Verified({})
    for pair, edge in edges.items():
        verdict = verdicts.get(pair)
        if verdict is not None and verdict.same is None:
            verdict = _inherit(verdict, inherited[pair[0]], inherited[pair[1]])
        checked = edge if verdict is None else _apply(edge, verdict)
        if verdict is not None and verdict.same is False:
            result.refuted.add(pair)
        if checked is not None:
            result.edges[pair] = checked
            if verdict is not None and verdict.same is False:
                result.shots[pair] = checked
    return result


def _verdict(a: Capture | None, b: Capture | None, paths: Sequence[str],
             pair: tuple[int, int], tier: str, load: Loader,
             memo: dict[tuple[str, str, bool], Verdict]) -> Verdict:
    """Metadata, else pixels. The costly alignment search runs only where its answer matters:
    a "re-saved" claim to check, or a side with a capture for its copies to inherit (an
    edited pair without metadata stays edited whatever else the pixels say)."""
    verdict = capture_verdict(a, b)
    if verdict.same is not None:
        return verdict
    search = tier == RESAVED or _known(a) or _known(b)
    key = (paths[pair[0]], paths[pair[1]], search)
    if key not in memo:
        image_a, image_b = load(key[0]), load(key[1])
        memo[key] = (Verdict(None, "") if image_a is None or image_b is None  # the scan stands
                     else pixel_verdict(image_a, image_b, search))
    return memo[key]


def _known(capture: Capture | None) -> bool:
    return capture is not None and capture.taken_ns is not None


def _exposure_captures(verdicts: Mapping[tuple[int, int], Verdict],
                       captures: Sequence[Capture | None]) -> list[Capture | None]:
    """Per unit, the capture its exposure is known by: units whose pixels (or metadata) agree
    are one exposure; a class holding two different known captures shares none (conflict)."""
    parent = list(range(len(captures)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), verdict in verdicts.items():
        if verdict.same:
            parent[root(i)] = root(j)
    known: dict[int, Capture | None] = {}
    for i, capture in enumerate(captures):
        if capture is None or capture.taken_ns is None:
            continue
        r = root(i)
        if r not in known:
            known[r] = capture
        elif known[r] is not None and capture_verdict(known[r], capture).same is not True:
            known[r] = None
    return [known.get(root(i)) for i in range(len(captures))]


def _inherit(verdict: Verdict, a: Capture | None, b: Capture | None) -> Verdict:
    """An undecided pair decided by what the exposures of its two sides are known by."""
    inherited = capture_verdict(a, b)
    if inherited.same is False:
        return Verdict(False, f"{inherited.note} (through a copy)")
    return verdict


def _apply(edge: Edge, verdict: Verdict) -> Edge | None:
    """The edge with its evidence noted: kept when the same exposure, relabelled "edited copy"
    when pixels differ but nothing refutes it, SIMILAR when another shot, None when the
    pictures are too plain to be even alike."""
    if verdict.same:
        return replace(edge, note=verdict.note)
    if verdict.same is None:
        tier = EDITED if edge.tier == RESAVED and verdict.note else edge.tier
        return replace(edge, tier=tier, note=verdict.note)
    if verdict.note == PLAIN:
        return None
    return replace(edge, tier=SIMILAR, note=verdict.note)
