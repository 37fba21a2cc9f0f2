"""A precision/recall plot drawn with Pillow's ImageDraw (matplotlib is not a dependency):
axes with ticks and grid, one coloured polyline per series, marked points, labels, a legend."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189), (255, 127, 14),
           (23, 190, 207), (140, 86, 75), (227, 119, 194))
SIZE, MARGIN = (1040, 760), (80, 50, 340, 70)  # left, top, right, bottom


@dataclass
class Series:
    """Points (recall, precision) joined in order; `marks`: (recall, precision, label) drawn
    as rings with their label."""

    name: str
    points: Sequence[tuple[float, float]]
    marks: Sequence[tuple[float, float, str]] = field(default_factory=list)
    dashed: bool = False


def _bounds(series: Sequence[Series]) -> tuple[float, float]:
    """Lowest recall and precision shown, rounded down to 0.05 (the top is always 1.0)."""
    values = [p for s in series for p in (*s.points, *((r, q) for r, q, _ in s.marks))]
    low_r = min((r for r, _ in values), default=0.0)
    low_p = min((p for _, p in values), default=0.0)
    return (math.floor(low_r * 20) / 20, math.floor(low_p * 20) / 20)


def draw_plot(series: Sequence[Series], title: str, out: Path) -> None:
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    font, small = ImageFont.load_default(size=16), ImageFont.load_default(size=12)
    left, top, right, bottom = MARGIN[0], MARGIN[1], SIZE[0] - MARGIN[2], SIZE[1] - MARGIN[3]
    low_r, low_p = _bounds(series)

    def xy(recall: float, precision: float) -> tuple[float, float]:
        x = left + (recall - low_r) / max(1e-9, 1 - low_r) * (right - left)
        y = bottom - (precision - low_p) / max(1e-9, 1 - low_p) * (bottom - top)
        return x, y

    _axes(draw, (left, top, right, bottom), (low_r, low_p), small)
    draw.text(((left + right) / 2, SIZE[1] - 25), "recall (pairs)", fill="black", font=font,
              anchor="mm")
    draw.text((left, top - 12), "precision", fill="black", font=font, anchor="rm")
    draw.text(((left + right) / 2, 15), title, fill="black", font=font, anchor="mm")
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = [xy(r, p) for r, p in one.points]
        _polyline(draw, points, colour, one.dashed)
        for point in points:
            draw.ellipse((point[0] - 3, point[1] - 3, point[0] + 3, point[1] + 3), fill=colour)
        for order, (recall, precision, label) in enumerate(one.marks):
            x, y = xy(recall, precision)
            draw.ellipse((x - 8, y - 8, x + 8, y + 8), outline=colour, width=3)
            draw.text((x + 10, y + 4 + 14 * (order + index % 2 * len(one.marks))), label,
                      fill=colour, font=small)
        legend_y = top + 10 + index * 24
        draw.line((right + 20, legend_y, right + 50, legend_y), fill=colour, width=3)
        draw.text((right + 58, legend_y), one.name, fill="black", font=small, anchor="lm")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out)


def _axes(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int],
          low: tuple[float, float], font: ImageFont.FreeTypeFont) -> None:
    left, top, right, bottom = box
    for axis, start in enumerate(low):
        steps = round((1 - start) / 0.05)
        for step in range(steps + 1):
            value = start + step * 0.05
            share = step / max(1, steps)
            if axis == 0:
                x = left + share * (right - left)
                draw.line((x, top, x, bottom), fill=(225, 225, 225))
                draw.text((x, bottom + 12), f"{value:.2f}", fill="black", font=font, anchor="mm")
            else:
                y = bottom - share * (bottom - top)
                draw.line((left, y, right, y), fill=(225, 225, 225))
                draw.text((left - 8, y), f"{value:.2f}", fill="black", font=font, anchor="rm")
    draw.rectangle(box, outline="black", width=2)


def _polyline(draw: ImageDraw.ImageDraw, points: Sequence[tuple[float, float]],
              colour: tuple[int, int, int], dashed: bool) -> None:
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if not dashed:
            draw.line((x0, y0, x1, y1), fill=colour, width=2)
            continue
        length = max(1.0, math.hypot(x1 - x0, y1 - y0))
        for start in range(0, int(length), 12):
            a, b = start / length, min(1.0, (start + 6) / length)
            draw.line((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a,
                       x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), fill=colour, width=2)
