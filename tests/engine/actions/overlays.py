"""Pasted things for tests: an emoji-like face, a line of text, a star sticker, drawn with Pillow
and pasted onto a photo at an opacity, as meme apps and messengers do."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFont

KINDS = ("emoji", "text", "sticker")
COLOURS = ((255, 204, 0), (230, 30, 60), (40, 200, 90), (30, 120, 255))
DARK = (40, 30, 20, 255)


def sticker(kind: str, side: int, rng: random.Random) -> Image.Image:
    """An RGBA picture of `kind`, about `side` px wide, transparent around it."""
    fill = (*rng.choice(COLOURS), 255)
    if kind == "text":
        return _text(side, fill, rng)
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if kind == "emoji":
        draw.ellipse((1, 1, side - 2, side - 2), fill=fill, outline=DARK,
                     width=max(2, side // 20))
        eye = side // 8
        for x in (side // 3, 2 * side // 3):
            draw.ellipse((x - eye // 2, side // 3, x + eye // 2, side // 3 + eye), fill=DARK)
        draw.arc((side // 4, side // 3, 3 * side // 4, 3 * side // 4), 20, 160, fill=DARK,
                 width=max(2, side // 16))
    else:  # a five-pointed star with a white border
        r = side / 2
        points = [(r + (r - 2) * (1 if i % 2 == 0 else 0.45) * math.cos(math.pi * (i / 5 - .5)),
                   r + (r - 2) * (1 if i % 2 == 0 else 0.45) * math.sin(math.pi * (i / 5 - .5)))
                  for i in range(10)]
        draw.polygon(points, fill=fill, outline=(255, 255, 255, 255), width=max(2, side // 16))
    return layer


def _text(side: int, fill: tuple[int, ...], rng: random.Random) -> Image.Image:
    """A word about `side` px wide in the colour, outlined in a dark stroke as meme apps draw
    it (so it stands out on any photo)."""
    font = ImageFont.load_default(size=max(10, side // 3))
    words = rng.choice(("LOL", "so true", "#tbt", "mood", "12/08"))
    stroke = max(1, side // 40)
    box = ImageDraw.Draw(Image.new("RGBA", (1, 1))).textbbox((0, 0), words, font=font,
                                                              stroke_width=stroke)
    layer = Image.new("RGBA", (box[2] + 4, box[3] + 4), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((2, 2), words, font=font, fill=fill, stroke_width=stroke,
                               stroke_fill=DARK)
    return layer


def pasted(image: Image.Image, kind: str, share: float, opacity: float,
           rng: random.Random) -> Image.Image:
    """`image` with a `kind` sticker `share` of its width wide pasted at a random place."""
    thing = sticker(kind, max(12, round(image.width * share)), rng)
    alpha = thing.getchannel("A").point(lambda v: round(v * opacity))
    x = rng.randrange(0, max(1, image.width - thing.width))
    y = rng.randrange(0, max(1, image.height - thing.height))
    out = image.convert("RGB")
    out.paste(thing.convert("RGB"), (x, y), alpha)
    return out
