"""Query-by-library searches return exactly the pairs brute force finds, across blocks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.search import queries


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "QUERY_CELLS", 1000)  # many blocks on a small library


def brute(values: np.ndarray, rows: np.ndarray, keep) -> set[tuple[int, int]]:
    return {(int(q), x) for q in rows for x in range(len(values)) if x != q and keep(q, x)}


def test_hash_queries_equal_brute_force() -> None:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 2**63, size=20, dtype=np.uint64)
    words = np.stack([base[rng.integers(0, 20, 300)] ^ rng.integers(0, 2**63, 300,
                                                                      dtype=np.uint64)
                      & np.uint64(0x0F0F), rng.integers(0, 2**63, 300, dtype=np.uint64)], 1)
    words[:, 1] = words[:, 0]  # 128-bit hashes of two equal words: distances are even
    rows = np.array([3, 50, 51, 299])
    q, x = queries.hash_query_pairs(words, rows, 8)
    found = set(zip(q.tolist(), x.tolist(), strict=True))
    distance = lambda a, b: sum(bin(int(w)).count("1") for w in words[a] ^ words[b])  # noqa: E731
    assert found == brute(words, rows, lambda a, b: distance(a, b) <= 8)
    assert found  # the library has near copies


def test_cosine_queries_equal_brute_force() -> None:
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(10, 16))
    vectors = (centres[rng.integers(0, 10, 300)] + 0.4 * rng.normal(size=(300, 16)))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    rows = np.arange(0, 300, 7)
    q, x = queries.cosine_query_pairs(vectors, rows, 0.8)
    found = set(zip(q.tolist(), x.tolist(), strict=True))
    assert found == brute(vectors, rows, lambda a, b: float(vectors[a] @ vectors[b]) >= 0.8)
    assert found


def test_float16_cosine_queries_equal_brute_force_on_their_float32_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan's float16 library, converted a slab of rows at a time (many slabs here)."""
    monkeypatch.setattr(queries, "LIBRARY_SLAB", 37)
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(10, 16))
    vectors = (centres[rng.integers(0, 10, 300)] + 0.4 * rng.normal(size=(300, 16)))
    half = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float16)
    wide = half.astype(np.float32)
    rows = np.arange(0, 300, 7)
    q, x = queries.cosine_query_pairs(half, rows, 0.8)
    found = set(zip(q.tolist(), x.tolist(), strict=True))
    assert len(found) == len(q)  # each pair once
    assert found == brute(wide, rows, lambda a, b: float(wide[a] @ wide[b]) >= 0.8)
    assert found


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(0, 12), cols=st.integers(0, 70),
       density=st.sampled_from([0, 0.01, 0.3, 1]), seed=st.integers(0, 2**32 - 1))
def test_sparse_nonzero_is_nonzero(rows: int, cols: int, density: float, seed: int) -> None:
    """Same cells in the same order, for any shape (rows not a multiple of 8 bytes, a tail
    after the last whole word, empty) and density."""
    mask = np.random.default_rng(seed).random((rows, cols)) < density
    want, got = np.nonzero(mask), queries.sparse_nonzero(mask)
    for w, g in zip(want, got, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)
