"""The frame rule: two screenshots of one template match only when their photos match."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageEnhance

from dedup_gui.engine.grouping.frames import framed, two_photos_in_one_frame
from dedup_gui.engine.grouping.placement import turned
from dedup_gui.engine.grouping.refute import TWO_PHOTOS
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.tiers import RESAVED, SIMILAR, Edge
from tests.engine.grouping.pictures import jpeg, scene

AD = scene(21, (200, 150))  # the same sponsored picture in every screenshot


def web_page(photo: Image.Image) -> Image.Image:
    """A social site's page: side menu, stories, an ad and one post whose photo sits, letter-
    boxed in black, in a slot a tenth of the page (too small for signals/views.py to take as
    the page's photo)."""
    page = Image.new("RGB", (1200, 736), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1200, 40), fill=(245, 246, 248))
    for row in range(8):
        draw.text((20, 80 + 30 * row), f"Menu item {row}", fill=(60, 60, 60))
    for i in range(8):
        draw.ellipse((260 + 45 * i, 60, 295 + 45 * i, 95), fill=(40 + 25 * i, 90, 160))
    page.paste(AD, (880, 60))
    draw.rectangle((250, 420, 790, 700), fill=(0, 0, 0))
    slot = photo.copy()
    slot.thumbnail((270, 280))
    page.paste(slot, (520 - slot.width // 2, 420 + (280 - slot.height) // 2))
    return page


def sticker(image: Image.Image) -> Image.Image:
    edited = image.copy()
    draw = ImageDraw.Draw(edited)
    draw.ellipse((40, 40, 160, 160), fill=(255, 210, 0))
    draw.text((70, 90), "LOL", fill=(0, 0, 0))
    return edited


PHOTO, OTHER = scene(5, (480, 360)), scene(6, (480, 360))


def test_a_web_template_is_a_frame_and_a_camera_photo_is_not() -> None:
    assert framed(web_page(PHOTO))
    assert not framed(PHOTO)


def test_screenshots_of_two_photos_in_one_template_are_two_pictures() -> None:
    assert two_photos_in_one_frame(web_page(PHOTO), jpeg(web_page(OTHER), 80))
    assert two_photos_in_one_frame(web_page(OTHER), web_page(scene(8, (360, 480))))


def test_screenshots_of_one_photo_stay_one_picture_whatever_was_done_to_it() -> None:
    page = web_page(PHOTO)
    assert not two_photos_in_one_frame(page, jpeg(web_page(PHOTO), 70))
    assert not two_photos_in_one_frame(page, web_page(sticker(PHOTO)))
    brighter = ImageEnhance.Brightness(turned(PHOTO, 5.0)).enhance(1.3)
    assert not two_photos_in_one_frame(page, web_page(brighter))


def test_an_overlay_on_a_photo_is_not_two_photos() -> None:
    """A sticker replaces part of a photo, but what surrounds it is photo, not frame."""
    assert not two_photos_in_one_frame(PHOTO, sticker(PHOTO))


def test_verification_refutes_two_photos_in_one_frame_without_capture_metadata() -> None:
    pictures = {"a": web_page(PHOTO), "b": web_page(OTHER), "c": web_page(sticker(PHOTO))}
    edges = {(0, 1): Edge(RESAVED, 4, 0.97), (0, 2): Edge(RESAVED, 2, 0.98)}
    verified = verify_edges(edges, [None, None, None], ["a", "b", "c"], pictures.get)
    assert verified.edges[(0, 1)].tier == SIMILAR
    assert verified.edges[(0, 1)].note == TWO_PHOTOS
    assert verified.refuted == {(0, 1)}
    assert verified.edges[(0, 2)].tier == RESAVED
