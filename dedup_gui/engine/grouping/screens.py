"""Two screens or pages: screenshots and documents told apart by what they show.

Why: a chat, a web page, a scanned or exported page is mostly exactly flat (frames.framed) and
its hashes and embedding see its layout: the app's bars, where the bubbles sit, the margins.
Two chats in one app, two pages of one contract, read as "the same picture re-saved" (pHash
distance 4-10 of 64, cosine 0.93-0.97), and a student's check found 50 different chat
screenshots in one group, all but one marked Remove, and the pages of two scanned documents
in another. What tells screens apart is their pixels. A copy of a screen (a messenger's
re-save, a download, an export) agrees with it in every tile to within re-encoding noise (the
check's copies: no tile's residual above 5 grey levels); an edit people make to a screen (a
highlight, an arrow, a redaction, a caption) changes a part of it, and a crop is aligned
away. Two screens of one template that show other text differ wherever either shows text,
in most tiles that show anything (blank margins and flat bars agree whatever the screens
show): 55-85 % of those tiles on the check's chats, pages, inbox lists and scrolled captures,
none for every copy. So two framed pictures, aligned as any copy is (pixels.FULL: crops, flips,
turns; a mirrored chart is a copy, the self-test's), that differ in more than a third of the
tiles either of them shows something in are two screens: the pair is refuted and leaves no
edge (not "another shot" of a scene: no series either). A third, not a half: refuting only
keeps both files, and an edit that redraws a third of a screen has made another one. Screens
with a photo inside are compared by their photos (pixels.py), so two screenshots of one photo
in other templates still agree.

A screen or page with no photo in it is no edited copy of a photo either. Only the embedding
calls such pairs alike (a photo of a slide or a book page next to a chat or a scanned page:
cosine 0.77-0.82, pHash distance 28-40, pixels differing in 77-100 % of the tiles), and a
photo with many such candidates is not searched for a placement (refute.Chain's crowd), so the
check's scans and chats were proposed as "padded copies" and "screenshots" of slide photos.
A padded copy, a meme or a screenshot of a photo holds the photo, and its region is found
(pixels.region_of). So an "edited copy" pair of a screen or page and a picture that is not
framed is refuted too (SCREEN_AND_PHOTO, asked whatever the crowd) and leaves no edge.

A screen or page, for both rules: framed, no photo region, and drawn in a handful of colours
(its FEW commonest colours, at 16 levels a channel, cover DRAWN of it: a background, bars,
bubbles, ink; the check's chats, inbox lists, pages and scans 0.84-0.99). A pixelated copy of
a photo is framed and has no region either, but its flat blocks take many colours (0.68 on
debian_augly_dev's). What the rules cost: a desktop page screenshot holding a small photo
whose region is not found (debian_augly_dev's Facebook timeline with a post photo and an ad)
is a page here, no longer an edited copy of the photo: 4 of that set's 204 true pairs (recall
0.917 -> 0.897), none of the other four labelled sets'. Both files are kept; the page holds
more than its photo. Placement cannot tell a page from a photo's copy: a flat page places
anywhere (a slide photo was placed in every chat), and frames.py's one-map test took 30 s more
on the check's library and still placed three chats in slide photos.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.own_marks import OWN_MARKS
from dedup_gui.engine.grouping.picture_grid import of_picture
from dedup_gui.engine.grouping.pixels import (
    FULL,
    SAME_WORST,
    TILES,
    WORK,
    compare_images,
    grey_of,
    region_of,
)
from dedup_gui.engine.grouping.screen_ink import each_has_own_text
from dedup_gui.engine.signals.picture_facts import FLAT_STD

SHOWN = 1 / 3  # share of the tiles showing something beyond which two screens differ
WHOLE = 0.9  # overlap of the alignment found below which one screen is a crop of the other
FEW, DRAWN = 4, 0.75  # a screen or page: its FEW commonest colours cover DRAWN of it
TWO_SCREENS = "two different screens or pages"
SCREEN_AND_PHOTO = "a screen or page with no photo in it, and a photo"
NOT_SHOTS = frozenset({TWO_SCREENS, SCREEN_AND_PHOTO, OWN_MARKS})  # refuted, no series either


def two_screens(a: Image.Image, b: Image.Image) -> bool:
    """Whether two screens or pages (the caller knows: screen_without_photo) differ in more
    than SHOWN of the tiles either of them shows something in (module docstring), or, one
    not a crop of the other (the alignment found covers WHOLE), each shows text the other
    lacks as they are framed (screen_ink.py: short text on an empty screen). A crop compared
    as framed would show every edge as its own (the self-test's bar chart)."""
    evidence = compare_images(a, b, FULL)
    differing = sum(tile > SAME_WORST for tile in evidence.tiles)
    showing = int((_showing(a) | _showing(b)).sum())
    if differing > SHOWN * max(showing, 1):
        return True
    return evidence.overlap >= WHOLE and each_has_own_text(a, b)


def screen_without_photo(image: Image.Image) -> bool:
    """A framed picture (the caller knows) that is a page or screen itself: no photo region,
    and drawn in a handful of colours (module docstring)."""
    return region_of(image) is None and _drawn(image)


def _drawn(image: Image.Image) -> bool:
    """Whether FEW colours (16 levels a channel) cover DRAWN of the picture: its background,
    bars and bubbles, its ink. Once a picture."""
    memo = of_picture(image)
    if "drawn" not in memo:
        small = image.convert("RGB")
        if max(small.size) > 2 * WORK:
            k = 2 * WORK / max(small.size)
            small = small.resize((max(1, round(small.width * k)), max(1, round(small.height * k))),
                                 Image.Resampling.NEAREST)  # no new colours at the edges
        levels = np.asarray(small, dtype=np.int32) >> 4
        codes = (levels[..., 0] << 8) | (levels[..., 1] << 4) | levels[..., 2]
        counts = np.bincount(codes.ravel(), minlength=1 << 12)
        memo["drawn"] = bool(np.sort(counts)[-FEW:].sum() >= DRAWN * codes.size)
    return memo["drawn"]


def _showing(image: Image.Image) -> np.ndarray:
    """Per tile of a TILES × TILES grid over the grey view: whether it shows anything (a
    grey-level spread of FLAT_STD or more; a flat bar or margin does not). Once a picture."""
    memo = of_picture(image)
    if "showing" not in memo:
        side = TILES * 8
        grey = grey_of(image).resize((side, side), Image.Resampling.BOX)
        blocks = np.asarray(grey, dtype=np.float32).reshape(TILES, 8, TILES, 8).swapaxes(1, 2)
        memo["showing"] = blocks.reshape(TILES * TILES, 64).std(axis=1) >= FLAT_STD
    return memo["showing"]
