"""How far re-saves, siblings and originals lie from each other's JPEG lattice
(engine/actions/resave_lattice.py), on the labelled sets' originals.

For each original (up to --per-set of each set, seeded): a camera file (a JPEG original) re-saved
at quality 95/98/100 and 96 without chroma subsampling ("derived from camera"); its picture at
half size saved at quality 75 or 85 (a "source"), then re-saved from that file at 92/95/98
("derived"), saved again from the same picture at 92/95/98 ("sibling": not made from the
source's file), and an original at 92/95/98 against its own coarser re-save at 75/85
("original on its copy"), and two files saved from one coarser file, one of them flipped,
at 92 and 86 from 72, 90 and 75 from 50, 95 and 80 from 60 ("cousins": the finer one's
coefficients lie on every other point of the other's lattice). Prints how many of each kind
read as re-saved, how many could not be measured (too few coefficients, or only a coarser
lattice's: resave_lattice.common_ancestor) and the min / median / max distance (in steps) of
the others; resave_lattice.DERIVED_BELOW should sit between the derived and the rest.

    python benchmarks/resave_lattice_probe.py [--sets DIR ...] [--per-set 15]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dedup_gui.engine.actions.resave_lattice import DERIVED_BELOW, distances

SETS = [Path(__file__).resolve().parents[2] / "shared/datasets" / name
        for name in ("debian_augly_dev", "photos_augly_dev2")]


def originals(folder: Path, count: int) -> list[Path]:
    files = json.loads((folder / "manifest.json").read_text())["files"]
    found = [folder / "images" / f["path"] for f in files if f.get("role") == "original"]
    random.Random(1).shuffle(found)
    return found[:count]


def saved(picture: Image.Image, where: Path, name: str, quality: int, **options) -> str:
    path = where / f"{name}.jpg"
    picture.save(path, "JPEG", quality=quality, **options)
    return str(path)


def measure(path: Path, where: Path, kinds: dict[str, list[float | None]]) -> None:
    def note(kind: str, copy: str, source: str) -> None:
        found = distances(copy, [source])
        kinds[kind].append(found[0] if found else None)

    picture = Image.open(path).convert("RGB")
    if Image.open(path).format == "JPEG":
        for quality, options in ((95, {}), (98, {}), (100, {}), (96, {"subsampling": 0})):
            note("derived from camera", saved(picture, where, f"c{quality}", quality, **options),
                 str(path))
    half = picture.resize((max(16, picture.width // 2), max(16, picture.height // 2)),
                          Image.Resampling.BILINEAR)
    for coarse in (75, 85):
        source = saved(half, where, f"s{coarse}", coarse)
        decoded = Image.open(source).convert("RGB")
        for fine in (92, 95, 98):
            note("derived", saved(decoded, where, f"d{fine}", fine), source)
            note("sibling", saved(half, where, f"b{fine}", fine), source)
            original = saved(half, where, f"o{fine}", fine)
            copy = saved(Image.open(original).convert("RGB"), where, f"r{coarse}", coarse)
            note("original on its copy", original, copy)
    for old, middle, fine in ((72, 86, 92), (50, 75, 90), (60, 80, 95)):
        ancestor = Image.open(saved(half, where, f"a{old}", old)).convert("RGB")
        note("cousins (one ancestor)", saved(ancestor, where, f"f{fine}", fine),
             saved(ancestor.transpose(Image.Transpose.FLIP_LEFT_RIGHT), where, f"m{middle}",
                   middle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", type=Path, default=SETS)
    parser.add_argument("--per-set", type=int, default=15)
    args = parser.parse_args()
    kinds: dict[str, list[float | None]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.sets:
            for path in originals(folder, args.per_set):
                measure(path, Path(tmp), kinds)
    print(f"threshold (resave_lattice.DERIVED_BELOW): {DERIVED_BELOW}")
    for kind, values in kinds.items():
        known = [v for v in values if v is not None and v < 1.0]
        derived = sum(v is not None and v < DERIVED_BELOW for v in values)
        spread = (f"{min(known):.3f} / {statistics.median(known):.3f} / {max(known):.3f}"
                  if known else "-")
        print(f"{kind:22s} {len(values):4d} pairs: read as re-saved {derived:4d}, "
              f"unmeasured {len(values) - len(known):3d}, min / median / max {spread}")

if __name__ == "__main__":
    main()
