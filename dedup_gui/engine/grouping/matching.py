"""Candidate pairs of units, searched incrementally: the pairs stored by the last scan among
signals still present are reused, and only new signals are searched against the library.

Units are searched by their distinct signals (signal_rows.py: two units with identical hash
and embedding, say a PNG and a BMP of one picture, are one row). Both searches are exact
(signal_search.py); every pair they find gets its values from one pair function
(search/queries.py) and is kept when its distance is within the hash threshold or its cosine
reaches `min_cosine`. So a rescan from stored pairs and a full search give the same arrays, bit
for bit (tests/engine/grouping/test_matching.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.grouping.fingerprints import legacy_fingerprints, rekeyed
from dedup_gui.engine.grouping.pair_store import PairStore, StoredPairs, stamp
from dedup_gui.engine.grouping.signal_rows import SignalRows, pair_values, signal_rows
from dedup_gui.engine.grouping.signal_search import searched
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report


@dataclass(frozen=True, slots=True)
class UnitPairs:
    """Candidate pairs of units: a < b, Hamming distance (-1: no hash on a side), cosine (NaN:
    no embedding on a side); sorted by (a, b)."""

    a: np.ndarray
    b: np.ndarray
    distance: np.ndarray
    cosine: np.ndarray
    searched: int  # signals searched against the library this time (the rest were stored)


def candidate_pairs(units: Sequence[Unit], hash_threshold: int, hash_size: int,
                    min_cosine: float | None, store: PairStore | None = None,
                    progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None, **settings: object) -> UnitPairs:
    """Every pair of units within `hash_threshold` or with cosine >= `min_cosine` (None: hashes
    only), reusing and updating `store`. `settings`: what else the pairs depend on (the hash
    kind), part of the stored stamp."""
    signals = signal_rows(units, hash_size)
    settings = dict(hash_threshold=hash_threshold, hash_size=hash_size, min_cosine=min_cosine,
                    **settings)
    stored = _stored(store, units, signals, settings)
    reused, known = _reused(stored, signals.keys)
    fresh = np.flatnonzero(~known)
    if not len(fresh):
        signals.joined = None  # nothing searched: the few vectors wanted are stacked alone
    na, nb = searched(signals, fresh, hash_threshold, min_cosine, progress, cancel)
    na, nb = _unstored(signals, reused, na, nb)  # an all-pairs search finds stored ones again
    distance, cosine = pair_values(signals, na, nb)
    keep = _kept(distance, cosine, hash_threshold, min_cosine)
    a, b, distance, cosine = _sorted(signals, reused, (na[keep], nb[keep], distance[keep],
                                                       cosine[keep]))
    if store is not None:
        store.save(stamp(**settings), StoredPairs(signals.keys, a, b, distance, cosine))
    report(progress, STAGE_COMPARE, 1, 1)
    return _per_unit(signals, (a, b, distance, cosine), len(fresh),
                     lambda d, c: _kept(d, c, hash_threshold, min_cosine))


def _stored(store: PairStore | None, units: Sequence[Unit], signals: SignalRows,
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


def _unstored(signals: SignalRows, reused: tuple[np.ndarray, ...], a: np.ndarray,
              b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = max(len(signals.keys), 1)
    fresh = ~np.isin(a * total + b, reused[0] * total + reused[1])
    return a[fresh], b[fresh]


def _sorted(signals: SignalRows, *parts: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Stored and new pairs in one (a, b) order, whatever was stored and what was searched."""
    a, b, distance, cosine = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.argsort(a * max(len(signals.keys), 1) + b, kind="stable")
    return a[order], b[order], distance[order], cosine[order]


def _kept(distance: np.ndarray, cosine: np.ndarray, hash_threshold: int,
          min_cosine: float | None) -> np.ndarray:
    close = (distance >= 0) & (distance <= hash_threshold)
    if min_cosine is None:
        return close
    with np.errstate(invalid="ignore"):
        return close | (cosine >= min_cosine)


def _per_unit(signals: SignalRows, pairs: tuple[np.ndarray, ...], searched: int,
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
        self_d, self_c = pair_values(signals, shared, shared)
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
