"""Outliers: images unlike anything else in the library, ranked by distance to their k-th
nearest neighbour in embedding space.

Why the k-th and not the first: a screenshot saved twice, or three junk frames from one broken
download, are each other's nearest neighbour; the k-th neighbour still lies far away for them,
while a photo in a real series (a burst, a trip, a pet) has k close neighbours. Distance is
cosine distance, 1 - cosine: 0 is the same picture, ~1 is unrelated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.insights.neighbours import Neighbours

DEFAULT_K = 5


@dataclass(frozen=True, slots=True)
class Outlier:
    """One image's place in the outlier ranking (rank 1 is the most unusual)."""

    rank: int
    path: str
    distance: float  # cosine distance to the k-th nearest neighbour
    nearest: str  # the nearest neighbour's path
    nearest_distance: float


def rank_outliers(paths: Sequence[str], neighbours: Neighbours) -> list[Outlier]:
    """Every image, most unusual first (ties: path order). Empty when no image has a neighbour."""
    if neighbours.k == 0:
        return []
    kth = 1.0 - neighbours.cosines[:, -1].astype(np.float64)
    first = 1.0 - neighbours.cosines[:, 0].astype(np.float64)
    order = sorted(range(len(paths)), key=lambda i: (-round(kth[i], 6), paths[i]))
    return [Outlier(rank, paths[i], _clean(kth[i]), paths[neighbours.indices[i, 0]],
                    _clean(first[i]))
            for rank, i in enumerate(order, start=1)]


def _clean(distance: float) -> float:
    """Rounded to 6 places and never below 0 (float error on identical vectors)."""
    return max(0.0, round(float(distance), 6))
