"""The placement rule: an "edited copy" must share a picture with its original somewhere."""

from __future__ import annotations

import pytest
from PIL import Image, ImageEnhance, ImageOps

from dedup_gui.engine.grouping.placement import placed, turned
from dedup_gui.engine.grouping.refute import UNPLACED
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.tiers import EDITED, SIMILAR, Edge
from tests.engine.grouping.pictures import caption, crop, jpeg, scene, screenshot

WIDE = scene(7, (1000, 360))  # a wide photo: its two halves share no pixels
LEFT, RIGHT = WIDE.crop((0, 0, 450, 360)), WIDE.crop((550, 0, 1000, 360))
PHOTO = scene(3, (480, 360))


def straightened(image: Image.Image, degrees: float) -> Image.Image:
    """A phone editor's straightening: rotated, cropped to the picture without corners."""
    return turned(image, degrees)


@pytest.mark.parametrize("copy", [
    lambda p: jpeg(p, 40, 0.5),
    lambda p: crop(p, 0.15),
    lambda p: ImageOps.mirror(jpeg(p, 70, 0.7)),
    lambda p: p.rotate(90, expand=True),
    lambda p: straightened(p, 7.0),
    lambda p: ImageEnhance.Brightness(straightened(crop(p, 0.1), -5.0)).enhance(1.4),
    lambda p: ImageOps.grayscale(caption(p)).convert("RGB"),
    lambda p: screenshot(p),
], ids=["resave", "crop", "mirror", "quarter-turn", "straightened", "crop-turn-tone",
        "caption-grey", "screenshot"])
def test_every_edited_copy_has_a_placement_in_its_original(copy) -> None:
    assert placed(PHOTO, copy(PHOTO))
    assert placed(copy(PHOTO), PHOTO)


def test_two_halves_of_one_wide_photo_have_no_placement() -> None:
    """Two shots of one scene that share no pixels (a panorama's halves) look alike to an
    embedding, but no scale, offset, turn or rotation lines one up with the other."""
    assert not placed(LEFT, RIGHT)
    assert not placed(jpeg(LEFT, 60, 0.6), RIGHT)


def test_two_different_photos_have_no_placement() -> None:
    assert not placed(PHOTO, scene(4, (480, 360)))


def test_an_unplaced_edited_copy_is_another_shot_and_a_placed_one_stays() -> None:
    pictures = {"left": LEFT, "right": RIGHT, "copy": straightened(crop(LEFT, 0.1), 4.0)}
    edges = {(0, 1): Edge(EDITED, 30, 0.85), (0, 2): Edge(EDITED, 20, 0.9)}
    verified = verify_edges(edges, [None, None, None], ["left", "right", "copy"],
                            pictures.get)
    assert verified.edges[(0, 1)].tier == SIMILAR
    assert verified.edges[(0, 1)].note == UNPLACED
    assert verified.refuted == {(0, 1)}
    assert verified.edges[(0, 2)].tier == EDITED


def test_two_crops_of_one_photo_that_only_overlap_share_a_placement() -> None:
    """Neither crop holds the other, but half of one lies inside the other: they share
    pixels, so the pair is not refuted (the frame rule, comparing whole photos in one slot,
    does not look at halves). Crops overlapping by less than half still go unplaced."""
    wide = scene(9, (720, 360))
    left, right = wide.crop((0, 0, 480, 360)), jpeg(wide.crop((240, 0, 720, 360)), 70)
    assert placed(left, right)
    assert not placed(left, right, parts=False)


def test_a_mirrored_crop_of_striped_texture_is_placed() -> None:
    """Periodic texture aliases in the 16-px thumbnails that pick a turn; the crop and the
    mirror image of a striped picture (the self-test's) had "no placement" before every turn
    was tried, and the refutation split the self-test's group."""
    from dedup_gui.selftest_photos import stripes

    picture = stripes()
    w, h = picture.size
    cropped = jpeg(picture.crop((w // 16, h // 16, w - w // 16, h - h // 16)), 90)
    assert placed(cropped, jpeg(ImageOps.mirror(picture), 90))


def test_a_search_stopped_at_placed_at_answers_the_same_yes_or_no() -> None:
    """placed() asks only "is there a placement reaching PLACED_AT?": its searches stop at the
    first scale that reaches it, with the answer of the full search (which finds the best)."""
    from dedup_gui.engine.grouping.pixel_search import place
    from dedup_gui.engine.grouping.pixels import prepared
    from dedup_gui.engine.grouping.placement import PLACED_AT

    def grey(image: Image.Image) -> Image.Image:
        return prepared(image)[0]

    pairs = [(PHOTO, crop(PHOTO, 0.2)), (PHOTO, jpeg(crop(PHOTO, 0.3), 60)), (LEFT, RIGHT),
             (PHOTO, scene(4, (480, 360))), (crop(PHOTO, 0.2), PHOTO)]
    stopped_early = 0
    for big, small in pairs:
        full, stopped = place(grey(big), grey(small)), place(grey(big), grey(small), PLACED_AT)
        assert (stopped[0] >= PLACED_AT) == (full[0] >= PLACED_AT)
        assert stopped[0] <= full[0]
        stopped_early += stopped[0] < full[0]
    assert stopped_early
