"""The pair search of a rescan's fresh signals (grouping/matching.py): all pairs when most
signals are fresh, else the fresh ones as queries against the library; by hash (multi-index
hashing) and by embedding (the integer-product prefilter from PREFILTER_FROM vectors), both
exact. Pairs come back as signal rows (signal_rows.py), each once, low row first."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup_gui.engine.grouping.signal_rows import SignalRows
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.search.hamming import find_pairs
from dedup_gui.engine.search.int8_prefilter import (
    prefiltered_cosine_pairs,
    prefiltered_query_pairs,
)
from dedup_gui.engine.search.queries import cosine_query_pairs, hash_query_pairs
from dedup_gui.engine.search.similarity import cosine_pairs
from dedup_gui.engine.signals.int8_product import int8_product

# float32 block products differ from the exact pair value in their last bits: search this much
# below the threshold, then keep pairs by their exact value.
COSINE_MARGIN = 1e-3
# New signals beyond this share of the library: one all-pairs search is cheaper than queries.
QUERY_SHARE = 0.25
# Vectors from which the all-pairs search runs through the integer-product prefilter (exact too,
# search/int8_prefilter.py): below it the float search takes a few seconds at most.
PREFILTER_FROM = 20_000


def searched(signals: SignalRows, fresh: np.ndarray, hash_threshold: int,
              min_cosine: float | None, progress: ProgressCallback | None,
              cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with a fresh signal: all pairs when most are fresh, else fresh rows as queries."""
    total = len(signals.keys)
    if not len(fresh):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    everything = len(fresh) > QUERY_SHARE * total
    found = [_hash_search(signals, fresh, hash_threshold, everything, progress, cancel)]
    if min_cosine is not None and signals.has_vector.any():
        found.append(_cosine_search(signals, fresh, min_cosine - COSINE_MARGIN, everything,
                                    progress, cancel))
    return _union(signals, [f[0] for f in found], [f[1] for f in found])


def _union(signals: SignalRows, a: Sequence[np.ndarray], b: Sequence[np.ndarray]
           ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs found by several searches (or stored and found again) once each, low row first,
    sorted."""
    total = max(len(signals.keys), 1)
    a, b = np.concatenate(a).astype(np.int64), np.concatenate(b).astype(np.int64)
    unique = np.unique(np.minimum(a, b) * total + np.maximum(a, b))
    return unique // total, unique % total


def _hash_search(signals: SignalRows, fresh: np.ndarray, threshold: int, everything: bool,
                 progress: ProgressCallback | None, cancel: CancelToken | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(signals.has_hash)
    if len(rows) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    words = signals.words[rows]
    if everything:
        found = find_pairs(words, threshold, progress=progress, cancel=cancel)
        return rows[found[:, 0]], rows[found[:, 1]]
    queries = np.flatnonzero(np.isin(rows, fresh))
    q, x = hash_query_pairs(words, queries, threshold, cancel)
    return rows[q], rows[x]


def _cosine_search(signals: SignalRows, fresh: np.ndarray, min_cosine: float, everything: bool,
                   progress: ProgressCallback | None, cancel: CancelToken | None
                   ) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(signals.has_vector)
    if len(rows) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if signals.joined is not None and min_cosine > 0:
        return _unit_search(signals, fresh, min_cosine, everything, progress, cancel)
    every = len(rows) == len(signals.keys)
    vectors = signals.vectors if every else signals.vectors[rows]
    queries = None if everything else np.flatnonzero(np.isin(rows, fresh))
    q, x = _matrix_pairs(vectors, queries, min_cosine, progress, cancel)
    return rows[q], rows[x]


def _unit_search(signals: SignalRows, fresh: np.ndarray, min_cosine: float, everything: bool,
                 progress: ProgressCallback | None, cancel: CancelToken | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """_cosine_search on the units' matrix (`joined`), its pairs as signal rows: a unit
    without an embedding is a zero row (cosine 0, below a positive `min_cosine`), and units
    sharing a signal give that signal's pairs again (dropped with those of one row)."""
    assert signals.joined is not None
    queries = None if everything else signals.first[fresh[signals.has_vector[fresh]]]
    u, v = _matrix_pairs(signals.joined, queries, min_cosine, progress, cancel)
    a, b = signals.unit_of[u], signals.unit_of[v]
    other = a != b
    return a[other], b[other]


def _matrix_pairs(matrix: np.ndarray, queries: np.ndarray | None, min_cosine: float,
                  progress: ProgressCallback | None, cancel: CancelToken | None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of `matrix` rows at `min_cosine` or above: all of them (i < j), or those of
    the `queries` rows with any other row; through the integer-product prefilter from
    PREFILTER_FROM rows (exact too)."""
    product = int8_product() if len(matrix) >= PREFILTER_FROM else None
    if queries is None:
        pairs, _ = cosine_pairs(matrix, min_cosine, progress=progress, cancel=cancel) \
            if product is None else prefiltered_cosine_pairs(matrix, min_cosine, product,
                                                             progress=progress, cancel=cancel)
        return pairs[:, 0], pairs[:, 1]
    return cosine_query_pairs(matrix, queries, min_cosine, cancel) if product is None else \
        prefiltered_query_pairs(matrix, queries, min_cosine, product, cancel)
