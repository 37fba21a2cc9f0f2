"""A seeded library of small pictures whose near-copy density is like a real library's, for
bench_scale.py: about 10 % exact copies, 10 % re-saves, 5 % in bursts of 3-10 similar shots and
the rest distinct pictures.

Distinct pictures are 2x2 mosaics of windows of the dev-set photos (../shared/datasets/*/images),
each with its colour balance and brightness, so they are different to the model
too (bench_scale.py --check-model compares their cosines with the dev sets' unrelated pairs). A
burst is one window moved a few pixels at a time with the light changing a little. The plan is
drawn index by index from one seed, so a library of N files is the first N files of any larger
one and files already written are kept: generate 500k once and scan its first folders.

Capture metadata is a real library's too: originals and burst frames carry their camera's EXIF
(make_bursts.py's cameras, burst_frames.camera_exif: make, model, capture instant to the
millisecond, time zone, the body's serial where cameras write one), every original its own
instant and a burst's frames a fraction of a second apart, as cameras and phones write them;
exact copies keep it (same bytes) and re-saves lose it (a messenger's re-encode). `capture=False`
writes the library without any EXIF, as bench_scale wrote it before 0.6.2: the worst case,
where every burst pair must be told apart by its pixels. The two are different files, so keep
them in different folders (bench_scale.py --no-capture uses its own).
"""

from __future__ import annotations

import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from burst_frames import camera_exif
from make_bursts import CAMERAS
from make_library import source_photos
from PIL import Image, ImageEnhance

DATASETS = Path(os.environ.get("DEDUP_DATASETS")
                or Path(__file__).resolve().parents[2] / "shared" / "datasets")
SIZE = (128, 96)
SEED = 2026
# Window width as a share of the photo's (small windows are blurred textures, alike to the model)
WINDOW = (0.15, 0.4)
ATLAS = (480, 360)  # the size each source photo is kept at while pictures are drawn
PER_FOLDER = 1000
# Chances per draw. A burst start yields 6.5 files on average: 0.008 per draw puts ~5 % of the
# files in bursts, and copies and re-saves ~10 % each.
SHARES = {"copy": 0.10, "resave": 0.10, "burst": 0.008}
FIRST_INSTANT = datetime(2015, 3, 1, 9, 0, 0)
SPACING_S = (60.0, 6 * 3600.0)  # between one original and the next: a minute to hours
BURST_INTERVAL_S = (0.08, 0.5)  # between a burst's frames: continuous shooting to a quick retake


@dataclass(frozen=True, slots=True)
class Planned:
    """One file: what it is, its seed, and the earlier file it copies or the burst it is in."""

    index: int
    kind: str  # "original", "copy", "resave", "frame"
    seed: int
    of: int = -1  # copy / resave: the original; frame: the burst's first frame
    step: int = 0  # frame: its place in the burst


def sources(folders: list[Path] | None = None, min_side: int = 300) -> list[Path]:
    """The photos windows are drawn from, sorted (the seed alone decides the output)."""
    folders = folders or sorted(DATASETS.glob("*/images"))
    return sorted(p for folder in folders for p in source_photos(folder, min_side))


def plan(count: int, seed: int) -> list[Planned]:
    """The library's files in order; the first `count` of a longer plan (same seed)."""
    rng = random.Random(seed)
    out: list[Planned] = []
    originals: list[int] = []
    while len(out) < count:
        index, roll = len(out), rng.random()
        if originals and roll < SHARES["copy"]:
            out.append(Planned(index, "copy", rng.getrandbits(32), rng.choice(originals)))
        elif originals and roll < SHARES["copy"] + SHARES["resave"]:
            out.append(Planned(index, "resave", rng.getrandbits(32), rng.choice(originals)))
        elif roll < sum(SHARES.values()):
            length, burst_seed = rng.randint(3, 10), rng.getrandbits(32)
            for step in range(min(length, count - index)):
                out.append(Planned(index + step, "frame", burst_seed, index, step))
        else:
            out.append(Planned(index, "original", rng.getrandbits(32)))
            originals.append(index)
    return out


def path_of(root: Path, index: int) -> Path:
    return root / f"f{index // PER_FOLDER:03d}" / f"img{index:06d}.jpg"


def atlas(photos: list[Path], path: Path) -> Path:
    """Every source photo decoded once at ATLAS size into one .npy file the writers map."""
    if path.exists():
        return path
    array = np.lib.format.open_memmap(path.with_suffix(".part.npy"), "w+", np.uint8,
                                      (len(photos), ATLAS[1], ATLAS[0], 3))
    for number, photo in enumerate(photos):
        with Image.open(photo) as image:
            image.draft("RGB", (ATLAS[0] * 2, ATLAS[1] * 2))
            array[number] = np.asarray(image.convert("RGB").resize(ATLAS, Image.Resampling.BOX))
    array.flush()
    del array
    path.with_suffix(".part.npy").rename(path)
    return path


def picture(photos: np.ndarray, seed: int, step: int = 0) -> Image.Image:
    """A 2x2 mosaic of windows of four random photos with its own colours; `step` > 0: the
    same windows moved a few pixels and lit a little differently (the next frame of a burst).
    Windows of one photo overlap often; four at once almost never, so mosaics are different
    pictures to the model (bench_scale.py --check-model measures it)."""
    rng = random.Random(seed)
    moves = random.Random(seed * 31 + step)
    cell = (SIZE[0] // 2, SIZE[1] // 2)
    out = Image.new("RGB", SIZE)
    for place in range(4):
        source = Image.fromarray(photos[rng.randrange(len(photos))])
        cw = int(ATLAS[0] * rng.uniform(*WINDOW))
        ch = int(cw * cell[1] / cell[0])
        x, y = rng.randint(0, ATLAS[0] - cw - 1), rng.randint(0, ATLAS[1] - ch - 1)
        if step:
            x = min(max(0, x + moves.randint(-cw // 30, cw // 30) * step), ATLAS[0] - cw - 1)
            y = min(max(0, y + moves.randint(-ch // 30, ch // 30) * step), ATLAS[1] - ch - 1)
        part = source.resize(cell, Image.Resampling.BILINEAR, box=(x, y, x + cw, y + ch))
        out.paste(part, ((place % 2) * cell[0], (place // 2) * cell[1]))
    colour, light = rng.uniform(0.6, 1.4), rng.uniform(0.75, 1.25)
    light *= moves.uniform(0.95, 1.05) if step else 1.0
    return ImageEnhance.Brightness(ImageEnhance.Color(out).enhance(colour)).enhance(light)


def capture_of(item: Planned) -> tuple[int, datetime]:
    """(camera index, capture instant) of an original or a burst frame. Drawn from the item's
    own seed (a burst's from its first frame's), so it does not depend on the rest of the
    plan; instants advance with the index (minutes to hours apart, like a real library's) and
    a burst's frames are BURST_INTERVAL_S apart: one camera, distinct instants."""
    start = item.of if item.kind == "frame" else item.index
    rng = random.Random(item.seed * 7919 + 1)
    camera = rng.randrange(len(CAMERAS))
    mean_gap = sum(SPACING_S) / 2
    instant = FIRST_INSTANT + timedelta(seconds=start * mean_gap + rng.uniform(0, mean_gap))
    instant = instant.replace(microsecond=rng.randrange(1000) * 1000)
    if item.kind == "frame":
        instant += timedelta(seconds=item.step * rng.uniform(*BURST_INTERVAL_S))
    return camera, instant


def _exif_bytes(item: Planned, size: tuple[int, int]) -> bytes:
    """The camera EXIF of an original or a burst frame (capture_of)."""
    camera, instant = capture_of(item)
    shutter = random.Random(item.seed).choice((1 / 60, 1 / 125, 1 / 250, 1 / 500))
    return camera_exif(CAMERAS[camera], instant, shutter, 0.0, 100, size).tobytes()


def _write_drawn(root: Path, items: list[Planned], photos_file: Path, capture: bool) -> int:
    """Originals and burst frames, drawn from the atlas (mapped, shared by the writers)."""
    todo = [p for p in items if not path_of(root, p.index).exists()]
    photos = np.load(photos_file, mmap_mode="r")
    for item in todo:
        target = path_of(root, item.index)
        target.parent.mkdir(parents=True, exist_ok=True)
        quality = random.Random(item.seed).randint(85, 95)
        extra = {"exif": _exif_bytes(item, SIZE)} if capture else {}
        picture(photos, item.seed, item.step).save(target, quality=quality, **extra)
    return len(todo)


def _write_copies(root: Path, items: list[Planned]) -> int:
    for item in items:
        target = path_of(root, item.index)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.kind == "copy":
            shutil.copyfile(path_of(root, item.of), target)
            continue
        rng = random.Random(item.seed)
        with Image.open(path_of(root, item.of)) as image:
            scale = rng.choice([1.0, 1.0, 0.8, 0.6])
            size = (round(image.width * scale), round(image.height * scale))
            image.convert("RGB").resize(size, Image.Resampling.LANCZOS).save(
                target, quality=rng.randint(55, 80))
    return len(items)


def make(root: Path, count: int, atlas_file: Path, seed: int = SEED,
         photos: list[Path] | None = None, workers: int = 2, capture: bool = True
         ) -> list[Planned]:
    """Write the first `count` files of the plan under `root` (existing files are kept); the
    decoded photos are kept in `atlas_file` for the next library. `capture`: originals and
    burst frames carry camera EXIF (module doc)."""
    planned = plan(count, seed)
    root.mkdir(parents=True, exist_ok=True)
    photos = photos or sources()
    if not photos:
        raise SystemExit(f"no source photos under {DATASETS} (set DEDUP_DATASETS)")
    photos_file = atlas(photos, atlas_file)
    drawn = [p for p in planned if p.kind in ("original", "frame")]
    copies = [p for p in planned if p.kind in ("copy", "resave")]
    drawn_chunks = [drawn[i:i + 2000] for i in range(0, len(drawn), 2000)]
    chunks = [copies[i:i + 2000] for i in range(0, len(copies), 2000)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write_drawn, [root] * len(drawn_chunks), drawn_chunks,
                      [photos_file] * len(drawn_chunks), [capture] * len(drawn_chunks)))
        list(pool.map(_write_copies, [root] * len(chunks), chunks))
    return planned


def truth_pairs(planned: list[Planned]) -> np.ndarray:
    """(index, index) of files made unrelated by construction: two originals' indices."""
    originals = np.array([p.index for p in planned if p.kind == "original"])
    rng = np.random.default_rng(1)
    return rng.choice(originals, size=(min(20000, len(originals) * 4), 2))
