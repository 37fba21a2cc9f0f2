"""Pixel rules that refute a candidate pair when capture metadata cannot decide it.

Why: without capture metadata, a pair that pixels.py does not see as one picture stays in its
group (edits change pixels too, so a difference decides nothing). Two kinds of pair are not
copies whatever their hashes and embeddings say, and the pixels can show it positively:
- two photos in one frame (grouping/frames.py): screenshots of one template around different
  photos, checked for any pair whose two pictures both may be frames; and, for the same
  pairs, two screens or pages that show other text (grouping/screens.py);
- two pictures of one template, each with marks the other lacks (grouping/own_marks.py: memes
  of one photo with other jokes, stickers of one character with other faces): any pair, an
  "edited copy" after the placement and displacement rules;
- a screen or page with no photo in it against a photo (grouping/screens.py), for an
  "edited copy" pair, before the crowd rule below (a photo of a slide had 50 such pairs);
- no placement (grouping/placement.py): an "edited copy" (only the embedding says so) that
  shares no picture with the other side. A "re-saved" pair's hashes already place one picture
  on the other, so only "edited copy" pairs pay for this search.
A third: displaced texture (grouping/displacement.py, DISPLACEMENT_RULE below), an "edited
copy" whose texture, after one map, is found displaced by different amounts (parallax or
motion, another shot of the scene). Where that rule judges a pair, it and the placement rule
share one placement search (_placement_and_displacement).
Each verdict is remembered in the memo (and so in the scan's cache, verdict_store.py).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Collection, Iterable
from functools import lru_cache

from PIL import Image

from dedup_gui.engine.grouping.disjoint import DisjointSets
from dedup_gui.engine.grouping.displacement import UNROTATED, begin, displaced, judged
from dedup_gui.engine.grouping.frames import framed, two_photos_in_one_frame
from dedup_gui.engine.grouping.own_marks import OWN_MARKS, may_carry_marks, own_marks
from dedup_gui.engine.grouping.placement import PLACED_AT, placed
from dedup_gui.engine.grouping.screens import (
    NOT_SHOTS,
    SCREEN_AND_PHOTO,
    TWO_SCREENS,
    screen_without_photo,
    two_screens,
)
from dedup_gui.engine.grouping.verdict import UNDECIDED, Loader, Memo, Verdict, per_file
from dedup_gui.engine.tiers import EDITED

PLACEMENT, FRAMES, DISPLACEMENT, SCREEN, OWN = 3, 4, 5, 6, 7  # memo levels of the rules
FRAMED = -2  # memo level of the per-picture "may be a frame" test
MARKED = -3  # memo level of the per-picture "may carry marks" test (own_marks.py)
UNPLACED = "no placement of one picture in the other"
TWO_PHOTOS = "two photos in one frame"
DISPLACED = "texture displaced: another shot of the scene"
ONE_MAP = "texture on one map"
# The displacement rule (displacement.py): on since it judges two crops of one photo that
# overlap in part by their shared part (overlap.py): of bench_scan's crop pairs sharing over a
# fifth of the smaller crop, 0 of 59 camera and 5 of 2,509 phone pairs (each sharing at most
# 27 %) called another shot (20 and 682 before; benchmarks/crop_refutations.py).
DISPLACEMENT_RULE = True
CROWD = 8  # "edited copy" candidates of one picture beyond which it is not checked (Chain)
FRAMES_ONLY = "frames only"  # the tier the pool's workers get for a pair the Chain closes


class Chain:
    """Which "edited copy" pairs still need the placement and displacement rules.

    Pictures found on one map with each other (displacement.py found every matched tile on the
    map; so only with DISPLACEMENT_RULE on) are joined: a map composed with a map is a map,
    so a pair already joined through others is not checked again, and many copies of one
    photo cost a chain of checks, not one per pair. A picture with more than CROWD "edited
    copy" candidates (a long series, many crops, a theme shot over and over) is not checked at
    all: its pairs keep the scan's evidence, so the rules cost at most CROWD searches per
    picture.
    """

    def __init__(self, size: int, edited: Iterable[tuple[int, int]],
                 crowded: Collection[int] | None = None) -> None:
        """`crowded`: the crowded pictures when `edited` is not all of their pairs (a
        component verified alone: verified_store.py), else counted from `edited`."""
        self._sets = DisjointSets(size)
        self._crowded = set(crowded_units(edited) if crowded is None else crowded)

    def fresh(self) -> Chain:
        """A Chain of the same pictures with nothing joined (the crowded ones counted once)."""
        chain = Chain(0, ())
        chain._sets, chain._crowded = DisjointSets(len(self._sets)), self._crowded
        return chain

    def copy(self) -> Chain:
        """This Chain as joined so far, to be joined on its own."""
        chain = Chain(0, ())
        chain._sets, chain._crowded = self._sets.copy(), self._crowded
        return chain

    def open(self, i: int, j: int) -> bool:
        return i not in self._crowded and j not in self._crowded and \
            self._sets.root(i) != self._sets.root(j)

    def join(self, i: int, j: int) -> None:
        self._sets.join(i, j)


def crowded_units(edited: Iterable[tuple[int, int]]) -> set[int]:
    """The pictures with more than CROWD "edited copy" candidates among `edited`."""
    count = Counter(i for pair in edited for i in pair)
    return {i for i, n in count.items() if n > CROWD}


def refute(a: str, b: str, tier: str, load: Loader, memo: Memo,
           chain: Chain | None = None, pair: tuple[int, int] = (0, 1)) -> Verdict:
    """"Another picture" (same False) by the first rule that shows it, else undecided (with
    the note ONE_MAP when the pictures were found on one map)."""
    verdict = _frames(a, b, load, memo)
    if verdict.same is not None or tier == FRAMES_ONLY:
        return verdict
    if tier != EDITED:
        return _own_marks(a, b, load, memo)
    verdict = _screen_and_photo(a, b, load, memo)
    if verdict.same is not None or (chain is not None and not chain.open(*pair)):
        return verdict  # as the pool's workers answer it (no Chain there): see below
    verdict = _placement_and_displacement(a, b, load, memo) if DISPLACEMENT_RULE else \
        _placement(a, b, load, memo)
    if verdict == UNDECIDED:  # another shot (displaced) or one map: those rules know better
        verdict = _own_marks(a, b, load, memo)  # here only: a worker answers a pair this far
    if verdict.note == ONE_MAP and chain is not None:
        chain.join(*pair)
    return verdict


def refute_screens(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    """The screen rules alone (screens.py), for a pair only the similar tier holds (counted
    when a person puts similar shots in duplicate groups): two screens, or a screen and a
    photo, are not even similar shots. Why: with similar shots counted, a student's check got
    one "similar shot" group of 62 files, 58 marked Remove, 50 of them different chats."""
    verdict = _frames(a, b, load, memo)
    if verdict.note not in NOT_SHOTS:
        verdict = _screen_and_photo(a, b, load, memo)
    return verdict if verdict.note in NOT_SHOTS else UNDECIDED


def _frames(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    """Two photos in one frame, else two screens (screens.py)."""
    if not (per_file(a, load, memo, FRAMED, framed) and per_file(b, load, memo, FRAMED, framed)):
        return UNDECIDED
    key = (a, b, FRAMES)
    if key not in memo:
        image_a, image_b = load(a), load(b)
        if image_a is None or image_b is None:
            memo[key] = UNDECIDED
            return memo[key]
        if two_photos_in_one_frame(image_a, image_b):
            memo[key] = Verdict(False, TWO_PHOTOS)
        else:
            screens = screen_without_photo(image_a) and screen_without_photo(image_b)
            memo[key] = Verdict(False, TWO_SCREENS) \
                if screens and two_screens(image_a, image_b) else UNDECIDED
    return memo[key]


def _own_marks(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    """Two pictures of one template each carrying marks the other lacks (own_marks.py): each
    picture is asked first whether it may carry marks at all (once, kept in the memo)."""
    size = _stored_size(a)
    if size is None or size != _stored_size(b):
        return UNDECIDED  # read from the files' headers: most pairs decode nothing here
    if not (per_file(a, load, memo, MARKED, may_carry_marks)
            and per_file(b, load, memo, MARKED, may_carry_marks)):
        return UNDECIDED
    key = (a, b, OWN)
    if key not in memo:
        image_a, image_b = load(a), load(b)
        memo[key] = Verdict(False, OWN_MARKS) if image_a is not None and image_b is not None \
            and own_marks(image_a, image_b) else UNDECIDED
    return memo[key]


@lru_cache(maxsize=1 << 16)
def _stored_size(path: str) -> tuple[int, int] | None:
    """The stored pixel size, short side first, from the header (no decode); None when
    unreadable or gone. own_marks() compares decoded sizes again: a size remembered from a
    file since replaced costs a decode or a skip, never a wrong verdict."""
    try:
        with warnings.catch_warnings():  # a corrupt header's warnings are the decoder's to say
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return min(image.size), max(image.size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _screen_and_photo(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    """A framed picture with no photo region against one not framed (screens.py): asked
    whatever the crowd (Chain), since only the embedding says such a pair is alike."""
    framed_a, framed_b = (per_file(p, load, memo, FRAMED, framed) for p in (a, b))
    if framed_a == framed_b:
        return UNDECIDED
    key = (a, b, SCREEN)
    if key not in memo:
        screen = load(a if framed_a else b)
        memo[key] = Verdict(False, SCREEN_AND_PHOTO) \
            if screen is not None and screen_without_photo(screen) else UNDECIDED
    return memo[key]


def _placement(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    key = (a, b, PLACEMENT)
    if key not in memo:
        image_a, image_b = load(a), load(b)
        memo[key] = (UNDECIDED if image_a is None or image_b is None
                     or placed(image_a, image_b) else Verdict(False, UNPLACED))
    return memo[key]


def _placement_and_displacement(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    """The placement rule, then (if placed) the displacement rule, with both verdicts in the
    memo as the two rules alone leave them, from one placement search where the displacement
    rule judges the pair: its first searches (displacement.begin) are placement.placed()'s
    first ones searched fully, so a best placement at PLACED_AT answers placed() (measured on
    bench_verify's camera library: placed() was a ninth of verification's CPU, and almost
    every pair there is placed by those searches). placed() runs only when they do not.
    Only the placement verdict is looked up first (both are always written together)."""
    if (a, b, PLACEMENT) in memo:  # one look-up: a scan's memo asks its cache file
        verdict = memo[(a, b, PLACEMENT)]
        return _displacement(a, b, load, memo) if verdict.same is None else verdict
    image_a, image_b = load(a), load(b)
    if image_a is None or image_b is None:
        memo[(a, b, PLACEMENT)] = memo[(a, b, DISPLACEMENT)] = UNDECIDED
        return UNDECIDED
    search = begin(image_a, image_b)
    if (search is None or search.best[0] < PLACED_AT) and \
            not placed(image_a, image_b, tried=0 if search is None else UNROTATED):
        memo[(a, b, PLACEMENT)] = Verdict(False, UNPLACED)
        return memo[(a, b, PLACEMENT)]
    memo[(a, b, PLACEMENT)] = UNDECIDED
    memo[(a, b, DISPLACEMENT)] = _moved(None if search is None else judged(search))
    return memo[(a, b, DISPLACEMENT)]


def _displacement(a: str, b: str, load: Loader, memo: Memo) -> Verdict:
    key = (a, b, DISPLACEMENT)
    if key not in memo:
        image_a, image_b = load(a), load(b)
        memo[key] = _moved(None if image_a is None or image_b is None
                           else displaced(image_a, image_b))
    return memo[key]


def _moved(moved: bool | None) -> Verdict:
    """The displacement rule's verdict from displacement.displaced()'s answer."""
    return Verdict(False, DISPLACED) if moved else \
        Verdict(None, ONE_MAP) if moved is False else UNDECIDED
