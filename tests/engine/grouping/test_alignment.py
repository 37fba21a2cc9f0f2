"""Alignment for the compare view: where a photo sits in its screenshot, a crop in its source,
in each file's full pixels (real files, decoded by the app's loader)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dedup_gui.engine.grouping.alignment import align_images, alignment
from tests.engine.grouping.pictures import scene

TOLERANCE = 0.02  # of the larger picture's width


def _screenshot(photo: Image.Image, at: tuple[int, int], width: int) -> Image.Image:
    """A desktop-style frame: flat UI, a title bar, text, the photo pasted at `at`, scaled."""
    page = Image.new("RGB", (1280, 900), (245, 245, 245))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1280, 60), fill=(40, 40, 48))
    for row in range(6):
        draw.text((900, 120 + 40 * row), f"caption line {row}", fill=(30, 30, 30))
    height = round(width * photo.height / photo.width)
    page.paste(photo.resize((width, height), Image.Resampling.LANCZOS), at)
    return page


def _close(got: tuple[float, float], want: tuple[float, float], side: float) -> bool:
    return all(abs(g - w) <= TOLERANCE * side for g, w in zip(got, want, strict=True))


def test_a_screenshot_lines_up_with_its_photo(tmp_path: Path) -> None:
    photo = scene(11, (1600, 1200))
    shot = _screenshot(photo, (130, 170), 700)  # the photo at 7/16 of its size
    photo.save(tmp_path / "photo.jpg", quality=92)
    shot.save(tmp_path / "shot.png")
    found = alignment(tmp_path / "shot.png", tmp_path / "photo.jpg")
    assert found.aligned and found.transpose is None
    assert _close(found.map(0, 0), (130, 170), 1280)
    assert _close(found.map(1600, 1200), (830, 170 + 525), 1280)
    assert found.scale_x == pytest.approx(700 / 1600, rel=0.03)


def test_the_photo_lines_up_with_its_screenshot_the_other_way_round(tmp_path: Path) -> None:
    photo = scene(12, (1600, 1200))
    shot = _screenshot(photo, (300, 120), 800)
    found = align_images(photo, shot)
    assert found.aligned
    assert _close(found.map(300, 120), (0, 0), 1600)  # the photo's corner in the screenshot
    assert _close(found.map(1100, 720), (1600, 1200), 1600)


def test_a_crop_lines_up_with_its_source(tmp_path: Path) -> None:
    source = scene(13, (1200, 900))
    box = (260, 150, 980, 690)  # 60 % of the width
    source.save(tmp_path / "source.jpg", quality=90)
    source.crop(box).resize((1080, 810)).save(tmp_path / "crop.jpg", quality=85)  # upscaled
    found = alignment(tmp_path / "source.jpg", tmp_path / "crop.jpg")
    assert found.aligned
    assert _close(found.map(0, 0), box[:2], 1200)
    assert _close(found.map(1080, 810), box[2:], 1200)


def test_a_mirrored_copy_is_turned_back(tmp_path: Path) -> None:
    source = scene(14, (800, 600))
    mirrored = source.transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((400, 300))
    found = align_images(source, mirrored)
    assert found.transpose is Image.Transpose.FLIP_LEFT_RIGHT
    assert _close(found.map(0, 0), (800, 0), 800)  # b's left edge is a's right edge
    assert _close(found.map(400, 300), (0, 600), 800)


def test_different_pictures_stay_side_by_side() -> None:
    found = align_images(scene(15, (800, 600)), scene(16, (400, 300)))
    assert not found.aligned
    assert found.map(400, 300) == pytest.approx((800, 600))  # b scaled to a's width


def test_the_difference_is_dark_where_the_copy_matches_and_bright_at_an_edit() -> None:
    from dedup_gui.engine.grouping.difference import OUTSIDE, difference

    photo = scene(17, (800, 600))
    edited = photo.resize((560, 420))  # a smaller re-save with a sticker on it
    ImageDraw.Draw(edited).rectangle((350, 50, 490, 150), fill=(255, 230, 0))
    shot = _screenshot(edited, (200, 150), 560)
    found = align_images(photo, shot)
    heat = np.asarray(difference(photo, shot, found).convert("L"), dtype=np.float32)
    sticker = heat[80:200, 520:680]  # the sticker, in the photo's pixels (×800/560)
    untouched = heat[350:550, 60:400]
    assert sticker.mean() > 100 and untouched.mean() < 25
    outside = align_images(shot, photo)
    heat_on_shot = np.asarray(difference(shot, photo, outside))
    assert tuple(heat_on_shot[20, 20]) == OUTSIDE  # the frame around the photo


def test_a_mirrored_photo_in_a_screenshot_is_turned_back() -> None:
    photo = scene(18, (1200, 900))
    shot = _screenshot(photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (200, 150), 600)
    found = align_images(shot, photo)
    assert found.aligned and found.transpose is Image.Transpose.FLIP_LEFT_RIGHT
    assert _close(found.map(0, 0), (800, 150), 1280)  # the photo's left edge: the right one
    assert _close(found.map(1200, 900), (200, 600), 1280)
