"""The integer-product prefilter finds exactly the float search's pairs; its kernel is exact or
refused; a scan's candidate pairs are the same through it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping import signal_search
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.search import int8_prefilter
from dedup_gui.engine.search.int8_prefilter import prefiltered_cosine_pairs, prefiltered_query_pairs
from dedup_gui.engine.search.queries import cosine_query_pairs
from dedup_gui.engine.search.similarity import cosine_pairs
from dedup_gui.engine.signals import int8_product as kernel
from dedup_gui.engine.signals.int8_product import int8_product
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.test_matching import MATCHES, library, pairs_of

EDGE = 1e-5  # pairs this close to the threshold may fall either way in float32 (both searches)


def planted(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """float16 unit vectors with near copies at every cosine from 0.5 to 1 (so many pairs sit
    close to any threshold), a few zero vectors and one-hot ones (largest rounding steps)."""
    if n == 0:
        return np.empty((0, dim), np.float16)
    base = rng.normal(size=(n // 3 + 1, dim))
    rows = np.repeat(base, 3, axis=0)[:n] + rng.normal(size=(n, dim)) * rng.uniform(
        0, 1.2, (n, 1))
    rows[rng.integers(0, n, max(n // 40, 1))] = 0.0
    spikes = rng.integers(0, n, max(n // 40, 1))
    rows[spikes] = np.eye(dim)[rng.integers(0, dim, len(spikes))]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float16)


def assert_same_pairs(vectors: np.ndarray, threshold: float) -> int:
    product = int8_product()
    assert product is not None
    exact, exact_cos = cosine_pairs(vectors, threshold)
    found, found_cos = prefiltered_cosine_pairs(vectors, threshold, product)
    full = vectors.astype(np.float32)
    edge = {tuple(p) for p in np.argwhere(np.abs(full @ full.T - threshold) < EDGE)}
    one = {tuple(p) for p in exact.tolist()} - edge
    other = {tuple(p) for p in found.tolist()} - edge
    assert one == other
    lookup = dict(zip(map(tuple, exact.tolist()), exact_cos, strict=True))
    for pair, value in zip(map(tuple, found.tolist()), found_cos, strict=True):
        if pair in lookup:
            assert value == pytest.approx(lookup[pair], abs=1e-5)
    return len(one)


def test_the_kernel_is_exact_on_this_machine() -> None:
    product = int8_product()
    assert product is not None
    rng = np.random.default_rng(3)
    rows = rng.integers(1, 128, (300, 320), np.uint8)
    columns = rng.integers(-127, 128, (320, 77), np.int8)
    expected = (rows.astype(np.int64) - kernel.ROW_ZERO) @ columns.astype(np.int64)
    assert np.array_equal(product(rows, columns), expected)


def test_a_wrong_or_failing_kernel_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel that accumulates in 16 bits (clipping) or ignores the rows' zero point gives
    wrong products: the check refuses it, and so does an error, so the float search stays."""

    def clipping(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        exact = (rows.astype(np.int64) - kernel.ROW_ZERO) @ columns.astype(np.int64)
        return np.clip(exact, -32768, 32767).astype(np.int32)

    def no_zero_point(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return (rows.astype(np.int64) @ columns.astype(np.int64)).astype(np.int32)

    assert not kernel._exact(clipping)
    assert not kernel._exact(no_zero_point)
    assert kernel._exact(lambda r, c: (r.astype(np.int64) - kernel.ROW_ZERO) @ c)
    for broken in (lambda product: False, lambda product: 1 / 0):
        monkeypatch.setattr(kernel, "_exact", broken)
        kernel._kernel_exact.cache_clear()
        try:
            assert int8_product() is None
        finally:
            kernel._kernel_exact.cache_clear()


def test_a_products_memory_goes_with_it() -> None:
    """Each search gets its own session: the arena that keeps its largest int32 block is let
    go with the product, not kept for the life of the process."""
    import gc
    import weakref

    product = int8_product()
    assert product is not None
    rows = np.full((64, 320), kernel.ROW_ZERO + 1, np.uint8)
    assert product(rows, np.ones((320, 512), np.int8)).tolist() == [[320] * 512] * 64
    session = weakref.ref(product.session)
    other = int8_product()
    assert other is not None and other.session is not product.session
    del product
    gc.collect()
    assert session() is None


@pytest.mark.parametrize("n", [0, 1, 5, 200])
@pytest.mark.parametrize("band", [32, 64, 80, 10_000])
def test_prefiltered_pairs_equal_the_float_search(n: int, band: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8_prefilter, "BLOCK_ROWS", 32)
    monkeypatch.setattr(int8_prefilter, "BLOCK_COLS", 48)  # slabs cross the diagonal
    monkeypatch.setattr(int8_prefilter, "BAND_ROWS", band)  # bands end inside blocks, slabs
    found = assert_same_pairs(planted(np.random.default_rng(n), n, 64), 0.76)
    assert found > 20 or n < 200


def test_the_searchs_progress_rises_to_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8_prefilter, "BLOCK_ROWS", 16)
    monkeypatch.setattr(int8_prefilter, "BLOCK_COLS", 40)
    monkeypatch.setattr(int8_prefilter, "BAND_ROWS", 48)
    product = int8_product()
    assert product is not None
    seen: list[int] = []
    prefiltered_cosine_pairs(planted(np.random.default_rng(2), 230, 16), 0.8, product,
                             progress=lambda event: seen.append(event.done))
    assert seen == sorted(seen) and seen[-1] == 230 and len(set(seen)) > 5


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 120),
       dim=st.sampled_from([3, 16, 320]), threshold=st.floats(0.3, 0.99))
def test_prefiltered_pairs_equal_the_float_search_for_any_vectors(
        seed: int, n: int, dim: int, threshold: float) -> None:
    assert_same_pairs(planted(np.random.default_rng(seed), n, dim), threshold)


def test_a_scan_finds_the_same_pairs_through_the_prefilter(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    lib = library(11, 300)
    full = pairs_of(lib, MATCHES[0], None)
    calls = []
    real = signal_search.prefiltered_cosine_pairs
    monkeypatch.setattr(signal_search, "PREFILTER_FROM", 0)
    monkeypatch.setattr(signal_search, "prefiltered_cosine_pairs",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    through = pairs_of(lib, MATCHES[0], None)
    assert calls and len(full.a) > 0
    for name in ("a", "b", "distance", "cosine"):
        assert np.array_equal(getattr(through, name), getattr(full, name), equal_nan=True)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 150), asked=st.integers(1, 40),
       threshold=st.floats(0.3, 0.99))
def test_prefiltered_queries_equal_the_float_queries(seed: int, n: int, asked: int,
                                                     threshold: float) -> None:
    rng = np.random.default_rng(seed)
    vectors = planted(rng, n, 32)
    rows = np.sort(rng.choice(n, min(asked, n), replace=False))
    full = vectors.astype(np.float32)
    edge = {tuple(p) for p in np.argwhere(np.abs(full @ full.T - threshold) < EDGE)}
    product = int8_product()
    assert product is not None
    one = set(zip(*(a.tolist() for a in cosine_query_pairs(vectors, rows, threshold)),
                  strict=True))
    other = set(zip(*(a.tolist() for a in prefiltered_query_pairs(vectors, rows, threshold,
                                                                   product)), strict=True))
    assert one - edge == other - edge


def test_a_rescan_finds_the_same_pairs_through_the_prefilter(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New files are searched against the stored library (queries), not all pairs again."""
    cache = Cache(tmp_path / "cache.sqlite3")
    lib = library(5, 200)
    monkeypatch.setattr(signal_search, "PREFILTER_FROM", 0)
    pairs_of(lib, MATCHES[0], PairStore(cache))
    for _ in range(30):
        lib.step("add")
    calls = []
    real = signal_search.prefiltered_query_pairs
    monkeypatch.setattr(signal_search, "prefiltered_query_pairs",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    stored = pairs_of(lib, MATCHES[0], PairStore(cache))
    assert calls
    full = pairs_of(lib, MATCHES[0], None)
    for name in ("a", "b", "distance", "cosine"):
        assert np.array_equal(getattr(stored, name), getattr(full, name), equal_nan=True)
    cache.close()


def test_products_run_while_blocks_are_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next blocks' products are computed while the caller scans one (int8_prefilter
    ._overlapped): several are in flight at once, and the pairs are the same."""
    import threading
    import time

    monkeypatch.setattr(int8_prefilter, "BLOCK_ROWS", 16)
    monkeypatch.setattr(int8_prefilter, "BLOCK_COLS", 64)
    real = int8_product()
    assert real is not None
    lock, running, most = threading.Lock(), [0], [0]

    def slow(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.01)
        try:
            return real(rows, columns)
        finally:
            with lock:
                running[0] -= 1

    vectors = planted(np.random.default_rng(5), 200, 32)
    exact, _ = cosine_pairs(vectors, 0.8)
    found, _ = prefiltered_cosine_pairs(vectors, 0.8, slow)
    assert most[0] >= 2
    assert np.array_equal(found, exact)


def test_a_failing_product_or_a_cancel_stops_the_search(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    from dedup_gui.engine.progress import Cancelled, CancelToken

    monkeypatch.setattr(int8_prefilter, "BLOCK_ROWS", 16)
    monkeypatch.setattr(int8_prefilter, "BLOCK_COLS", 32)
    vectors = planted(np.random.default_rng(6), 120, 16)
    calls = []

    def failing(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        calls.append(1)
        if len(calls) == 3:
            raise MemoryError("no room for the block")
        return np.zeros((len(rows), columns.shape[1]), np.int32)

    with pytest.raises(MemoryError):
        prefiltered_cosine_pairs(vectors, 0.8, failing)
    token = CancelToken()
    product = int8_product()
    assert product is not None

    def cancelling(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        token.cancel()
        return product(rows, columns)

    with pytest.raises(Cancelled):
        prefiltered_cosine_pairs(vectors, 0.8, cancelling, cancel=token)
    with pytest.raises(Cancelled):
        prefiltered_query_pairs(vectors, np.arange(5), 0.8, cancelling, cancel=token)
