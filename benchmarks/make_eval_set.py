"""Build a labelled evaluation set: real photos, edited copies made with Pillow only, and honest
distractors, with ground truth alongside. Seeded: the same sources and seed give the same bytes.

Sources: photographs shipped in two Debian packages that neither dev set nor the model's
calibration used (tuxpaint-data's photo templates, opencv-doc's sample photos):

    apt-get download tuxpaint-data opencv-doc
    for d in tuxpaint-data_*.deb opencv-doc_*.deb; do dpkg -x "$d" /tmp/debroot; done
    python benchmarks/make_eval_set.py /tmp/debroot --out /tmp/dedup_eval_set

Writes OUT/images/ (neutral names in phone-like folders), OUT/groups.json (groups of paths
relative to images/, singletons omitted: the same layout as ../shared/datasets/*) and
OUT/manifest.json (every file's role, source and edits with their parameters).

Roles: an *original* with 1–4 edited copies (one group); a *distractor* (kept alone); and
*similar shots*, which are different photographs of one scene — the stereo and viewpoint pairs
opencv ships (aloe, aero, leuven, graffiti, books) and left/right halves of a wide photo that
share no pixels — never labelled duplicates of each other. opencv-doc's videos and its
optical-flow frame pairs (basketball, rubberwhale) are never used: they are kept for an
independent check. `--any` takes every image under the
given folders instead of the list below (no similar-shot pairs), e.g. for other photos;
`--no-scenes` writes the same set without the similar shots:

    python benchmarks/make_eval_set.py /tmp/debroot --out /tmp/dedup_eval_plain --no-scenes
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import shutil
import sys
from pathlib import Path

import PIL
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_transforms import TRANSFORMS, draw_edits

TUX = "usr/share/tuxpaint/templates/"
CV = "usr/share/doc/opencv-doc/examples/"
PHOTOS = [TUX + name + ".jpg" for name in (
    "burnt_bark", "lighthouse", "mossy_bark", "mossy_log", "mudstone", "ocean_splash",
    "ocean_waves", "redwoods_above", "rocks", "sheep", "spiders_web", "sun_behind_clouds",
    "sun_behind_leaves", "trees_above", "trees_at_dusk", "wool_mill_machine")] + [
    CV + "alphamat/input_images/plant.jpg"] + [CV + "data/" + name for name in (
        "apple.jpg", "baboon.jpg", "board.jpg", "box_in_scene.png",
        "building.jpg", "butterfly.jpg", "ela_original.jpg", "fruits.jpg", "home.jpg",
        "licenseplate_motion.jpg", "messi5.jpg", "orange.jpg", "squirrel_cls.jpg", "stuff.jpg")]
SIMILAR_PAIRS = [(CV + "data/" + a, CV + "data/" + b) for a, b in (
    ("aero1.jpg", "aero3.jpg"), ("aloeL.jpg", "aloeR.jpg"), ("leuvenA.jpg", "leuvenB.jpg"),
    ("graf1.png", "graf3.png"), ("left.jpg", "right.jpg"))]
PANNED = [TUX + name + ".jpg" for name in ("cliff", "jellyfish", "corn_maze")]
FOLDERS = {"original": ("DCIM/Camera", "Pictures/2021", "Photos/Family", "DCIM/100ANDRO"),
           "copy": ("Downloads", "WhatsApp/Media/WhatsApp Images", "Pictures/Saved",
                    "Telegram/Telegram Images", "Desktop/edits", "Backup/phone")}
DISTRACTOR_SHARE, COPY_SHARE, PNG_SHARE = 0.25, 0.05, 0.1


def load_sources(root: Path, any_images: bool) -> list[tuple[str, Image.Image, str | None]]:
    """(source name, pixels, similar-shot key) for every photo used, in a fixed order."""
    if any_images:
        paths = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".jpg", ".png"))
        return [(str(p.relative_to(root)), _open(p), None) for p in paths]
    found = [(name, _open(root / name), None) for name in PHOTOS]
    for index, pair in enumerate(SIMILAR_PAIRS):
        found += [(name, _open(root / name), f"pair{index}") for name in pair]
    for name in PANNED:  # two halves that share no pixels: two shots of one scene
        image = _open(root / name)
        half = image.width * 9 // 20
        found.append((name + "#left", image.crop((0, 0, half, image.height)), name))
        found.append((name + "#right", image.crop((image.width - half, 0, image.width,
                                                   image.height)), name))
    return found


def _open(path: Path) -> Image.Image:
    if not path.is_file():
        sys.exit(f"make_eval_set: missing source photo {path} (see the docstring)")
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


class Writer:
    """Saves files under neutral, unique names and records them for the manifest."""

    def __init__(self, images: Path, rng: random.Random) -> None:
        self.images, self.rng, self.records, self.used = images, rng, [], set()
        self.skip = False  # draw names as usual but write nothing

    def name(self, role: str, suffix: str) -> str:
        while True:
            folder = self.rng.choice(FOLDERS["original" if role == "original" else "copy"])
            day = f"{self.rng.randint(2015, 2024)}{self.rng.randint(1, 12):02d}" \
                  f"{self.rng.randint(1, 28):02d}"
            stem = f"IMG_{day}_{self.rng.randint(0, 999999):06d}"
            name = f"{folder}/{stem}{suffix}"
            if name not in self.used:
                self.used.add(name)
                return name

    def save(self, image: Image.Image, role: str, record: dict, quality: int | None) -> str:
        name = self.name(role, ".png" if quality is None else ".jpg")
        buffer = io.BytesIO()
        if quality is None:
            image.save(buffer, "PNG", optimize=False)
        else:
            image.save(buffer, "JPEG", quality=quality)
        return self.write(name, buffer.getvalue(), {**record, "quality": quality})

    def write(self, name: str, data: bytes, record: dict) -> str:
        if self.skip:
            return name
        path = self.images / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.records.append({"path": name, **record, "sha256": hashlib.sha256(data).hexdigest()})
        return name


def make_variant(image: Image.Image, rng: random.Random) -> tuple[Image.Image, list, int | None]:
    """One edited copy: its pixels, the edits with parameters, and its JPEG quality."""
    edits, done = draw_edits(rng), []
    for name in edits:
        if name != "resave":
            image, params = TRANSFORMS[name][0](image, rng)
            done.append({"edit": name, **params})
    if "resave" in edits:
        quality = rng.randint(15, 50)
        done.append({"edit": "resave", "quality": quality})
    elif rng.random() < (0.6 if "screenshot" in edits else PNG_SHARE):
        quality = None
    else:
        quality = rng.randint(70, 95)
    return image, done, quality


def build(root: Path, out: Path, seed: int, any_images: bool, scenes: bool = True) -> dict:
    """Write the set; without `scenes`, the same set less the same-scene shots (every other
    file byte-identical: their random draws are still made)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    writer = Writer(out / "images", rng)
    groups = []
    for source, image, similar in load_sources(root, any_images):
        writer.skip = similar is not None and not scenes
        base = {"source": source, "similar_key": similar}
        if rng.random() < DISTRACTOR_SHARE:
            writer.save(image, "original", {**base, "role": "distractor"}, 92)
            continue
        original = writer.save(image, "original", {**base, "role": "original"}, 92)
        group = [original]
        for _ in range(rng.choices((1, 2, 3, 4), (0.1, 0.25, 0.35, 0.3))[0]):
            pixels, edits, quality = make_variant(image, rng)
            group.append(writer.save(pixels, "copy", {**base, "role": "variant",
                                                      "variant_of": original,
                                                      "edits": edits}, quality))
        if rng.random() < COPY_SHARE:
            data = b"" if writer.skip else (out / "images" / original).read_bytes()
            group.append(writer.write(writer.name("copy", ".jpg"), data,
                                      {**base, "role": "exact copy", "of": original}))
        if not writer.skip:
            groups.append(sorted(group))
    (out / "groups.json").write_text(json.dumps(groups, indent=1) + "\n")
    manifest = {"seed": seed, "pillow": PIL.__version__, "sources": str(root),
                "counts": _counts(writer.records, groups), "files": writer.records}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest["counts"]


def _counts(records: list[dict], groups: list[list[str]]) -> dict:
    roles = [r["role"] for r in records]
    return {"files": len(records), "groups": len(groups),
            "true_pairs": sum(len(g) * (len(g) - 1) // 2 for g in groups),
            **{role: roles.count(role) for role in sorted(set(roles))}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder the packages were extracted into")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20250105)
    parser.add_argument("--any", action="store_true", help="use every .jpg/.png under root")
    parser.add_argument("--no-scenes", action="store_true",
                        help="leave out the same-scene shots (the rest is byte-identical)")
    args = parser.parse_args(argv)
    print(json.dumps(build(args.root, args.out, args.seed, args.any, not args.no_scenes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
