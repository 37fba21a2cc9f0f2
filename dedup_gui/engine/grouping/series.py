"""Similar-shot series: pictures that looked like duplicates but verification showed to be other
exposures of one scene (a burst, a second try, a tripod series), each with a suggested best shot.

A series is a connected set of "another shot" pairs (single linkage: frames of a burst chain
naturally, frame 1 ~ frame 2 ~ frame 3). They are never duplicates, so nothing is proposed for
the Trash unless a person applies "keep the best of each series".

The best shot, from the picture verification already decoded (short side SIDE px, so the numbers
mean the same for every file size):
- sharpness: variance of the 4-neighbour Laplacian (as insights/quality.py), relative to the
  sharpest shot of the series: motion blur and missed focus are what differ most in a burst;
- exposure: the share of clipped pixels (grey ≤ 3 or ≥ 252), lost detail that no edit recovers;
- resolution: more pixels, a small bonus (a burst rarely differs in size).
score = relative sharpness − 2 × clipped share + 0.1 × relative pixel count; ties by path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from PIL import Image

from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.grouping.verify import Loader
from dedup_gui.engine.tiers import Edge
from dedup_gui.engine.types import GroupFile, Pair, Series

SIDE = 256
CLIP_LOW, CLIP_HIGH = 3, 252


def find_series(units: Sequence[Unit], shots: Mapping[tuple[int, int], Edge],
                hash_kind: str, load: Loader) -> tuple[Series, ...]:
    """The series formed by the "another shot" pairs, sorted by their first path."""
    series = []
    for members in _components(len(units), shots):
        files = tuple(sorted((f for i in members for f in units[i].files), key=lambda f: f.path))
        pairs = tuple(Pair(units[i].files[0].path, units[j].files[0].path,
                           edge.reason(hash_kind), edge.hash_distance or -1, edge.tier,
                           edge.cosine)
                      for (i, j), edge in sorted(shots.items()) if i in members)
        best, reason = best_shot([units[i].files[0] for i in sorted(members)], load)
        series.append(Series(files, pairs, best, reason))
    return tuple(sorted(series, key=lambda s: s.files[0].path))


def _components(count: int, pairs: Mapping[tuple[int, int], Edge]) -> list[set[int]]:
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    found: dict[int, set[int]] = {}
    for i, j in pairs:
        found.setdefault(root(i), set()).update((i, j))
    return list(found.values())


def best_shot(files: Sequence[GroupFile], load: Loader) -> tuple[str, str]:
    """The suggested shot to keep and why (module docstring)."""
    measured = [(f, _measure(load(f.path))) for f in files]
    readable = [(f, m) for f, m in measured if m is not None]
    if not readable:
        return min(f.path for f in files), "none could be read"
    sharpest = max(m[0] for _, m in readable) or 1.0
    largest = max(f.width * f.height for f, _ in readable) or 1

    def score(item: tuple[GroupFile, tuple[float, float]]) -> tuple[float, str]:
        file, (sharpness, clipped) = item
        value = sharpness / sharpest - 2 * clipped + 0.1 * file.width * file.height / largest
        return value, _reverse(file.path)

    best, (sharpness, clipped) = max(readable, key=score)
    return best.path, (f"sharpest of {len(files)}" if sharpness == sharpest else "best balance") \
        + f", {clipped:.0%} clipped"


def _reverse(path: str) -> str:
    """Sorts paths in reverse, so max() breaks ties by the first path."""
    return "".join(chr(0x10FFFF - ord(c)) for c in path)


def _measure(image: Image.Image | None) -> tuple[float, float] | None:
    """(Laplacian variance, clipped share) at short side SIDE, or None if unreadable."""
    if image is None:
        return None
    grey = image.convert("L")
    short = min(grey.size)
    if short > SIDE:
        k = SIDE / short
        grey = grey.resize((max(1, round(grey.width * k)), max(1, round(grey.height * k))),
                           Image.Resampling.BOX)
    pixels = np.asarray(grey, dtype=np.float32)
    if min(pixels.shape) < 3:
        return 0.0, 1.0
    lap = (pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
           - 4.0 * pixels[1:-1, 1:-1])
    clipped = float(((pixels <= CLIP_LOW) | (pixels >= CLIP_HIGH)).mean())
    return float(lap.var()), clipped
