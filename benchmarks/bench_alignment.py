"""The compare view's alignment (engine/grouping/alignment.py) on labelled sets: for every
variant and its original, whether a placement was found, how far the variant's corners land
from where a crop or a scale put them, and the time a pair takes (decoding included).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_alignment.py [SET_DIR ...]

A SET_DIR holds images/ and manifest.json (AugLy-style: each variant names its original and its
transforms). Default: ../shared/datasets/photos_augly_dev2. Corner error is in shares of the
original's width, for variants made by one crop or one scale only (their geometry is known).
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

from PIL import Image

from dedup_gui.engine.grouping.alignment import alignment

DEFAULT = Path(__file__).resolve().parents[2] / "shared/datasets/photos_augly_dev2"


def _expected(transform: dict, size: tuple[int, int]) -> tuple[float, ...] | None:
    """Where the variant's corners belong on the original: (x0, y0, x1, y1), if known."""
    w, h = size
    if transform["name"] == "crop":
        p = transform["params"]
        return p["x1"] * w, p["y1"] * h, p["x2"] * w, p["y2"] * h
    if transform["name"] in ("scale", "resize", "encoding_quality"):
        return 0.0, 0.0, float(w), float(h)
    return None


def measure(root: Path) -> None:
    manifest = json.loads((root / "manifest.json").read_text())
    found = collections.Counter()
    total = collections.Counter()
    errors: list[float] = []
    seconds: list[float] = []
    for entry in manifest["files"]:
        if entry.get("role") != "variant":
            continue
        kind = "+".join(t["name"] for t in entry["transforms"]) or "copy"
        a, b = root / "images" / entry["variant_of"], root / "images" / entry["path"]
        started = time.perf_counter()
        placed = alignment(a, b)
        seconds.append(time.perf_counter() - started)
        total[kind] += 1
        found[kind] += placed.aligned
        if len(entry["transforms"]) == 1:
            with Image.open(a) as original, Image.open(b) as variant:
                want = _expected(entry["transforms"][0], original.size)
                corners = (*placed.map(0, 0), *placed.map(*variant.size))
                width = original.width
            if want is not None:
                errors.append(max(abs(g - w) for g, w in zip(corners, want, strict=True)) / width)
    seconds.sort()
    errors.sort()
    print(f"{root.name}: aligned {sum(found.values())}/{sum(total.values())}; "
          f"time a pair median {seconds[len(seconds) // 2]:.2f} s, "
          f"p90 {seconds[int(len(seconds) * 0.9)]:.2f} s")
    if errors:
        print(f"  corner error (crop/scale, {len(errors)} pairs): median "
              f"{errors[len(errors) // 2]:.3f}, max {errors[-1]:.3f} of the width")
    for kind, n in total.most_common():
        if found[kind] < n:
            print(f"  not aligned: {kind} {n - found[kind]}/{n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=[DEFAULT])
    for root in parser.parse_args().sets:
        measure(root)


if __name__ == "__main__":
    main()
