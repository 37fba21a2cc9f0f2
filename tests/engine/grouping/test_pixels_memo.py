"""The pixel search's per-picture memo (picture_grid.of_picture) and the turn it picks from it."""

from __future__ import annotations

import gc

import pytest
from PIL import Image

from dedup_gui.engine.grouping import picture_grid, pixel_search
from dedup_gui.engine.grouping.picture_grid import of_picture
from dedup_gui.engine.grouping.pixel_search import place
from dedup_gui.engine.grouping.pixels import best_turn, prepared
from tests.engine.grouping.pictures import jpeg, scene


@pytest.mark.parametrize("turn", list(Image.Transpose))
def test_every_flip_and_quarter_turn_of_a_photo_is_turned_back(turn: Image.Transpose) -> None:
    photo = prepared(scene(5))[0]
    copy = prepared(jpeg(scene(5).transpose(turn), quality=70, scale=0.7))[0]
    undo = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270,
            Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}.get(turn, turn)
    assert best_turn(photo, copy) == undo


def test_a_picture_searched_again_gives_the_same_placement_from_its_memo() -> None:
    big = prepared(scene(7))[0]
    small = prepared(jpeg(scene(7).crop((60, 40, 460, 340)), scale=0.8))[0]
    first = place(big, small)
    assert "searched" in of_picture(big)
    assert place(big, small) == first
    fresh = big.copy()  # the same pixels, nothing remembered
    assert place(fresh, small) == first


def test_what_a_picture_remembers_is_forgotten_with_it() -> None:
    picture = scene(9)
    grey = prepared(picture)[0]
    place(grey, grey.crop((10, 10, 300, 200)))
    keys = {id(picture), id(grey)}
    assert keys <= picture_grid._PER_PICTURE.keys()
    del picture, grey
    gc.collect()
    assert not keys & picture_grid._PER_PICTURE.keys()


def test_refine_on_a_small_picture_works_on_its_own_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 77 × 58 re-save is refined no finer than its own pixels (not on a 192-px grid of
    upsampled ones), and still finds where it sits in its original to a fraction of a pixel."""
    original = scene(11, (128, 96))
    box = (6.0, 4.0, 122.0, 91.0)  # an export cut 6 px from the sides, then re-saved small
    small = prepared(jpeg(original.crop(tuple(int(v) for v in box)), quality=70, scale=0.66))[0]
    big = prepared(original)[0]
    sides: list[int] = []
    real = pixel_search._refine_at

    def spy(big_: Image.Image, small_: Image.Image, r: object, side: int) -> object:
        sides.append(side)
        return real(big_, small_, r, side)

    monkeypatch.setattr(pixel_search, "_refine_at", spy)
    found = pixel_search.refine(big, small, (0.0, 0.0, 128.0, 96.0))
    assert max(sides) <= max(small.size)
    assert max(abs(f - b) for f, b in zip(found, box, strict=True)) < 1.0


def _eager(a: Image.Image, b: Image.Image, level: int) -> object:
    """compare_images as it was before regions were looked for lazily: both regions first."""
    from dedup_gui.engine.grouping.pixels import agrees, compare_views

    (a, ra), (b, rb) = prepared(a), prepared(b)
    if ra is not None and rb is not None:
        return min((compare_views(ra, rb, level), compare_views(a, rb, level),
                    compare_views(ra, b, level)), key=lambda e: e.worst)
    whole = compare_views(a, b, level)
    region = ra if ra is not None else rb
    if agrees(whole) or region is None:
        return whole
    other = compare_views(region, b, level) if ra is not None else compare_views(a, region,
                                                                                 level)
    return min((whole, other), key=lambda e: e.worst)


def test_a_region_is_looked_for_only_where_it_can_change_the_evidence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two plain photos whose wholes agree: the second's region is never looked for; a photo
    against its screenshot (a region in the second), a screenshot against its photo, two
    screenshots and two other scenes give the evidence the eager comparison gave."""
    from dedup_gui.engine.grouping import pixels
    from dedup_gui.engine.grouping.pixels import FULL, compare_images
    from tests.engine.grouping.pictures import screenshot

    searched: list[int] = []
    real = pixels._region
    monkeypatch.setattr(pixels, "_region", lambda grey: searched.append(1) or real(grey))
    original, copy = scene(21), jpeg(scene(21), quality=70, scale=0.6)
    compare_images(original, copy, FULL)
    assert len(searched) == 1  # the first picture's only
    monkeypatch.setattr(pixels, "_region", real)
    shot, other = screenshot(scene(21)), scene(22)
    for a, b in ((scene(21), copy), (scene(21), shot), (shot, scene(21)),
                 (shot, screenshot(jpeg(scene(21), scale=0.8), "Bob")), (scene(21), other)):
        assert compare_images(a, b, FULL) == _eager(a.copy(), b.copy(), FULL)
