"""Clusters of similar images: connected components of the similarity graph at a cosine level,
or, stricter, complete or average linkage inside each component.

- "single" (connected components): two images share a cluster when a chain of pairs, each with
  cosine ≥ level, joins them. Finds whole series (a trip, a pet) but can chain far.
- "complete": every two images in a cluster have cosine ≥ level — tight, never chains.
- "average": the mean cosine between merged parts is ≥ level — in between.

Both linkages only ever merge parts joined by at least one pair ≥ level, so each cluster lies
inside one connected component; the components are found first in bounded blocks (never the
whole N × N matrix), then each is clustered on its own (linkage.py). A
component too large for an in-memory distance matrix (> MAX_LINKAGE_SIZE) is first split at a
slightly stricter level, with a warning. Each cluster's representative is its medoid: the member
with the highest total cosine to the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dedup_gui.engine.insights.linkage import cut_linkage
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report

STAGE_CLUSTERS = "finding clusters"
LINKAGES = ("single", "complete", "average")
DEFAULT_LEVEL = 0.7
DEFAULT_LINKAGE = "single"
MAX_LINKAGE_SIZE = 3000  # a 3000² float64 similarity matrix is 72 MB
SPLIT_STEP = 0.02
ROWS, COLS = 512, 8192  # at most 4M candidate pairs per block


@dataclass(frozen=True, slots=True)
class Cluster:
    """Member indices, the representative (medoid) first, then by cosine to it."""

    members: tuple[int, ...]
    cosines: tuple[float, ...]  # each member's cosine to the representative

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def representative(self) -> int:
        return self.members[0]


@dataclass(slots=True)
class Clustering:
    clusters: list[Cluster] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def find_clusters(vectors: np.ndarray, level: float, method: str = DEFAULT_LINKAGE, *,
                  progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> Clustering:
    """Clusters of ≥ 2 images (largest first) among L2-normalised `vectors` at cosine `level`."""
    if method not in LINKAGES:
        raise ValueError(f"unknown linkage {method!r}; choose one of {LINKAGES}")
    if not -1.0 <= level <= 1.0:
        raise ValueError("the cluster level is a cosine between -1 and 1")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    labels = components(vectors, level, progress=progress, cancel=cancel)
    result = Clustering()
    for members in _groups(labels):
        if cancel is not None:
            cancel.raise_if_cancelled()
        parts = [members] if method == "single" else _linked(vectors, members, level, method,
                                                             result.warnings)
        result.clusters += [describe(vectors, part) for part in parts if len(part) > 1]
    result.clusters.sort(key=lambda c: (-c.size, c.representative))
    return result


def components(vectors: np.ndarray, level: float, *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> np.ndarray:
    """A component label per row: rows joined by a chain of pairs with cosine ≥ level share one."""
    n = len(vectors)
    labels = np.arange(n)
    columns = np.ascontiguousarray(vectors.T)
    for start in range(0, n, ROWS):
        if cancel is not None:
            cancel.raise_if_cancelled()
        rows = vectors[start:start + ROWS]
        for col in range(start, n, COLS):
            i, j = np.nonzero(rows @ columns[:, col:col + COLS] >= level)
            i, j = i + start, j + col
            keep = i < j
            _merge(labels, i[keep], j[keep])
        report(progress, STAGE_CLUSTERS, min(n, start + ROWS), n)
    return labels


def _merge(labels: np.ndarray, i: np.ndarray, j: np.ndarray) -> None:
    """Join the components of each pair (i, j); every row keeps its component's smallest label.
    Union-find runs on the distinct label pairs only (few, after the first blocks)."""
    a, b = labels[i], labels[j]
    differ = a != b
    if not differ.any():
        return
    pairs = np.unique(np.stack([np.minimum(a, b)[differ], np.maximum(a, b)[differ]], axis=1),
                      axis=0)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    for x, y in pairs.tolist():
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)  # the root is always the smallest label
    nodes = np.array(sorted(parent))
    roots = np.array([find(x) for x in nodes.tolist()])
    where = np.searchsorted(nodes, labels)
    hit = nodes[np.minimum(where, len(nodes) - 1)] == labels
    labels[hit] = roots[where[hit]]


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    """Row indices per label, for labels held by more than one row."""
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return [part for part in np.split(order, cuts) if len(part) > 1]


def _linked(vectors: np.ndarray, members: np.ndarray, level: float, method: str,
            warnings: list[str], split_level: float | None = None) -> list[np.ndarray]:
    """Complete/average-linkage clusters inside one component; one too large for a distance
    matrix is split into components at stricter and stricter levels first."""
    if len(members) > MAX_LINKAGE_SIZE:
        stricter = round((split_level or level) + SPLIT_STEP, 6)
        if stricter >= 1.0:  # only identical pictures left: every pair is ≥ level
            return [members]
        if split_level is None:
            warnings.append(f"{len(members)} images formed one very large group at cosine "
                            f"{level:.2f}; it was split at stricter levels before linking.")
        sub = _groups(components(vectors[members], stricter))
        grouped = np.concatenate(sub) if sub else np.empty(0, np.int64)
        singles = np.setdiff1d(np.arange(len(members)), grouped)
        return ([p for s in sub
                 for p in _linked(vectors, members[s], level, method, warnings, stricter)]
                + [members[[i]] for i in singles])
    sub = vectors[members]
    return [members[part] for part in cut_linkage(sub @ sub.T, level - 1e-6, method)]


def describe(vectors: np.ndarray, members: np.ndarray) -> Cluster:
    """The cluster with its medoid (highest total cosine to the others; ties: lowest index)."""
    members = np.sort(np.asarray(members))
    sub = vectors[members]
    medoid = int(members[np.argmax(sub @ sub.sum(axis=0))])
    cos = sub @ vectors[medoid]
    cos[members == medoid] = np.inf  # the representative first, even beside exact copies
    order = np.lexsort((members, -cos))
    cos[members == medoid] = 1.0
    return Cluster(tuple(int(m) for m in members[order]),
                   tuple(round(min(1.0, float(c)), 6) for c in cos[order]))
