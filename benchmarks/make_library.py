"""Generate a seeded benchmark library of camera- and phone-size JPEGs from real photos.

Real photos decode differently from synthetic noise or flat colour (entropy decides JPEG decode
time), so every generated file is a random crop of a real photo, rescaled to the target size, with
mild sensor-like noise and a realistic JPEG quality. Same seed + same source photos -> same bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared/datasets/debian_augly_dev/images"
SIZES = {"camera": (4000, 3000), "phone": (1600, 1200), "small": (640, 480)}
SOURCE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def source_photos(folder: Path, min_side: int = 1000) -> list[Path]:
    """Real photos large enough to crop from, sorted so the seed alone decides the output."""
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES)
    keep = []
    for path in paths:
        with Image.open(path) as im:
            if min(im.size) >= min_side:
                keep.append(path)
    return keep


def render(source: Image.Image, size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A random crop of `source` with the aspect of `size`, resized to `size`, plus noise."""
    w, h = source.size
    aspect = size[0] / size[1]
    crop_w = int(min(w, int(h * aspect)) * rng.uniform(0.6, 1.0))
    crop_h = int(crop_w / aspect)
    x = rng.randint(0, w - crop_w)
    y = rng.randint(0, h - crop_h)
    image = source
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out = image.resize(size, Image.Resampling.BICUBIC, box=(x, y, x + crop_w, y + crop_h),
                       reducing_gap=2.0)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0, 3.0, (size[1], size[0], 1))
    pixels = np.asarray(out, dtype=np.float32) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def make_library(out: Path, count: int, kind: str, sources: list[Path], seed: int) -> list[Path]:
    """Write `count` JPEGs of `kind` size into `out` (existing files are kept).

    The plan is drawn first and rendered source by source, so each big source photo is decoded
    once, and the bytes depend only on the seed.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    plan: dict[int, list[tuple[Path, int, int]]] = {}
    paths = []
    for index in range(count):
        source_index = rng.randrange(len(sources))
        path = out / f"{kind}_{index:05d}.jpg"
        plan.setdefault(source_index, []).append((path, rng.randint(85, 95), rng.getrandbits(64)))
        paths.append(path)
    for source_index, jobs in sorted(plan.items()):
        todo = [job for job in jobs if not job[0].exists()]
        if not todo:
            continue
        with Image.open(sources[source_index]) as image:
            source = image.convert("RGB")
        for path, quality, sub_seed in todo:
            render(source, SIZES[kind], random.Random(sub_seed)).save(path, quality=quality)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--kind", choices=sorted(SIZES), default="camera")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"source photo folder not found: {args.sources}", file=sys.stderr)
        return 2
    sources = source_photos(args.sources)
    make_library(args.out, args.count, args.kind, sources, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
