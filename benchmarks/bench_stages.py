"""Where a cold scan's time goes, per image and per core: each stage of a worker's work on the
same files, timed in one process (best of several passes, so other load on the machine inflates
it less), next to the bare Pillow decode a scan cannot beat.

    python benchmarks/bench_stages.py [--work /tmp/dedup-bench] [--count 40]

Uses the libraries bench_scan.py generated in --work (camera/, phone/). Two cores run two such
workers, so the ceiling in images/s is 2000 / (sum of a mode's stages in ms).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from dedup_gui.engine.signals import embedding
from dedup_gui.engine.signals.hashing import perceptual_hashes, thumbnail_side
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.signals.views import primary_view

PASSES = 3


def best_ms(func: Callable[[object], object], items: list) -> float:
    """Best-of-PASSES mean milliseconds of func over items."""
    best = float("inf")
    for _ in range(PASSES):
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, (time.perf_counter() - start) / len(items) * 1000)
    return best


def bare_decode(path: Path, mode: str, side: int) -> None:
    with Image.open(path) as image:
        image.draft(mode, (side, side))
        image.load()


def stages(paths: list[Path]) -> dict[str, float]:
    side = embedding.input_side(1)
    decode = embedding.decode_side(1)
    hash_side = thumbnail_side(8)
    grey = [load_image(p, mode="L", min_side=hash_side).image for p in paths]
    rgb = [load_image(p, mode="RGB", min_side=decode).image for p in paths]
    views = [primary_view(image) for image in rgb]
    session = embedding._session(1)
    name = session.get_inputs()[0].name
    batch = [embedding.model_input(v, side) for v in views[: embedding.BATCH]]
    import numpy as np

    stacked = np.stack(batch)
    return {
        "bare decode, grey 1/8 draft": best_ms(lambda p: bare_decode(p, "L", hash_side), paths),
        "load_image grey (hashes only)": best_ms(
            lambda p: load_image(p, mode="L", min_side=hash_side), paths),
        "hashes from grey": best_ms(perceptual_hashes, grey),
        "load_image RGB (with embeddings)": best_ms(
            lambda p: load_image(p, mode="RGB", min_side=decode), paths),
        "hashes from RGB": best_ms(perceptual_hashes, rgb),
        "photo region (views.py)": best_ms(primary_view, rgb),
        f"model input (fit {side}, float)": best_ms(
            lambda v: embedding.model_input(v, side), views),
        "model (int8, 1 thread, batch 16)": best_ms(
            lambda _: session.run(None, {name: stacked}), [0, 1]) / len(batch),
    }


def report(kind: str, paths: list[Path]) -> None:
    ms = stages(paths)
    print(f"\n{kind}: {len(paths)} files, {Image.open(paths[0]).size[0]}×"
          f"{Image.open(paths[0]).size[1]}")
    print("| stage | ms per image (one core) |\n|---|---|")
    for stage, value in ms.items():
        print(f"| {stage} | {value:.2f} |")
    hashes = ms["load_image grey (hashes only)"] + ms["hashes from grey"]
    full = sum(v for k, v in ms.items() if k.startswith(("load_image RGB", "hashes from RGB",
                                                           "photo", "model")))
    print(f"| **hashes only: worker total** | {hashes:.2f} → ceiling {2000 / hashes:.0f} img/s "
          f"on 2 cores (bare decode {2000 / ms['bare decode, grey 1/8 draft']:.0f}) |")
    print(f"| **with embeddings: worker total** | {full:.2f} → ceiling {2000 / full:.0f} img/s "
          f"on 2 cores; model share {ms['model (int8, 1 thread, batch 16)'] / full:.0%} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedup-bench")
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args(argv)
    for kind in ("camera", "phone"):
        paths = sorted((args.work / kind).glob("*.jpg"))[: args.count]
        if not paths:
            print(f"no {kind} library in {args.work}: run bench_scan.py first", file=sys.stderr)
            return 1
        report(kind, paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
