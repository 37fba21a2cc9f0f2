"""Are the generated pictures distinct to the model? Embedding cosines of unrelated pairs in the
scale library (two distinct originals) next to those of the dev sets (two files of different
truth groups), for bench_scale.py --check-model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scale_library import DATASETS, Planned, path_of

PAIRS = 20000
LEVELS = (50, 90, 99, 99.9)


def report(root: Path, cache: Path, planned: list[Planned], dev_cache: Path) -> None:
    vectors = _vectors(root, cache)
    originals = [str(path_of(root, p.index)) for p in planned if p.kind == "original"]
    originals = [p for p in originals if p in vectors]
    _line("scale library (distinct originals)", _cosines(vectors, originals, None))
    for folder in sorted(DATASETS.glob("*/groups.json")):
        images = folder.parent / "images"
        dev = _vectors(images, dev_cache)
        group_of = {}
        for number, group in enumerate(json.loads(folder.read_text())):
            for name in group:
                group_of[str(images / name)] = number
        paths = sorted(dev)
        _line(f"{folder.parent.name} (different groups)", _cosines(dev, paths, group_of))


def _vectors(root: Path, cache: Path) -> dict[str, np.ndarray]:
    from dedup_gui.engine.signals.read import read_library
    from dedup_gui.engine.store.cache import Cache

    return read_library([str(root)], Cache(cache), exact_copies=False).vectors()


def _cosines(vectors: dict[str, np.ndarray], paths: list[str],
             group_of: dict[str, int] | None) -> np.ndarray:
    rng = np.random.default_rng(5)
    a, b = rng.integers(0, len(paths), size=(2, PAIRS))
    keep = a != b
    if group_of is not None:
        ga = np.array([group_of.get(paths[i], -1 - i) for i in a])
        gb = np.array([group_of.get(paths[i], -1 - i) for i in b])
        keep &= ga != gb
    left = np.stack([vectors[paths[i]] for i in a[keep]])
    right = np.stack([vectors[paths[i]] for i in b[keep]])
    return np.einsum("ij,ij->i", left, right)


def _line(name: str, cosines: np.ndarray) -> None:
    levels = "  ".join(f"p{q:g} {np.percentile(cosines, q):.3f}" for q in LEVELS)
    print(f"{name:40s} {len(cosines)} pairs: {levels}  >=0.62 {np.mean(cosines >= 0.62):.4%}"
          f"  >=0.76 {np.mean(cosines >= 0.76):.4%}")
