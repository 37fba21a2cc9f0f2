"""Marks of their own: two pictures of one template that each carry text or drawing the other
lacks are two pictures, not a picture and its copy.

Why: a meme-saver's check had four meme templates, each with three to five different jokes
(one photo with other captions), and stickers of one character with other faces. Hashes, the
model and verification's grid (pixels.WORK, where a caption's letters are a few pixels) saw
"the same picture re-saved", and accepting the suggestions kept one joke per template and
trashed 15 others and five of seven faces. A copy adds at most marks of its own (a caption,
a sticker, a watermark) to a picture that is otherwise the other's; a second joke on the
template both adds its caption and lacks the first one's.

How, on the two decoded pictures: only pictures of one size with no photo region (a meme
template is used at its size; a screenshot or a padded copy is compared by its photo,
pixels.py), read as framed at LONG px, the second tone-fitted to the first on the pixels that
agree best. A mark is ink (grey at most LOW or at least HIGH: letters, their outlines, a drawn
line) in a thin stroke (not the middle of a THIN-px block of ink: a dark area of a photo is no
stroke) that the other picture does not explain: no pixel of it within REACH px is within
STRONG grey levels (resampling is explained; other letters are not). Each side's own marks
must cover MIN_OWNED of the picture, and the fewer at least BALANCED of the more: a caption or
a sticker added to a photo is marks on one side only. Where more than MISPLACED of the tiles
hold unexplained pixels, or a's mirror image explains b far better, the two are not one picture
as framed (a crop, a turn, a flip) and nothing is decided.

In verification (refute.py): asked of a "re-saved" pair the frame rules leave open, and of an
"edited copy" that placement and displacement leave open (another shot is theirs to say: a
burst frame whose subject moved carries marks of its own too); each picture's
may_carry_marks is read once (and kept in the cache file), so most pairs stop at one of
their pictures. Measured on the five labelled sets' 1,795 true pairs (memes, captions,
emoji and text overlays of one original among them): 1 called two pictures (an emoji pasted
on a photo whose dark detail it covers). On the meme-saver's library
(benchmarks/marks_probe.py): 30 of its 66 grouped pairs, every one a pair of different jokes,
faces or chats; none of its 13 true copies. Missed:
jokes in white letters on a busy texture (the texture explains the letters within REACH).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grids import blur3, edge_padded, grey_at, tone_fitted
from dedup_gui.engine.grouping.picture_grid import of_picture
from dedup_gui.engine.grouping.pixels import grey_of, region_of

OWN_MARKS = "each carries marks the other lacks"
LONG = 480  # px: the long side both pictures are read at
LOW, HIGH = 40, 215  # grey levels of ink: dark strokes, white letters
THIN = 5  # px: a block of ink this wide is an area, not a stroke
STRONG = 40.0  # grey levels no resampling or re-encoding moves a pixel by
REACH = 2  # px: how far the other picture may place a stroke and still explain it
MIN_OWNED = 0.0004  # share of the picture each side's own marks cover (a word or two) ...
BALANCED = 0.25  # ... the fewer at least this share of the more
MISPLACED = 0.5  # share of tiles holding unexplained pixels beyond which they are not aligned
TILES, CLEAN = 8, 0.002  # the tiles, and the share of a tile's pixels it may leave unexplained
INKED = 0.002  # share of thin ink a picture needs to carry marks at all


def may_carry_marks(image: Image.Image) -> bool:
    """Whether the picture can be one side of own_marks(): no photo region, and INKED of thin
    ink strokes at all (once a picture: most photos of a pair fail one of the two)."""
    memo = of_picture(image)
    if "inked" not in memo:
        grey = np.asarray(grey_of(image), dtype=np.float32)
        memo["inked"] = bool(_strokes(_ink(grey)).mean() >= INKED) and region_of(image) is None
    return memo["inked"]


def own_marks(a: Image.Image, b: Image.Image) -> bool:
    """Whether a and b (one decoded size, both may_carry_marks) each carry marks the other
    lacks, read as framed (module docstring)."""
    if a.size != b.size:
        return False
    scale = min(1.0, LONG / max(a.size))
    size = (max(8, round(a.width * scale)), max(8, round(a.height * scale)))
    first = grey_at(a, size)
    fitted = tone_fitted(grey_at(b, size), first, rounds=3)
    apart_first, apart_second = _unexplained(first, fitted), _unexplained(fitted, first)
    if _dirty_tiles(apart_first | apart_second) > MISPLACED:
        return False
    if 2 * _unexplained(first, fitted[:, ::-1]).sum() < apart_first.sum():
        return False  # b is rather a's mirror image (a flipped copy; a symmetric face is not)
    own_first = int((_strokes(_ink(first)) & apart_first).sum())
    own_second = int((_strokes(_ink(fitted)) & apart_second).sum())
    fewer, more = sorted((own_first, own_second))
    return fewer >= MIN_OWNED * first.size and fewer >= BALANCED * more


def _ink(grey: np.ndarray) -> np.ndarray:
    return (grey <= LOW) | (grey >= HIGH)


def _strokes(ink: np.ndarray) -> np.ndarray:
    """Ink pixels that are not the middle of a THIN × THIN block of ink."""
    pad = THIN // 2
    padded = edge_padded(ink.astype(np.float32), pad)
    h, w = ink.shape
    count = np.zeros((h, w), dtype=np.float32)
    for i in range(THIN):
        for j in range(THIN):
            count += padded[i:i + h, j:j + w]
    return ink & (count < THIN * THIN)


def _unexplained(mine: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Pixels of `mine` that no pixel of `other` within REACH px matches to STRONG levels
    (both lightly blurred: JPEG's ringing is no mark)."""
    mine, other = blur3(mine), blur3(other)
    padded = edge_padded(other, REACH)
    h, w = mine.shape
    nearest = np.full((h, w), np.inf, dtype=np.float32)
    for i in range(2 * REACH + 1):
        for j in range(2 * REACH + 1):
            nearest = np.minimum(nearest, np.abs(mine - padded[i:i + h, j:j + w]))
    return nearest > STRONG


def _dirty_tiles(apart: np.ndarray) -> float:
    """Share of the TILES × TILES tiles with over CLEAN of their pixels unexplained: marks sit
    in a few places (a caption's lines, a face's mouth); pictures not aligned as framed leave
    every textured tile unexplained along its edges."""
    rows = np.array_split(np.arange(apart.shape[0]), TILES)
    cols = np.array_split(np.arange(apart.shape[1]), TILES)
    dirty = sum(float(apart[np.ix_(r, c)].mean()) > CLEAN for r in rows for c in cols)
    return dirty / (TILES * TILES)
