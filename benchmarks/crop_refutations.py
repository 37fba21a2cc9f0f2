"""Refutations between crops of one photo in bench_scan's generated libraries (should be none).

    python benchmarks/crop_refutations.py /tmp/v2/bench/camera --kind camera --count 100
    python benchmarks/crop_refutations.py /tmp/v2/bench/phone --kind phone --count 600

make_library.py renders every file as a random crop (and maybe a mirror) of one real photo, from
a seeded plan; this script redraws that plan (same seed, sources and count as bench_scan), so it
knows each file's source and crop box without a manifest. Every pair of files of one source
shows one photo, so a rule that calls such a pair "another picture" is wrong, except placement
on two crops that share too little to hold one picture (their overlap is printed).

Each same-source pair goes through refute.py's rules as an "edited copy" without capture
metadata, loaded as verification loads it; the displacement rule is switched on (--rule off:
as configured). This checks every same-source pair, a superset of the pairs a scan would
check (only candidates). Prints the verdicts by rule, the time per pair of the displacement
rule where it ran, and each refuted pair with its crops' overlap.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_library import DEFAULT_SOURCES, SIZES, source_photos
from PIL import Image

from dedup_gui.engine.grouping import refute
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.tiers import EDITED

Box = tuple[int, int, int, int]


def plan(folder: Path, count: int, kind: str, sources: list[Path], seed: int
         ) -> dict[Path, tuple[int, Box, bool]]:
    """Each file's (source index, crop box in the source, mirrored), as make_library drew it."""
    rng = random.Random(seed)
    sizes = {}
    drawn = {}
    for index in range(count):
        source_index = rng.randrange(len(sources))
        rng.randint(85, 95)
        sub = random.Random(rng.getrandbits(64))
        if source_index not in sizes:
            with Image.open(sources[source_index]) as image:
                sizes[source_index] = image.size
        drawn[folder / f"{kind}_{index:05d}.jpg"] = (source_index, *_crop(sizes[source_index],
                                                                            SIZES[kind], sub))
    return drawn


def _crop(source: tuple[int, int], size: tuple[int, int], rng: random.Random
          ) -> tuple[Box, bool]:
    """make_library.render's draws, in its order: the crop box in the source's own
    coordinates, and whether the crop is mirrored."""
    w, h = source
    aspect = size[0] / size[1]
    crop_w = int(min(w, int(h * aspect)) * rng.uniform(0.6, 1.0))
    crop_h = int(crop_w / aspect)
    x = rng.randint(0, w - crop_w)
    y = rng.randint(0, h - crop_h)
    mirrored = rng.random() < 0.5  # the box is drawn on the mirrored photo: map it back
    return ((w - x - crop_w if mirrored else x), y, (w - x if mirrored else x + crop_w),
            y + crop_h), mirrored


def overlap(a: Box, b: Box) -> float:
    """Shared area over the smaller crop's area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return max(0, w) * max(0, h) / smaller


def _bucket(share: float) -> str:
    """A crop pair's shared area as a range: under a fifth, two crops show different parts of
    a photo more than one picture (placement.py's rule refutes such pairs too)."""
    return "under 1/5" if share < 0.2 else "1/5 to 1/2" if share < 0.5 else "over 1/2"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--kind", choices=sorted(SIZES), default="camera")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--rule", choices=("on", "off"), default="on")
    args = parser.parse_args()
    refute.DISPLACEMENT_RULE = args.rule == "on" or refute.DISPLACEMENT_RULE
    drawn = plan(args.folder, args.count, args.kind, source_photos(args.sources), args.seed)
    by_source: dict[int, list[Path]] = {}
    for path, (source, _, _) in drawn.items():
        by_source.setdefault(source, []).append(path)
    load, memo = PictureCache(), {}
    counts: Counter[str] = Counter()
    shares: Counter[str] = Counter()  # refutations by rule and by how much the crops share
    timed: list[float] = []
    rule = refute._displacement

    def displacement_timed(*args: object) -> object:
        started = time.perf_counter()
        verdict = rule(*args)
        timed.append(time.perf_counter() - started)
        return verdict

    refute._displacement = displacement_timed
    for paths in by_source.values():
        for a, b in itertools.combinations(paths, 2):
            load(str(a)), load(str(b))  # decoding is not the rules' cost
            verdict = refute.refute(str(a), str(b), EDITED, load, memo)
            counts[verdict.note or "undecided"] += 1
            if verdict.same is False:
                share = overlap(drawn[a][1], drawn[b][1])
                shares[f"{verdict.note}, crops sharing {_bucket(share)} of the smaller"] += 1
                print(f"{verdict.note}: {a.name} {b.name} overlap "
                      f"{overlap(drawn[a][1], drawn[b][1]):.2f} "
                      f"mirrored {drawn[a][2] != drawn[b][2]}", flush=True)
    print(f"{args.folder}: {sum(counts.values())} same-source pairs; verdicts "
          + ", ".join(f"{note}: {n}" for note, n in counts.most_common()))
    for line, n in sorted(shares.items()):
        print(f"  {n} {line}")
    print(f"displacement rule: ran on {len(timed)} pairs (placed ones), "
          f"{1000 * sum(timed) / max(len(timed), 1):.0f} ms a pair (pictures already decoded)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
