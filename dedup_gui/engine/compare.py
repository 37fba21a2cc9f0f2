"""Compare two images, and query a library by example: the engine behind `compare` and `query`
(and the GUI's "Find similar to this photo")."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.search.similarity import Ranked, rank
from dedup_gui.engine.signals.embedding import decode_side, embed, from_blob
from dedup_gui.engine.signals.hashing import content_hash, perceptual_hashes
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.signals.read import read_library
from dedup_gui.engine.signals.views import primary_view
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import (
    DEFAULT_TIER_THRESHOLDS,
    IDENTICAL,
    TIER_LABELS,
    TierThresholds,
    classify,
)
from dedup_gui.engine.types import HASH_KINDS


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every signal's distance between two images and the verdict."""

    identical: bool
    hash_distances: dict[str, int]
    cosine: float
    tier: str | None  # None: not duplicates at the default thresholds

    @property
    def verdict(self) -> str:
        if self.tier is None:
            return "not duplicates"
        return TIER_LABELS[self.tier]


def _signals(path: str) -> tuple[dict[str, int], np.ndarray]:
    loaded = load_image(path, mode="RGB", min_side=decode_side())
    return perceptual_hashes(loaded.image), embed([primary_view(loaded.image)])[0]


def compare_images(a: str, b: str, hash_kind: str = "phash",
                   thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS) -> Comparison:
    """Decode both images once and compare every signal (raises ImageLoadError, OSError)."""
    hashes_a, vector_a = _signals(a)
    hashes_b, vector_b = _signals(b)
    identical = (os.path.getsize(a) == os.path.getsize(b)  # read the bytes only if they can match
                 and content_hash(a) == content_hash(b))
    distances = {kind: (hashes_a[kind] ^ hashes_b[kind]).bit_count() for kind in HASH_KINDS}
    cosine = float(np.dot(vector_a, vector_b))
    edge = classify(distances[hash_kind], cosine, thresholds)
    tier = IDENTICAL if identical else (edge.tier if edge else None)
    return Comparison(identical, distances, cosine, tier)


@dataclass(frozen=True, slots=True)
class Match:
    path: str
    score: float  # the metric's distance, or the number of votes
    rank: int


def query_similar(image: str, roots: Sequence[str], cache: Cache, *, k: int = 5,
                  metric: str = "cosine", workers: int | None = None,
                  progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> list[Match]:
    """The k library images nearest to `image` (embeddings cached like a scan's)."""
    query_vector = _signals(image)[1]
    library = read_library(roots, cache, workers=workers, exact_copies=False,
                           progress=progress, cancel=cancel)
    query_path = str(Path(image).resolve())
    paths = sorted(p for p in library.embeddings if p != query_path)
    if not paths:
        return []
    library = np.stack([from_blob(library.embeddings[p]) for p in paths])
    ranked: list[Ranked] = rank(query_vector, library, metric, k)
    return [Match(paths[r.index], r.score, r.rank) for r in ranked]
