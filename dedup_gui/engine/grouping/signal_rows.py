"""The distinct signals of a library's units as rows: what the pair search and the stored
pairs work on (grouping/matching.py). Units are searched by their distinct signals (two units
with identical hash and embedding, say a PNG and a BMP of one picture, are one row), named by
their fingerprints (fingerprints.py); every pair's values come from one pair function
(search/queries.py), so they are the same bit for bit however the pair was found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.grouping.fingerprints import fingerprints, hash_words
from dedup_gui.engine.grouping.unit_vectors import stacked_rows
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.search.queries import pair_cosines, pair_distances


@dataclass(slots=True)
class SignalRows:
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


def signal_rows(units: Sequence[Unit], hash_size: int) -> SignalRows:
    hashes = hash_words(units, hash_size)
    prints, joined = fingerprints(units, hashes)
    keys, first, unit_of = np.unique(prints, return_index=True, return_inverse=True)
    reps = [units[i] for i in first.tolist()]
    has_hash = np.array([u.hash is not None for u in reps], bool)
    has_vector = np.array([u.embedding is not None for u in reps], bool)
    return SignalRows(keys, unit_of.reshape(-1), hashes[first], has_hash, reps, has_vector,
                    prints, first, joined)


def pair_values(signals: SignalRows, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _rows_for(signals: SignalRows, a: np.ndarray, b: np.ndarray
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
