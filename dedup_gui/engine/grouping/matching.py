"""Candidate pairs of units, searched incrementally: the pairs stored by the last scan among
signals still present are reused, and only new signals are searched against the library.

Units are searched by their distinct signals (two units with identical hash and embedding, say a
PNG and a BMP of one picture, are one search row). Both searches are exact; every pair they find
gets its values from one pair function (search/queries.py) and is kept when its distance is
within the hash threshold or its cosine reaches `min_cosine`. So a rescan from stored pairs and
a full search give the same arrays, bit for bit (tests/engine/grouping/test_matching.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.grouping.fingerprints import (
    fingerprints,
    hash_words,
    legacy_fingerprints,
    rekeyed,
)
from dedup_gui.engine.grouping.pair_store import PairStore, StoredPairs, stamp
from dedup_gui.engine.grouping.unit_vectors import stacked_rows
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report
from dedup_gui.engine.search.hamming import find_pairs
from dedup_gui.engine.search.int8_prefilter import (
    prefiltered_cosine_pairs,
    prefiltered_query_pairs,
)
from dedup_gui.engine.search.queries import (
    cosine_query_pairs,
    hash_query_pairs,
    pair_cosines,
    pair_distances,
)
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


@dataclass(frozen=True, slots=True)
class UnitPairs:
    """Candidate pairs of units: a < b, Hamming distance (-1: no hash on a side), cosine (NaN:
    no embedding on a side); sorted by (a, b)."""

    a: np.ndarray
    b: np.ndarray
    distance: np.ndarray
    cosine: np.ndarray
    searched: int  # signals searched against the library this time (the rest were stored)


@dataclass(slots=True)
class _Signals:
    """The distinct signals of the units: fingerprints (sorted), hash words and vectors."""

    keys: np.ndarray
    unit_of: np.ndarray  # unit -> its row here
    words: np.ndarray | None  # (D, W) uint64; rows without a hash are zeros
    has_hash: np.ndarray
    reps: list[Unit]  # the first unit of each row
    has_vector: np.ndarray
    prints: np.ndarray  # unit -> its fingerprint (keys[unit_of])
    first: np.ndarray  # row -> its first unit
    # unit -> its embedding, zeros without one: the matrix the fingerprints joined, which
    # the search and the pair values read by unit (500k units: no second join, ~1 s, and
    # no copy of it in the signals' order); let go when nothing is searched
    joined: np.ndarray | None
    _vectors: np.ndarray | None = None

    @property
    def vectors(self) -> np.ndarray | None:
        """(D, dim) float16 or float32, rows without an embedding zeros; None: no embeddings.
        Stacked on first use, for the rare search that cannot run on `joined` (a lowest
        cosine of 0 or less) and the few rows a rescan that searches nothing computes."""
        if self._vectors is None and self.has_vector.any():
            self._vectors = self.joined[self.first] if self.joined is not None else \
                stacked_rows(self.reps, self.has_vector)
        return self._vectors

    @property
    def stacked(self) -> bool:
        """Whether `vectors` is made already (then reading it costs nothing)."""
        return self._vectors is not None


def candidate_pairs(units: Sequence[Unit], hash_threshold: int, hash_size: int,
                    min_cosine: float | None, store: PairStore | None = None,
                    progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None, **settings: object) -> UnitPairs:
    """Every pair of units within `hash_threshold` or with cosine >= `min_cosine` (None: hashes
    only), reusing and updating `store`. `settings`: what else the pairs depend on (the hash
    kind), part of the stored stamp."""
    signals = _signals(units, hash_size)
    settings = dict(hash_threshold=hash_threshold, hash_size=hash_size, min_cosine=min_cosine,
                    **settings)
    stored = _stored(store, units, signals, settings)
    reused, known = _reused(stored, signals.keys)
    fresh = np.flatnonzero(~known)
    if not len(fresh):
        signals.joined = None  # nothing searched: the few vectors wanted are stacked alone
    na, nb = _searched(signals, fresh, hash_threshold, min_cosine, progress, cancel)
    na, nb = _unstored(signals, reused, na, nb)  # an all-pairs search finds stored ones again
    distance, cosine = _values(signals, na, nb)
    keep = _kept(distance, cosine, hash_threshold, min_cosine)
    a, b, distance, cosine = _sorted(signals, reused, (na[keep], nb[keep], distance[keep],
                                                       cosine[keep]))
    if store is not None:
        store.save(stamp(**settings), StoredPairs(signals.keys, a, b, distance, cosine))
    report(progress, STAGE_COMPARE, 1, 1)
    return _per_unit(signals, (a, b, distance, cosine), len(fresh),
                     lambda d, c: _kept(d, c, hash_threshold, min_cosine))


def _signals(units: Sequence[Unit], hash_size: int) -> _Signals:
    hashes = hash_words(units, hash_size)
    prints, joined = fingerprints(units, hashes)
    keys, first, unit_of = np.unique(prints, return_index=True, return_inverse=True)
    reps = [units[i] for i in first.tolist()]
    has_hash = np.array([u.hash is not None for u in reps], bool)
    has_vector = np.array([u.embedding is not None for u in reps], bool)
    return _Signals(keys, unit_of.reshape(-1), hashes[first], has_hash, reps, has_vector,
                    prints, first, joined)


def _stored(store: PairStore | None, units: Sequence[Unit], signals: _Signals,
            settings: dict[str, object]) -> StoredPairs:
    """The pairs the last scan stored for these settings; those of PAIR_VERSION 1 taken
    over once through the fingerprints they were keyed by (fingerprints.rekeyed)."""
    if store is None:
        return StoredPairs.empty()
    which, stored = store.load_any([stamp(**settings), stamp(version=1, **settings)])
    if which == 1:
        return rekeyed(stored, legacy_fingerprints(units), signals.prints)
    return stored


def _reused(stored: StoredPairs, keys: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Stored pairs whose signals are both still here (as rows of `keys`, values as stored),
    and which rows of `keys` were searched before (their pairs with every other such row are
    all stored)."""
    known = _members(keys, stored.known)
    if not len(stored.known) or not len(keys):
        return (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64),
                np.empty(0)), known
    place = np.minimum(np.searchsorted(keys, stored.known), len(keys) - 1)
    row = np.where(keys[place] == stored.known, place, -1)
    a, b = row[stored.a], row[stored.b]
    both = (a >= 0) & (b >= 0)
    return (a[both], b[both], stored.distance[both], stored.cosine[both]), known


def _members(keys: np.ndarray, known: np.ndarray) -> np.ndarray:
    """np.isin(keys, known) for sorted `keys`: by one binary search when `known` is sorted and
    unique, as stored (500k fingerprints: ~0.3 s less than isin's sort of both)."""
    if len(known) < 2 or not np.all(known[1:] > known[:-1]):
        return np.isin(keys, known)
    place = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return known[place] == keys


def _unstored(signals: _Signals, reused: tuple[np.ndarray, ...], a: np.ndarray,
              b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = max(len(signals.keys), 1)
    fresh = ~np.isin(a * total + b, reused[0] * total + reused[1])
    return a[fresh], b[fresh]


def _sorted(signals: _Signals, *parts: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Stored and new pairs in one (a, b) order, whatever was stored and what was searched."""
    a, b, distance, cosine = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.argsort(a * max(len(signals.keys), 1) + b, kind="stable")
    return a[order], b[order], distance[order], cosine[order]


def _searched(signals: _Signals, fresh: np.ndarray, hash_threshold: int,
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


def _union(signals: _Signals, a: Sequence[np.ndarray], b: Sequence[np.ndarray]
           ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs found by several searches (or stored and found again) once each, low row first,
    sorted."""
    total = max(len(signals.keys), 1)
    a, b = np.concatenate(a).astype(np.int64), np.concatenate(b).astype(np.int64)
    unique = np.unique(np.minimum(a, b) * total + np.maximum(a, b))
    return unique // total, unique % total


def _hash_search(signals: _Signals, fresh: np.ndarray, threshold: int, everything: bool,
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


def _cosine_search(signals: _Signals, fresh: np.ndarray, min_cosine: float, everything: bool,
                   progress: ProgressCallback | None, cancel: CancelToken | None
                   ) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(signals.has_vector)
    if len(rows) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if signals.joined is not None and min_cosine > 0:
        return _unit_search(signals, fresh, min_cosine, everything, progress, cancel)
    every = len(rows) == len(signals.keys)
    vectors = signals.vectors if every else signals.vectors[rows]
    product = int8_product() if len(vectors) >= PREFILTER_FROM else None
    if everything:
        pairs, _ = cosine_pairs(vectors, min_cosine, progress=progress, cancel=cancel) \
            if product is None else prefiltered_cosine_pairs(vectors, min_cosine, product,
                                                             progress=progress, cancel=cancel)
        return rows[pairs[:, 0]], rows[pairs[:, 1]]
    queries = np.flatnonzero(np.isin(rows, fresh))
    q, x = cosine_query_pairs(vectors, queries, min_cosine, cancel) if product is None else \
        prefiltered_query_pairs(vectors, queries, min_cosine, product, cancel)
    return rows[q], rows[x]


def _unit_search(signals: _Signals, fresh: np.ndarray, min_cosine: float, everything: bool,
                 progress: ProgressCallback | None, cancel: CancelToken | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """_cosine_search on the units' matrix (`joined`), its pairs as signal rows: a unit
    without an embedding is a zero row (cosine 0, below a positive `min_cosine`), and units
    sharing a signal give that signal's pairs again (dropped with those of one row)."""
    matrix = signals.joined
    assert matrix is not None
    product = int8_product() if len(matrix) >= PREFILTER_FROM else None
    if everything:
        pairs, _ = cosine_pairs(matrix, min_cosine, progress=progress, cancel=cancel) \
            if product is None else prefiltered_cosine_pairs(matrix, min_cosine, product,
                                                             progress=progress, cancel=cancel)
        u, v = pairs[:, 0], pairs[:, 1]
    else:
        queries = signals.first[fresh[signals.has_vector[fresh]]]
        u, v = cosine_query_pairs(matrix, queries, min_cosine, cancel) if product is None \
            else prefiltered_query_pairs(matrix, queries, min_cosine, product, cancel)
    a, b = signals.unit_of[u], signals.unit_of[v]
    other = a != b
    return a[other], b[other]


def _values(signals: _Signals, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both values of every pair, by the one pair function (bit-identical however found)."""
    both = signals.has_hash[a] & signals.has_hash[b]
    distance = np.full(len(a), -1, np.int64)
    distance[both] = pair_distances(signals.words, a[both], b[both])
    cosine = np.full(len(a), np.nan)
    if len(a) and signals.has_vector.any():
        both = signals.has_vector[a] & signals.has_vector[b]
        vectors, a, b = _rows_for(signals, a[both], b[both])
        cosine[both] = pair_cosines(vectors, a, b)
    return distance, cosine


def _rows_for(signals: _Signals, a: np.ndarray, b: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vectors pairs (a, b) need, and the pairs as rows of them: the library's stacked
    matrix when it is made or most rows are needed, else only the rows named (a warm rescan
    computes the few signals shared by two files' units: stacking all 500k rows for them was
    ~2.8 s). pair_cosines is row-wise, so the values are the same bit for bit."""
    if signals.joined is not None:  # a search ran on it: the pairs' first units' rows
        return signals.joined, signals.first[a], signals.first[b]
    if signals.stacked or 2 * (len(a) + len(b)) >= len(signals.keys):
        return signals.vectors, a, b
    if not len(a):
        return np.empty((0, 0), np.float32), a, b
    needed, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    return stacked_rows([signals.reps[i] for i in needed.tolist()], signals.has_vector[needed]), \
        inverse[:len(a)], inverse[len(a):]


def _kept(distance: np.ndarray, cosine: np.ndarray, hash_threshold: int,
          min_cosine: float | None) -> np.ndarray:
    close = (distance >= 0) & (distance <= hash_threshold)
    if min_cosine is None:
        return close
    with np.errstate(invalid="ignore"):
        return close | (cosine >= min_cosine)


def _per_unit(signals: _Signals, pairs: tuple[np.ndarray, ...], searched: int,
              kept: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> UnitPairs:
    """Signal pairs as unit pairs: each unit of one signal with each unit of the other, and
    units sharing one signal with each other (their values computed like any pair's, `kept`
    like any pair's)."""
    a, b, distance, cosine = pairs
    order = np.argsort(signals.unit_of, kind="stable")
    starts = np.searchsorted(signals.unit_of[order], np.arange(len(signals.keys) + 1))
    counts = np.diff(starts)
    shared = np.flatnonzero(counts > 1)
    if len(shared):  # rare: identical signals in files with different bytes
        self_d, self_c = _values(signals, shared, shared)
        keep = kept(self_d, self_c)
        a, b = np.concatenate([a, shared[keep]]), np.concatenate([b, shared[keep]])
        distance = np.concatenate([distance, self_d[keep]])
        cosine = np.concatenate([cosine, self_c[keep]])
    single = (counts[a] == 1) & (counts[b] == 1) & (a != b)
    ua, ub = order[starts[a[single]]], order[starts[b[single]]]
    parts = [(ua, ub, distance[single], cosine[single])]
    for k in np.flatnonzero(~single).tolist():  # the rare shared signals, expanded
        left = order[starts[a[k]]:starts[a[k] + 1]]
        right = order[starts[b[k]]:starts[b[k] + 1]]
        x, y = np.meshgrid(left, right, indexing="ij")
        x, y = x.reshape(-1), y.reshape(-1)
        mask = x < y if a[k] == b[k] else np.ones(len(x), bool)
        parts.append((x[mask], y[mask], np.full(mask.sum(), distance[k]),
                      np.full(mask.sum(), cosine[k])))
    ua, ub, d, c = (np.concatenate(p) for p in zip(*parts, strict=True))
    lo, hi = np.minimum(ua, ub).astype(np.int64), np.maximum(ua, ub).astype(np.int64)
    order = np.lexsort((hi, lo))
    return UnitPairs(lo[order], hi[order], d[order].astype(np.int64), c[order], searched)
