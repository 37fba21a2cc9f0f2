"""The frame rule: two screenshots of one template match only when their photos match."""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from dedup_gui.engine.grouping.frames import _trimmed, framed, two_photos_in_one_frame
from dedup_gui.engine.grouping.picture_cache import DECODE_SIDE
from dedup_gui.engine.grouping.placement import turned
from dedup_gui.engine.grouping.refute import TWO_PHOTOS
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.tiers import RESAVED, SIMILAR, Edge
from tests.conftest import dataset
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


def landscape(seed: int, sky: float, ground: float, horizon: float,
              size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Sky over land: a smooth gradient above a horizon, textured ground below with a few
    dark shapes. Two of them look alike at the placement search's 48 px whatever is in them."""
    rng = np.random.default_rng(seed)
    w, h = size
    line = int(h * horizon)
    y = np.arange(h)[:, None]
    grey = np.where(y < line, sky + 30 * y / line, ground + 25 * rng.normal(0, 1, (h, w)))
    rgb = np.stack([grey * k for k in (0.9, 0.95, 1.05)], -1).clip(0, 255).astype(np.uint8)
    image = Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(1.5))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x0, y0 = int(rng.integers(0, w - 40)), int(rng.integers(line - 20, h - 40))
        r = int(rng.integers(20, 70))
        draw.ellipse((x0, y0, x0 + r, y0 + r // 2),
                     fill=tuple(int(c) for c in rng.integers(20, 120, 3)))
    return image


@pytest.mark.parametrize("size", [(400, 300), (300, 400)])
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_two_landscapes_in_a_small_slot_are_two_photos(seed: int,
                                                       size: tuple[int, int]) -> None:
    """Searched over every scale, offset, turn and rotation, one small landscape is placed in
    another at PLACED_AT by chance (sky, horizon, ground); only its texture, on no map,
    tells them apart. The same photo re-saved stays one."""
    photo = landscape(seed, 150, 45, 0.45, size)
    other = landscape(seed + 50, 205, 95, 0.55, size)
    assert two_photos_in_one_frame(web_page(photo), jpeg(web_page(other), 85))
    assert not two_photos_in_one_frame(web_page(photo), jpeg(web_page(photo), 80))


def with_dark_parts(photo: Image.Image) -> Image.Image:
    """web_page with a dark logo and a dark banner in its frame."""
    page = web_page(photo)
    draw = ImageDraw.Draw(page)
    draw.ellipse((10, 2, 46, 38), fill=(25, 40, 50))
    draw.rectangle((880, 230, 1080, 260), fill=(30, 30, 30))
    return page


@pytest.mark.parametrize("seed", [3, 4])
def test_a_dark_and_a_bright_photo_leave_the_frame_agreeing(seed: int) -> None:
    """A dark photo in one slot and a bright one in the other shift the whole screenshot's
    grey levels; fitted to those, the frame's dark logo and banner differ too, and it was no
    longer "the same frame". The fit made on the frame alone keeps it the same."""
    dark = landscape(seed, 60, 15, 0.45)
    bright = landscape(seed + 50, 225, 190, 0.55)
    assert two_photos_in_one_frame(with_dark_parts(dark), jpeg(with_dark_parts(bright), 85))


def test_a_portrait_photo_between_wide_bars_loses_its_bars_not_itself() -> None:
    """The differing block spans the wider photo of the other slot, so this slot's portrait
    photo sits between bars that are most of every row: trimming rows first (views.peel)
    trimmed the photo away; the flattest edge first takes the bars."""
    flat = np.ones((40, 60), dtype=bool)
    flat[:, 20:40] = False  # the photo: columns 20-39, every row
    flat[0, 20:40] = True  # the slot's edge row above it
    assert _trimmed(flat, (0, 0, 60, 40)) == (20, 1, 40, 40)


def test_desktop_screenshots_of_different_photos_in_photos_augly_dev2() -> None:
    """Real screenshots of one desktop template (a small post photo among stories and an ad):
    each pair the scan called "the same picture re-saved" before shows two photos; each true
    pair of screenshots stays one picture."""
    folder = dataset("photos_augly_dev2")
    images = folder / "images"
    truth = json.loads((folder / "groups.json").read_text())
    groups = truth["groups"] if isinstance(truth, dict) else truth
    same = [pair for group in groups for pair in
            combinations([p for p in group if "Screenshot" in p], 2)]

    def load(name: str) -> Image.Image:
        return load_image(str(images / name), mode="RGB", min_side=DECODE_SIDE).image

    for a, b in DEV2_TWO_PHOTOS:
        assert two_photos_in_one_frame(load(a), load(b)), (a, b)
    assert len(same) == 15
    for a, b in same:
        assert not two_photos_in_one_frame(load(a), load(b)), (a, b)


_DCIM, _PICTURES = "DCIM/Screenshots/Screenshot_", "Pictures/Screenshots/Screenshot_"
DEV2_TWO_PHOTOS = [
    (_DCIM + "20181214-131304.png", _PICTURES + "20201008-228602.png"),
    (_DCIM + "20210514-203494.png", _DCIM + "20210517-224006.png"),
    (_DCIM + "20181214-131304.png", _PICTURES + "20210412-115361.png"),
    (_PICTURES + "20201008-228602.png", _PICTURES + "20210412-115361.png"),
    (_DCIM + "20190516-064895.jpg", _PICTURES + "20220811-045355.jpg"),
    (_DCIM + "20180525-230341.jpg", _DCIM + "20220214-090240.jpg"),
    (_DCIM + "20220214-090240.jpg", _PICTURES + "20181111-092482.jpg"),
    (_DCIM + "20191211-107737.png", _PICTURES + "20210122-029042.jpg"),
    (_DCIM + "20181125-053764.jpg", _PICTURES + "20210122-029042.jpg"),
    (_DCIM + "20181125-053764.jpg", _DCIM + "20191211-107737.png"),
]
