"""A library of real photos with planted outliers, for measuring the outlier ranking.

    python benchmarks/plant_outliers.py OUT [--per-photo 7] [--per-kind 2] [--seed 7]

Base: every original photo of the dev sets (../shared/datasets, manifest role "original" or
"hard_negative": 276 photos), each rendered as a short series of shots (random crop, flip,
exposure and colour shift, sensor noise), as a camera roll holds several shots of each scene.
Planted: junk that does not belong in a photo library, several kinds, `--per-kind` of each with
different seeds: app screenshots (flat UI), text documents, noise frames, broken (half-grey)
frames, charts, pocket shots (nearly black), barcodes/QR-like blocks, spreadsheets.
Writes OUT/photos/..., OUT/planted/..., and OUT/planted.json (the planted paths).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SETS = ("debian_augly_dev", "photos_augly_dev2")
SIZE = (800, 600)


def source_photos(datasets: Path = DATASETS) -> list[Path]:
    """Original photos of the dev sets (no AugLy variants), sorted."""
    found = []
    for name in SETS:
        manifest = datasets / name / "manifest.json"
        if manifest.is_file():
            files = json.loads(manifest.read_text())["files"]
            found += [datasets / name / "images" / f["path"] for f in files
                      if f["role"] in ("original", "hard_negative")]
    return sorted(found)


def shot(photo: Image.Image, rng: random.Random) -> Image.Image:
    """Another shot of the same scene: crop 70-95%, maybe flipped, exposure/colour, noise."""
    w, h = photo.size
    scale = rng.uniform(0.7, 0.95)
    cw, ch = int(w * scale), int(h * scale)
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    image = photo.crop((x, y, x + cw, y + ch))
    if rng.random() < 0.3:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.85, 1.15))
    image = ImageEnhance.Color(image).enhance(rng.uniform(0.8, 1.2))
    image.thumbnail((SIZE[0], SIZE[0]))
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0, 2.5, (image.height,
                                                                      image.width, 3))
    return Image.fromarray(np.clip(np.asarray(image, np.float32) + noise, 0, 255)
                           .astype(np.uint8))


# -- planted junk, each kind varied by its seed ---------------------------------------------
def _colour(rng: random.Random, low: int = 0, high: int = 255) -> tuple[int, int, int]:
    return tuple(rng.randint(low, high) for _ in range(3))


def _words(rng: random.Random, count: int) -> str:
    syllables = ["lo", "rem", "ip", "sum", "do", "lor", "sit", "am", "et", "con", "sec", "tur"]
    return " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
                    for _ in range(count))


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def screenshot(rng: random.Random) -> Image.Image:
    w, h = rng.choice([(1080, 2340), (1920, 1080), (1440, 900)])
    image = Image.new("RGB", (w, h), _colour(rng, 235, 255))
    draw = ImageDraw.Draw(image)
    bar = h // rng.randint(10, 16)
    draw.rectangle((0, 0, w, bar), fill=_colour(rng, 20, 200))
    font = _font(max(14, bar // 3))
    draw.text((bar // 2, bar // 3), _words(rng, 3), fill="white", font=font)
    y = bar + 20
    while y < h - 60:
        draw.ellipse((20, y, 20 + bar // 2, y + bar // 2), fill=_colour(rng, 60, 220))
        draw.text((40 + bar // 2, y), _words(rng, rng.randint(3, 9)), fill=(40, 40, 40),
                  font=font)
        y += bar // 2 + rng.randint(20, 50)
        draw.line((0, y - 10, w, y - 10), fill=(220, 220, 220), width=2)
    return image


def document(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (1240, 1754), _colour(rng, 240, 255))
    draw = ImageDraw.Draw(image)
    size = rng.randint(18, 30)
    font = _font(size)
    draw.text((100, 90), _words(rng, 4).title(), fill="black", font=_font(size * 2))
    y = 220
    while y < 1650:
        draw.text((100, y), _words(rng, rng.randint(6, 12)), fill=(20, 20, 20), font=font)
        y += int(size * 1.6) + (size if rng.random() < 0.1 else 0)
    return image


def noise(rng: random.Random) -> Image.Image:
    generator = np.random.default_rng(rng.getrandbits(32))
    if rng.random() < 0.5:
        pixels = generator.integers(0, 256, (600, 800, 3), dtype=np.uint8)
    else:
        pixels = np.repeat(generator.normal(128, 50, (600, 800, 1)), 3, axis=2)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def broken(rng: random.Random) -> Image.Image:
    """What a truncated download decodes to: some stripes of colour, then flat grey."""
    image = Image.new("RGB", SIZE, (128, 128, 128))
    draw = ImageDraw.Draw(image)
    cut = rng.randint(60, 300)
    for y in range(0, cut, 8):
        draw.rectangle((0, y, SIZE[0], y + 8), fill=_colour(rng))
    for _ in range(rng.randint(2, 6)):
        x = rng.randrange(SIZE[0])
        draw.rectangle((x, cut, x + rng.randint(8, 64), cut + 8), fill=_colour(rng))
    return image


def chart(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.line((80, 40, 80, 540, 760, 540), fill="black", width=3)
    bars = rng.randint(4, 12)
    width = 640 // bars
    colour = _colour(rng, 30, 220)
    for i in range(bars):
        top = rng.randint(80, 520)
        draw.rectangle((90 + i * width, top, 80 + (i + 1) * width, 538), fill=colour)
    draw.text((300, 560), _words(rng, 3), fill="black", font=_font(20))
    return image


def pocket(rng: random.Random) -> Image.Image:
    """A shot taken in a pocket: nearly black with faint noise and a tint."""
    generator = np.random.default_rng(rng.getrandbits(32))
    tint = np.array(_colour(rng, 0, 25), np.float32)
    pixels = generator.normal(0, 3, (600, 800, 3)) + tint
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def blocks(rng: random.Random) -> Image.Image:
    cells = rng.choice([21, 25, 29, 33])
    generator = np.random.default_rng(rng.getrandbits(32))
    grid = generator.integers(0, 2, (cells, cells), dtype=np.uint8) * 255
    image = Image.fromarray(255 - grid).resize((cells * 20, cells * 20), Image.Resampling.NEAREST)
    framed = Image.new("L", (cells * 20 + 160, cells * 20 + 160), 255)
    framed.paste(image, (80, 80))
    return framed.convert("RGB")


def spreadsheet(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (1600, 1000), "white")
    draw = ImageDraw.Draw(image)
    font = _font(18)
    col, row = rng.randint(110, 180), rng.randint(26, 34)
    draw.rectangle((0, 0, 1600, row), fill=_colour(rng, 180, 230))
    for x in range(0, 1600, col):
        draw.line((x, 0, x, 1000), fill=(200, 200, 200))
    for y in range(0, 1000, row):
        draw.line((0, y, 1600, y), fill=(200, 200, 200))
        for x in range(0, 1600, col):
            if rng.random() < 0.7:
                draw.text((x + 6, y + 4), f"{rng.uniform(0, 9999):.2f}", fill="black", font=font)
    return image


KINDS: dict[str, Callable[[random.Random], Image.Image]] = {
    "screenshot": screenshot, "document": document, "noise": noise, "broken": broken,
    "chart": chart, "pocket": pocket, "blocks": blocks, "spreadsheet": spreadsheet,
}


def make(out: Path, per_photo: int, per_kind: int, seed: int) -> tuple[int, list[str]]:
    """Write the library; (number of base photos, planted paths)."""
    rng = random.Random(seed)
    sources = source_photos()
    if not sources:
        raise SystemExit(f"no dev-set photos found under {DATASETS}")
    count = 0
    for index, source in enumerate(sources):
        with Image.open(source) as opened:
            photo = opened.convert("RGB")
        for n in range(per_photo):
            target = out / "photos" / f"scene{index:03d}" / f"IMG_{n:02d}.jpg"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shot(photo, random.Random(rng.getrandbits(64))).save(target, quality=88)
            count += 1
    planted = []
    folder = out / "planted"
    for stale in folder.glob("*.png") if folder.is_dir() else ():
        stale.unlink()  # an earlier run's plan (e.g. more per kind) must not linger
    for kind, draw in KINDS.items():
        for n in range(per_kind):
            target = folder / f"{kind}_{n:02d}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            draw(random.Random(f"{seed}-{kind}-{n}")).save(target)
            planted.append(str(target.resolve()))
    (out / "planted.json").write_text(json.dumps(planted, indent=1))
    return count, planted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-photo", type=int, default=7, help="shots per source photo")
    parser.add_argument("--per-kind", type=int, default=2, help="planted images per kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    count, planted = make(args.out, args.per_photo, args.per_kind, args.seed)
    print(f"{count} photos and {len(planted)} planted outliers in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
