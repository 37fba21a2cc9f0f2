"""Pillow-only edits that turn a real photo into the copies people end up with: re-saved,
resized, cropped, flipped, rotated, captioned, filtered, padded, screenshotted.

Every transform takes (image, rng) and returns (new image, its parameters), so the manifest can
say exactly what was done; the same rng state gives the same pixels.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

Params = dict[str, object]
Transform = Callable[[Image.Image, random.Random], tuple[Image.Image, Params]]
WORDS = ("when you", "finally", "see it", "monday", "mood", "me at", "the weekend", "no one:",
         "holiday", "best day", "look at this", "throwback", "so true", "classic")


def resize(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    factor = round(rng.uniform(0.3, 0.8), 3)
    size = (max(32, round(image.width * factor)), max(32, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS), {"factor": factor}


def crop(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Keep 55–90% of the area, any position (a crop in a phone's editor)."""
    area = rng.uniform(0.55, 0.9)
    ratio = rng.uniform(0.8, 1.25)
    w = min(image.width, round(image.width * math.sqrt(area * ratio)))
    h = min(image.height, round(image.height * math.sqrt(area / ratio)))
    x, y = rng.randint(0, image.width - w), rng.randint(0, image.height - h)
    return image.crop((x, y, x + w, y + h)), {"box": [x, y, x + w, y + h]}


def hflip(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    return ImageOps.mirror(image), {}


def rotate(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A small straightening rotation, cropped to the largest rectangle without corners."""
    angle = round(rng.choice((-1, 1)) * rng.uniform(2, 10), 2)
    turned = image.rotate(angle, Image.Resampling.BICUBIC, expand=False)
    w, h = _inner_rectangle(image.width, image.height, math.radians(abs(angle)))
    x, y = (image.width - w) // 2, (image.height - h) // 2
    return turned.crop((x, y, x + w, y + h)), {"angle": angle}


def _inner_rectangle(w: int, h: int, angle: float) -> tuple[int, int]:
    """Largest axis-aligned rectangle inside a w×h rectangle rotated by `angle` (radians)."""
    long_side, short_side = max(w, h), min(w, h)
    sin, cos = abs(math.sin(angle)), abs(math.cos(angle))
    if short_side <= 2 * sin * cos * long_side or abs(sin - cos) < 1e-10:
        x = 0.5 * short_side
        wr, hr = (x / sin, x / cos) if w >= h else (x / cos, x / sin)
    else:
        cos_2a = cos * cos - sin * sin
        wr, hr = (w * cos - h * sin) / cos_2a, (h * cos - w * sin) / cos_2a
    return max(1, int(wr)), max(1, int(hr))


def rotate90(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A photo saved sideways (orientation lost)."""
    angle = rng.choice((90, 270))
    return image.rotate(angle, expand=True), {"angle": angle}


def _enhance(kind: type, low: float, high: float) -> Transform:
    def apply(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
        factor = round(rng.choice((rng.uniform(low, 0.85), rng.uniform(1.15, high))), 3)
        return kind(image).enhance(factor), {"factor": factor}
    return apply


def grayscale(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    return ImageOps.grayscale(image).convert("RGB"), {}


def blur(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    radius = round(rng.uniform(1.0, 2.5), 2)
    return image.filter(ImageFilter.GaussianBlur(radius)), {"radius": radius}


def sharpen(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    percent = rng.randint(80, 200)
    return image.filter(ImageFilter.UnsharpMask(2, percent, 2)), {"percent": percent}


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=max(8, size))


def caption(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Meme style (a white band with black text above the photo) or text drawn on the photo."""
    text = " ".join(rng.sample(WORDS, 2)).upper()
    if rng.random() < 0.5:
        band = round(image.height * rng.uniform(0.15, 0.3))
        out = Image.new("RGB", (image.width, image.height + band), "white")
        out.paste(image, (0, band))
        font = _font(band // 2)
        ImageDraw.Draw(out).text((image.width // 2, band // 2), text, fill="black", font=font,
                                 anchor="mm")
        return out, {"style": "band", "text": text, "band": band}
    out = image.copy()
    size = round(image.height * rng.uniform(0.07, 0.14))
    y = rng.choice((0.12, 0.88)) * image.height
    ImageDraw.Draw(out).text((image.width // 2, y), text, fill="white", font=_font(size),
                             anchor="mm", stroke_width=max(1, size // 12), stroke_fill="black")
    return out, {"style": "overlay", "text": text, "size": size}


def pad(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A solid border, or letterboxing to a square (as messengers and Instagram do)."""
    colour = rng.choice(((255, 255, 255), (0, 0, 0), (30, 30, 30), (240, 236, 228)))
    if rng.random() < 0.5:
        side = max(image.size)
        out = Image.new("RGB", (side, side), colour)
        out.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
        return out, {"style": "square", "colour": list(colour)}
    border = round(min(image.size) * rng.uniform(0.04, 0.2))
    return ImageOps.expand(image, border, colour), {"style": "border", "border": border,
                                                    "colour": list(colour)}


def screenshot(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """The photo inside a phone app's screen: status bar, title bar, caption lines, buttons."""
    dark = rng.random() < 0.4
    bg, ink = ((18, 18, 18), (230, 230, 230)) if dark else ((255, 255, 255), (20, 20, 20))
    width, height = rng.choice(((720, 1520), (1080, 2340), (750, 1334)))
    screen = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(screen)
    unit = width // 18
    draw.rectangle((0, 0, width, unit), fill=(0, 0, 0) if dark else (240, 240, 240))
    draw.text((unit // 2, unit // 2), f"{rng.randint(7, 23)}:{rng.randint(0, 59):02d}",
              fill=ink, font=_font(unit * 2 // 3), anchor="lm")
    header = rng.choice(((59, 89, 152), (7, 94, 84), (0, 136, 204), bg))
    draw.rectangle((0, unit, width, unit * 3), fill=header)
    draw.text((unit, unit * 2), rng.choice(WORDS).title(), fill="white" if header != bg else ink,
              font=_font(unit), anchor="lm")
    photo = ImageOps.contain(image, (width, height - unit * 8))
    top = unit * 3 + rng.randint(0, unit)
    screen.paste(photo, ((width - photo.width) // 2, top))
    y = top + photo.height + unit // 2
    for _ in range(rng.randint(1, 3)):
        draw.text((unit // 2, y), " ".join(rng.sample(WORDS, 3)), fill=ink,
                  font=_font(unit * 2 // 3))
        y += unit
    return screen, {"screen": [width, height], "dark": dark, "photo_top": top}


# Applied in this order (geometry, colour, filters, overlays, framing); weights of the draw.
TRANSFORMS: dict[str, tuple[Transform, int]] = {
    "resize": (resize, 10), "crop": (crop, 10), "hflip": (hflip, 5), "rotate": (rotate, 5),
    "rotate90": (rotate90, 2),
    "brightness": (_enhance(ImageEnhance.Brightness, 0.6, 1.5), 5),
    "contrast": (_enhance(ImageEnhance.Contrast, 0.6, 1.5), 5),
    "saturation": (_enhance(ImageEnhance.Color, 0.2, 1.7), 4), "grayscale": (grayscale, 3),
    "blur": (blur, 3), "sharpen": (sharpen, 2), "caption": (caption, 6), "pad": (pad, 4),
    "screenshot": (screenshot, 4),
}
RESAVE_WEIGHT = 10  # a plain low-quality re-save, drawn like a transform


def draw_edits(rng: random.Random) -> list[str]:
    """1–3 distinct edits (or a plain re-save), in the order they are applied."""
    names = [*TRANSFORMS, "resave"]
    weights = [w for _, w in TRANSFORMS.values()] + [RESAVE_WEIGHT]
    count = rng.choices((1, 2, 3), (0.45, 0.4, 0.15))[0]
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights)[0])
    return [name for name in names if name in chosen]
