"""Pair values computed in bulk equal the per-pair definition; tiers classified as arrays equal
tiers.classify pair by pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.candidates import NO_TIER, classify_arrays
from dedup_gui.engine.search.queries import PAIRS_PER_BLOCK, pair_cosines, pair_distances
from dedup_gui.engine.signals.hashing import hashes_to_array
from dedup_gui.engine.tiers import TIERS, TierThresholds, classify


def test_bulk_values_equal_the_per_pair_definition() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(400, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    hashes = [int(h) for h in rng.integers(0, 2**63, size=400)]
    words = hashes_to_array(hashes).reshape(-1, 1)
    a, b = rng.integers(0, 400, size=(2, PAIRS_PER_BLOCK + 4000))
    cosines, distances = pair_cosines(vectors, a, b), pair_distances(words, a, b)
    for k in range(len(a)):
        assert abs(cosines[k] - float(np.dot(vectors[a[k]], vectors[b[k]]))) < 1e-6
        assert distances[k] == bin(hashes[a[k]] ^ hashes[b[k]]).count("1")
    # one value per pair whatever else is in the block: the same pairs alone, reversed
    assert np.array_equal(pair_cosines(vectors, b[-5:], a[-5:]), cosines[-5:])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 20),
                          st.one_of(st.none(), st.floats(-1, 1, allow_nan=False))),
                min_size=1, max_size=30),
       st.integers(0, 16), st.floats(0.3, 0.9), st.floats(0.3, 0.95), st.floats(0.3, 0.9))
def test_array_tiers_equal_classify(pairs: list, hash_distance: int, confirm: float,
                                    edited: float, similar: float) -> None:
    thresholds = TierThresholds(hash_distance, confirm, edited, similar)
    distance = np.array([d for d, _ in pairs], np.int64)
    cosine = np.array([np.nan if c is None else c for _, c in pairs])
    tiers = classify_arrays(distance, cosine, thresholds)
    for (d, c), tier in zip(pairs, tiers.tolist(), strict=True):
        edge = classify(None if d < 0 else d, c, thresholds)
        assert tier == (NO_TIER if edge is None else TIERS.index(edge.tier))
