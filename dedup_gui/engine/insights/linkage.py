"""Complete and average linkage of a few thousand images, cut at a cosine level, in numpy.

The nearest-neighbour-chain algorithm (Murtagh 1983): follow each cluster to its most similar
cluster until two clusters are each other's most similar, merge them, update their similarity
to the rest by Lance–Williams (complete: the minimum; average: the size-weighted mean), carry
on. Both linkages are *reducible* — a merged cluster is never more similar to a third than the
better of its parts was — so the chain finds exactly the merges of textbook agglomerative
clustering, in O(m²) time on one m × m matrix. Reducibility also makes the cut exact and cheap:
a cluster whose best similarity is below the level can never reach it again, so it is final.
(scipy's linkage does the same; it is not used so the packaged app need not ship scipy.cluster.)
"""

from __future__ import annotations

import numpy as np

METHODS = ("complete", "average")


def cut_linkage(similarity: np.ndarray, level: float, method: str) -> list[np.ndarray]:
    """Clusters (arrays of row indices) of agglomerative `method` linkage on a symmetric
    `similarity` matrix, merging only while the linkage similarity is ≥ level."""
    if method not in METHODS:
        raise ValueError(f"unknown linkage {method!r}")
    sim = np.array(similarity, dtype=np.float64)
    m = len(sim)
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(m)
    members: dict[int, list[int]] = {i: [i] for i in range(m)}
    open_ = set(range(m))
    chain: list[int] = []
    while open_:
        if not chain:
            chain.append(min(open_))
        tip = chain[-1]
        best = int(np.argmax(sim[tip]))
        if len(chain) > 1 and sim[tip, chain[-2]] >= sim[tip, best]:
            best = chain[-2]  # ties go back down the chain, so it always ends
        if sim[tip, best] < level:  # nothing left it could join: final
            _close(sim, tip, open_)
            chain.pop()
        elif len(chain) > 1 and best == chain[-2]:
            chain.pop()
            chain.pop()
            _merge(sim, size, members, tip, best, method)
            open_.discard(max(tip, best))
        else:
            chain.append(best)
    return [np.array(sorted(group)) for group in members.values()]


def _close(sim: np.ndarray, row: int, open_: set[int]) -> None:
    sim[row, :] = -np.inf
    sim[:, row] = -np.inf
    open_.discard(row)


def _merge(sim: np.ndarray, size: np.ndarray, members: dict[int, list[int]], a: int, b: int,
           method: str) -> None:
    """Merge b into a (Lance–Williams update of a's row and column); b is gone."""
    keep, gone = min(a, b), max(a, b)
    if method == "complete":
        row = np.minimum(sim[keep], sim[gone])
    else:
        row = (size[keep] * sim[keep] + size[gone] * sim[gone]) / (size[keep] + size[gone])
    sim[keep, :] = row
    sim[:, keep] = row
    sim[keep, keep] = -np.inf
    size[keep] += size[gone]
    members[keep] += members.pop(gone)
    sim[gone, :] = -np.inf
    sim[:, gone] = -np.inf
