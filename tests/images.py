"""Real images for tests, generated with Pillow: distinct "photos" and edited copies of them.

Each photo is a seeded composition of gradients, shapes and noise, so different seeds give
pictures whose perceptual hashes are far apart, like different real photos.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A synthetic photo: a random gradient background with random shapes and mild noise."""
    rng = random.Random(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    channels = []
    for _ in range(3):
        a, b, c = (rng.uniform(-1, 1) for _ in range(3))
        channels.append(128 + 100 * np.sin(a * xx / w * 6 + b * yy / h * 6 + c * 3))
    image = Image.fromarray(np.clip(np.dstack(channels), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(4, 9)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randint(w // 8, w // 2), y0 + rng.randint(h // 8, h // 2)
        fill = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=fill)
    noise = np.random.default_rng(seed).normal(0, 4, (h, w, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(0.6))


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **options)
    return path


def resized_copy(image: Image.Image, factor: float) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, int(w * factor)), max(1, int(h * factor))),
                        Image.Resampling.LANCZOS)
