"""Chunked all-pairs cosine equals a naive loop; every query metric and the vote by hand."""

from __future__ import annotations

import numpy as np
import pytest

from dedup_gui.engine.search import similarity
from dedup_gui.engine.search.similarity import cosine_pairs, distances, rank, vote


def normalised(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("n", [0, 1, 7, 150])
def test_chunked_all_pairs_equals_naive(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 16)
    monkeypatch.setattr(similarity, "BLOCK_COLS", 24)
    rng = np.random.default_rng(n)
    base = rng.normal(size=(max(n, 1), 12))
    vectors = normalised(np.repeat(base, 2, axis=0)[:n] + rng.normal(0, 0.3, (n, 12)))
    pairs, cos = cosine_pairs(vectors, 0.6)
    naive = [(i, j) for i in range(n) for j in range(i + 1, n)
             if float(vectors[i] @ vectors[j]) >= 0.6]
    assert [tuple(p) for p in pairs.tolist()] == naive
    for (i, j), c in zip(pairs.tolist(), cos, strict=True):
        assert c == pytest.approx(vectors[i] @ vectors[j], abs=1e-5)


@pytest.mark.parametrize("n", [1, 40, 150])
def test_float16_vectors_give_the_pairs_of_their_float32_values(
        n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan passes its cached float16 matrix; blocks are converted as they are used, so the
    pairs are those of the same values in float32, found in blocks that cross the diagonal."""
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 16)
    monkeypatch.setattr(similarity, "BLOCK_COLS", 24)
    rng = np.random.default_rng(n)
    base = rng.normal(size=(max(n, 1), 12))
    half = normalised(np.repeat(base, 2, axis=0)[:n] + rng.normal(0, 0.3, (n, 12)))
    half = half.astype(np.float16)
    pairs, cos = cosine_pairs(half, 0.6)
    wide = half.astype(np.float32)
    naive = [(i, j) for i in range(n) for j in range(i + 1, n)
             if float(wide[i] @ wide[j]) >= 0.6]
    assert [tuple(p) for p in pairs.tolist()] == naive
    assert (n < 40) or len(naive) > 10
    for (i, j), c in zip(pairs.tolist(), cos, strict=True):
        assert c == pytest.approx(wide[i] @ wide[j], abs=1e-5)


def test_every_metric_on_a_hand_checked_case() -> None:
    q = np.array([1.0, 0.0])
    lib = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    assert distances(q, lib, "cosine") == pytest.approx([0, 1, 1 - 1 / np.sqrt(2)])
    assert distances(q, lib, "euclidean") == pytest.approx([0, np.sqrt(2), np.sqrt(5)])
    assert distances(q, lib, "manhattan") == pytest.approx([0, 2, 3])
    assert distances(q, lib, "minkowski") == pytest.approx([0, 2 ** (1 / 3), 9 ** (1 / 3)])
    assert distances(q, lib, "sorensen-dice") == pytest.approx([0, 1.0, 3 / 5])
    with pytest.raises(ValueError):
        distances(q, lib, "hamming")


def test_rank_and_vote() -> None:
    q = np.array([1.0, 0.0])
    # 0: identical; 1: same direction, far away (cosine loves it, distances don't); 2: close-ish.
    lib = np.array([[1.0, 0.0], [10.0, 0.0], [0.9, 0.3], [-1.0, 0.0]])
    assert [r.index for r in rank(q, lib, "cosine", k=2)] == [0, 1]
    assert [r.index for r in rank(q, lib, "euclidean", k=2)] == [0, 2]
    voted = vote(q, lib, k=2)
    assert [(r.index, r.score) for r in voted] == [(0, 5.0), (2, 4.0)]
    assert rank(q, lib, "vote", k=2) == voted
