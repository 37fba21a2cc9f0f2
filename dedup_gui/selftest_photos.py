"""The self-test's tiny photo library, drawn with numpy and Pillow (nothing is shipped for it).

Six pictures of clearly different kinds (a landscape, a bar chart, clouds, stripes, dots, rings)
were chosen because the CNN keeps them far apart (embedding cosine ≤ 0.5 between any two, the
grouping needs ≥ 0.6), while it sees each picture's copies as the same photo (≥ 0.87, "edited"
needs 0.76). Synthetic scenes of one kind (gradients and shapes) all look alike to the model, so
the variety matters. Each picture gets six files: the original, an exact copy, a re-encoded copy,
a half-size PNG, a mirror image (perceptual hashes disagree: only the model pairs it) and a crop.
That is 36 files, 30 of them to decode: more than engine.parallel.IN_PROCESS_BELOW, so the scan
uses the worker processes, as a real one does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTH, HEIGHT = 320, 240


def _pixels(array: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _grid() -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    return xx, yy


def landscape() -> Image.Image:
    _, yy = _grid()
    sky = np.dstack([90 + yy * 0.3, 150 + yy * 0.3, 250 - yy * 0.1])
    ground = np.dstack([40 + 0 * yy, 140 - (yy - HEIGHT) * 0.2, 40 + 0 * yy])
    image = _pixels(np.where((yy > HEIGHT * 0.6)[..., None], ground, sky))
    draw = ImageDraw.Draw(image)
    draw.ellipse((220, 30, 270, 80), fill=(255, 230, 80))
    draw.polygon([(40, 150), (110, 60), (180, 150)], fill=(120, 110, 100))
    return image


def bars() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    colours = [(200, 0, 0), (0, 160, 0), (0, 0, 200), (230, 200, 0), (120, 0, 160), (0, 180, 180)]
    for index, colour in enumerate(colours):
        top = HEIGHT - 40 - 30 * index
        draw.rectangle((20 + index * 48, top, 56 + index * 48, HEIGHT), fill=colour)
    return image


def clouds() -> Image.Image:
    noise = np.random.default_rng(7).normal(128, 60, (HEIGHT // 16, WIDTH // 16, 1))
    small = _pixels(noise.repeat(3, 2) * [0.6, 0.8, 1.0])
    return small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(4))


def stripes() -> Image.Image:
    xx, yy = _grid()
    dark = (np.sin(xx / 5 + yy / 12) > 0)[..., None]
    return _pixels(dark * [20, 20, 20] + (1 - dark) * [250, 200, 0])


def dots() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (20, 60, 30))
    draw = ImageDraw.Draw(image)
    for x in range(0, WIDTH, 32):
        for y in range(0, HEIGHT, 32):
            draw.ellipse((x + 4, y + 4, x + 26, y + 26), fill=(240, 240, 240))
    return image


def rings() -> Image.Image:
    xx, yy = _grid()
    wave = (np.sin(np.hypot(xx - WIDTH / 2, yy - HEIGHT / 2) / 6) + 1) / 2
    return _pixels(np.dstack([wave * 60, wave * 200, 255 - wave * 100]))


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "landscape": landscape, "bars": bars, "clouds": clouds,
    "stripes": stripes, "dots": dots, "rings": rings,
}


def write_copies(name: str, picture: Image.Image, folder: Path) -> list[str]:
    """The picture and five copies of it in `folder`; returns the file names."""
    w, h = picture.size
    original = folder / f"{name}.jpg"
    picture.save(original, quality=92)
    shutil.copyfile(original, folder / f"{name}_copy.jpg")
    picture.save(folder / f"{name}_q50.jpg", quality=50)
    picture.resize((w // 2, h // 2), Image.Resampling.LANCZOS).save(folder / f"{name}_half.png")
    ImageOps.mirror(picture).save(folder / f"{name}_mirror.jpg", quality=90)
    picture.crop((w // 16, h // 16, w - w // 16, h - h // 16)).save(
        folder / f"{name}_crop.jpg", quality=90)
    return sorted(f"{name}{suffix}" for suffix in (
        ".jpg", "_copy.jpg", "_q50.jpg", "_half.png", "_mirror.jpg", "_crop.jpg"))


def make_library(folder: Path) -> list[list[str]]:
    """Write the library into `folder`; returns the expected groups (sorted file names)."""
    folder.mkdir(parents=True, exist_ok=True)
    return sorted(write_copies(name, draw(), folder) for name, draw in PICTURES.items())
