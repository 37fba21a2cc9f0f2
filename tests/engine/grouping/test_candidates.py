"""Pair values computed in bulk equal the per-pair definition; tiers classified as arrays equal
tiers.classify pair by pair."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping import candidates
from dedup_gui.engine.grouping.candidates import NO_TIER, classify_arrays
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.units import MatchParams, Unit
from dedup_gui.engine.grouping.verify import verify_edges
from dedup_gui.engine.search.queries import PAIRS_PER_BLOCK, pair_cosines, pair_distances
from dedup_gui.engine.signals.hashing import hashes_to_array
from dedup_gui.engine.tiers import EDITED, IDENTICAL, RESAVED, TIERS, Edge, TierThresholds, classify
from dedup_gui.engine.types import Capture, GroupFile


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


def _unit(index: int, capture: Capture) -> Unit:
    return Unit((GroupFile(f"/nowhere/{index:03d}.jpg", 1000 + index, 1, 640, 480, "JPEG",
                           capture),), 0b1010_1100_0011 << index % 40)


def test_verification_asks_only_its_own_units_and_answers_in_the_librarys_numbers(
        monkeypatch) -> None:
    """A part is verified on its own units (renumbered in order): per-unit facts for those
    only, never for the whole library; its outcome equals verifying with the library's
    numbers. Pairs here are decided by capture (one camera: one instant is one exposure, two
    instants two shots; a second camera: two shots), so no picture is read."""
    canon = Capture(10**18, True, "Canon", "EOS R6")
    other_instant, nikon = replace(canon, taken_ns=10**18 + 10**9), replace(canon, make="Nikon")
    units = [_unit(i, canon) for i in range(60)]
    units[17], units[41] = _unit(17, other_instant), _unit(41, nikon)
    edges = {(5, 17): Edge(RESAVED, 2, 0.97), (5, 23): Edge(EDITED, None, 0.8),
             (17, 23): Edge(RESAVED, 3, 0.95), (23, 41): Edge(RESAVED, 1, 0.99),
             (30, 31): Edge(IDENTICAL, 0, 1.0)}
    asked: list[Unit] = []
    monkeypatch.setattr(candidates, "unit_capture", lambda u: asked.append(u) or u.files[0].capture)
    result = candidates._verify(units, edges, MatchParams(), None, PictureCache())
    assert len(asked) == 6  # units 5, 17, 23, 30, 31, 41
    captures = [u.files[0].capture for u in units]
    direct = verify_edges(edges, captures, [u.files[0].path for u in units], PictureCache(),
                          {}, [False] * len(units))
    assert (result.edges, result.refuted, result.shots) == \
        (direct.edges, direct.refuted, direct.shots)
    assert result.refuted == {(5, 17), (17, 23), (23, 41)} and (5, 23) in result.edges
