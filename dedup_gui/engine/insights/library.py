"""build_insights: one scan of the folders, then clusters, outliers and quality flags on top.

The library is read once, as a scan reads it (same groups as `dedup-gui scan`, same cache); the
groups and the embeddings' clusters and outliers all come from that one read.
Images are handled in path order, which makes every ranking and cluster reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, Rule
from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.actions.series_shots import series_by_exposure
from dedup_gui.engine.insights.clusters import (
    DEFAULT_LEVEL,
    DEFAULT_LINKAGE,
    LINKAGES,
    Cluster,
    find_clusters,
)
from dedup_gui.engine.insights.neighbours import Neighbours, nearest_neighbours
from dedup_gui.engine.insights.outliers import DEFAULT_K, Outlier, rank_outliers
from dedup_gui.engine.insights.quality import FLAGS, Quality
from dedup_gui.engine.insights.quality_cache import collect_quality
from dedup_gui.engine.pipeline import ScanParams, group_library, read
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.signals.embedding import from_blob
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import FileEntry, ImageSignals, ScanResult


@dataclass(frozen=True, slots=True)
class InsightParams:
    """The scan's parameters plus how to cluster and rank."""

    scan: ScanParams
    level: float = DEFAULT_LEVEL  # cosine at which images are "similar" for clusters
    linkage: str = DEFAULT_LINKAGE
    k: int = DEFAULT_K  # outliers: distance to the k-th nearest neighbour
    quality: bool = True  # measure blur, brightness (decodes each new image once, cached)
    # The keeper proposal the report's reclaimable bytes count (the app passes its own)
    keep_chain: tuple[Rule, ...] = ()  # empty: the default chain
    protected_folders: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.linkage not in LINKAGES:
            raise ValueError(f"unknown linkage {self.linkage!r}; choose one of {LINKAGES}")
        if not 0.0 < self.level <= 1.0:
            raise ValueError("the cluster level must be a cosine above 0 and at most 1")
        if self.k < 1:
            raise ValueError("k must be at least 1")


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """A cluster by path: the representative (medoid) first, each member's cosine to it."""

    number: int
    paths: tuple[str, ...]
    cosines: tuple[float, ...]

    @property
    def size(self) -> int:
        return len(self.paths)

    @property
    def representative(self) -> str:
        return self.paths[0]


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two images that are each other's near neighbours (cosine ≥ the cluster level)."""

    a: str
    b: str
    distance: float  # 1 - cosine

    @property
    def cosine(self) -> float:
        return round(1.0 - self.distance, 6)


@dataclass(slots=True)
class Insights:
    params: InsightParams
    scan: ScanResult
    files: dict[str, FileEntry] = field(default_factory=dict)  # every readable image
    outliers: list[Outlier] = field(default_factory=list)
    clusters: list[ClusterInfo] = field(default_factory=list)
    similar: list[SimilarPair] = field(default_factory=list)
    quality: dict[str, Quality] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Each group's files the default keeper proposal marks Remove (what the app and the JSON
    # would move); empty: unknown, all but the largest file count instead.
    removals: list[frozenset[str]] = field(default_factory=list)
    keeper_reasons: list[str] = field(default_factory=list)  # why each group's keeper won
    origins: dict[str, str] = field(default_factory=dict)  # path -> how the file was made

    def removals_of(self, index: int) -> frozenset[str]:
        """Group `index`'s files marked Remove (export/results.py removals_of, per group)."""
        if self.removals:
            return self.removals[index]
        return self.scan.groups[index].largest_kept()

    def flagged(self, flag: str) -> list[str]:
        """Paths with `flag`, worst first (darkest, brightest, blurriest, smallest)."""
        if flag not in FLAGS:
            raise ValueError(f"unknown flag {flag!r}")
        keys = {"blurry": lambda q: q.sharpness, "dark": lambda q: q.highlights,
                "bright": lambda q: -q.shadows, "tiny": lambda q: q.width * q.height}
        hits = [(path, q) for path, q in self.quality.items() if flag in q.flags]
        return [path for path, _ in sorted(hits, key=lambda item: (keys[flag](item[1]), item[0]))]


def build_insights(params: InsightParams, cache: Cache,
                   progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None) -> Insights:
    """Scan, then everything the report shows; raises Cancelled when cancelled."""
    started = time.perf_counter()
    library = read(params.scan, cache, progress, cancel)
    scan = group_library(library, params.scan, cache, started, progress, cancel)
    readable = {f.path: f for f in library.files
                if isinstance(library.signals.get(f.path), ImageSignals)}
    insights = Insights(params, scan, dict(sorted(readable.items())))
    proposals, origins = proposals_for(scan.groups, cache, params.keep_chain or DEFAULT_CHAIN,
                                       params.protected_folders)
    insights.removals = [frozenset(p.remove) for p in proposals]
    insights.keeper_reasons = [p.reason for p in proposals]
    insights.origins = {path: known.label for path, known in origins.items()}
    insights.scan = replace(scan, series=series_by_exposure(scan.series, scan.groups,
                                                            [p.keep for p in proposals]))
    paths = sorted(p for p in library.embeddings if p in readable)
    if len(paths) > 1:
        vectors = _unit_rows([from_blob(library.embeddings[p]) for p in paths])
        _add_embedding_insights(insights, paths, vectors, progress, cancel)
    if params.quality:
        measured, _ = collect_quality(list(insights.files.values()), cache,
                                      workers=params.scan.workers, progress=progress,
                                      cancel=cancel)
        insights.quality = {p: q for p, q in measured.items() if isinstance(q, Quality)}
    insights.warnings = list(dict.fromkeys([*scan.warnings, *cache.warnings,
                                            *insights.warnings]))
    insights.seconds = time.perf_counter() - started
    return insights


def _unit_rows(rows: Sequence[np.ndarray]) -> np.ndarray:
    """Stacked float32 rows scaled to unit length (float16 storage leaves them off by ~1e-3)."""
    vectors = np.stack(rows).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _add_embedding_insights(insights: Insights, paths: list[str], vectors: np.ndarray,
                            progress: ProgressCallback | None,
                            cancel: CancelToken | None) -> None:
    params = insights.params
    neighbours = nearest_neighbours(vectors, params.k, progress=progress, cancel=cancel)
    insights.outliers = rank_outliers(paths, neighbours)
    insights.similar = similar_pairs(paths, neighbours, params.level)
    clustering = find_clusters(vectors, params.level, params.linkage, progress=progress,
                               cancel=cancel)
    insights.clusters = [_by_path(number, cluster, paths)
                         for number, cluster in enumerate(clustering.clusters, start=1)]
    insights.warnings += clustering.warnings


def _by_path(number: int, cluster: Cluster, paths: list[str]) -> ClusterInfo:
    return ClusterInfo(number, tuple(paths[i] for i in cluster.members), cluster.cosines)


def similar_pairs(paths: list[str], neighbours: Neighbours, level: float) -> list[SimilarPair]:
    """Each image's near neighbours at cosine ≥ level, as unique pairs, closest first (ties in
    path order). `paths` are sorted, so index order is path order."""
    rows, slots = np.nonzero(neighbours.cosines >= level)
    cols = neighbours.indices[rows, slots]
    a, b = np.minimum(rows, cols), np.maximum(rows, cols)
    _, first = np.unique(a * len(paths) + b, return_index=True)
    a, b = a[first], b[first]
    distance = np.maximum(0.0, np.round(1.0 - neighbours.cosines[rows, slots][first]
                                        .astype(np.float64), 6))
    order = np.lexsort((b, a, distance))
    return [SimilarPair(paths[i], paths[j], float(d))
            for i, j, d in zip(a[order].tolist(), b[order].tolist(), distance[order].tolist(),
                               strict=True)]
