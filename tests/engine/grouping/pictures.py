"""Generated pictures for the verification tests: a textured scene, its copies and edits, burst
frames of it (shake, a moving subject, fresh noise), screenshots in one app template."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = (480, 360)


def scene(seed: int, size: tuple[int, int] = (560, 420)) -> Image.Image:
    """A photo-like scene: smooth shading, textured regions and solid objects, larger than SIZE
    so frames can be cut from it with shake."""
    rng = np.random.default_rng(seed)
    w, h = size
    base = rng.normal(128, 60, (h // 8, w // 8, 3)).clip(0, 255).astype(np.uint8)
    image = Image.fromarray(base).resize(size, Image.Resampling.BICUBIC)
    fine = rng.normal(0, 25, (h, w, 3))
    image = Image.fromarray((np.asarray(image, dtype=np.float32) + fine).clip(0, 255)
                            .astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
        r = int(rng.integers(15, 60))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        draw.ellipse((x, y, x + r, y + r), fill=colour)
    return image


def frame(world: Image.Image, dx: int = 0, dy: int = 0, subject: tuple[int, int] | None = None,
          seed: int = 0) -> Image.Image:
    """One burst frame: the world seen with a shake of (dx, dy) px, a subject (a textured
    patch) at `subject`, and fresh sensor noise."""
    left, top = 40 + dx, 30 + dy
    shot = world.crop((left, top, left + SIZE[0], top + SIZE[1]))
    if subject is not None:
        patch = scene(999, (90, 70))
        shot.paste(patch, subject)
    rng = np.random.default_rng(seed)
    noisy = np.asarray(shot, dtype=np.float32) + rng.normal(0, 3, (SIZE[1], SIZE[0], 3))
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))


def jpeg(image: Image.Image, quality: int = 75, scale: float = 1.0) -> Image.Image:
    """A messenger re-save: resized, re-encoded."""
    if scale != 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def crop(image: Image.Image, share: float = 0.05) -> Image.Image:
    """An export with `share` of each side cut off."""
    w, h = image.size
    dx, dy = round(w * share), round(h * share)
    return image.crop((dx, dy, w - dx, h - dy))


def caption(image: Image.Image) -> Image.Image:
    """A text overlay and a sticker on an otherwise untouched picture."""
    edited = image.copy()
    draw = ImageDraw.Draw(edited)
    draw.rectangle((20, 20, 120, 60), fill=(255, 220, 0))
    for i in range(6):
        draw.text((30 + 60 * i, image.height - 40), "HELLO", fill=(255, 255, 255))
    return edited


def screenshot(photo: Image.Image, header: str = "Alice") -> Image.Image:
    """The photo pasted into a phone app's template: flat UI, text lines, a margin."""
    page = Image.new("RGB", (420, 760), (250, 250, 250))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 420, 70), fill=(30, 110, 200))
    draw.text((20, 25), header, fill=(255, 255, 255))
    for row in range(5):
        draw.text((20, 560 + 30 * row), f"comment line {row} about the picture", fill=(40, 40, 40))
    page.paste(photo.resize((400, 300)), (10, 160))
    return page
