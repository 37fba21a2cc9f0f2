"""The pixel rule of verification (verify.py, steps 2 and 3): a pair of decoded pictures is
the same exposure when aligned tile by tile they differ only by re-encoding noise
(grouping/pixels.py), and degenerate pictures (flat, tiny, extreme aspect ratios), which carry
no evidence in their hashes or embeddings, only when their pixels are identical.

Verdicts are kept in a memo by (path, path, level), so a pair is compared once per scan and a
scan's cache file keeps them for the next (verdict_store.py); "too plain" is a per-file fact
under (path, "", PLAIN_LEVEL), most often known from the signal stage without decoding.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.picture_grid import of_picture
from dedup_gui.engine.grouping.pixels import FULL, SAME_WORST, agrees, compare_images
from dedup_gui.engine.grouping.verdict import DIFFER, Loader, Verdict, per_file
from dedup_gui.engine.signals.picture_facts import MAX_ASPECT, MIN_SIDE, degenerate

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


def plain_file(path: str, load: Loader, memo: dict[tuple[str, str, int], Verdict]) -> bool:
    """degenerate(), remembered per file in `memo` (under the key (path, "", PLAIN_LEVEL));
    a scan's memo knows it from the signal stage for most files (verdict_store.py)."""
    return per_file(path, load, memo, PLAIN_LEVEL, degenerate)
