"""find_pairs must be exact: every method returns what a double loop over int.bit_count returns."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.progress import STAGE_COMPARE, Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.search import hamming, mih_blocks
from dedup_gui.engine.search.hamming import METHODS, find_pairs
from dedup_gui.engine.search.mih import search, total_units
from dedup_gui.engine.search.mih_plan import MAX_CHUNK_BITS, even_plan

from .test_bktree import clustered


def oracle(values: list[int], threshold: int) -> np.ndarray:
    rows = [(i, j, (values[i] ^ values[j]).bit_count())
            for i in range(len(values)) for j in range(i + 1, len(values))
            if (values[i] ^ values[j]).bit_count() <= threshold]
    return np.array(rows, np.int64).reshape(-1, 3)


def as_array(values: list[int], width: int) -> np.ndarray:
    """Python ints -> uint64 (N,) for one word, (N, width) otherwise; word k = bits 64k.."""
    words = [[(v >> (64 * k)) & (2**64 - 1) for k in range(width)] for v in values]
    array = np.array(words, dtype=np.uint64).reshape(len(values), width)
    return array[:, 0].copy() if width == 1 else array


def as_ints(array: np.ndarray) -> list[int]:
    array = array.reshape(len(array), -1)
    return [sum(int(w) << (64 * k) for k, w in enumerate(row)) for row in array]


@contextlib.contextmanager
def tiny_blocks() -> Iterator[None]:
    """Shrink the block sizes so small inputs walk every splitting and padding path."""
    names = ("LEFT_MAX", "BLOCK", "EXACT_BANDS", "CALL_CANDIDATES")
    saved = [getattr(mih_blocks, name) for name in names]
    for name, value in zip(names, (3, 48, 2, 8), strict=True):
        setattr(mih_blocks, name, value)
    try:
        yield
    finally:
        for name, value in zip(names, saved, strict=True):
            setattr(mih_blocks, name, value)


def mih_with(words: np.ndarray, threshold: int, k: int) -> np.ndarray:
    """mih.search under an explicit k-chunk plan, as sorted (i, j, d) rows."""
    words = hamming._as_words(words)
    plan = even_plan(len(words), 64 * words.shape[1], threshold, k)
    i, j, d = search(words, threshold, plan)
    return hamming._sorted_rows(i, j, d, len(words))


@settings(max_examples=120, deadline=None)
@given(clustered(), st.integers(0, 70), st.sampled_from(METHODS))
def test_every_method_matches_the_double_loop(values: list[int], threshold: int,
                                              method: str) -> None:
    found = find_pairs(as_array(values, 1), threshold, method=method)
    assert found.dtype == np.int64 and found.shape[1] == 3
    np.testing.assert_array_equal(found, oracle(values, threshold))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4).flatmap(lambda w: st.tuples(st.just(w), clustered(64 * w, 30),
                                                     st.integers(0, 64 * w + 2))),
       st.sampled_from(METHODS))
def test_multi_word_hashes(case: tuple[int, list[int], int], method: str) -> None:
    width, values, threshold = case
    found = find_pairs(as_array(values, width), threshold, method=method)
    np.testing.assert_array_equal(found, oracle(values, threshold))


@settings(max_examples=120, deadline=None)
@given(st.data(), st.integers(1, 2), st.integers(0, 40), st.booleans())
def test_mih_is_exact_under_any_plan(data: st.DataObject, width: int, threshold: int,
                                     tiny: bool) -> None:
    """Every chunking (chunks straddling words, unprobed chunks, big buckets) stays exact."""
    values = data.draw(clustered(64 * width, 40))
    k_min = -(-64 * width // MAX_CHUNK_BITS)
    k = data.draw(st.integers(k_min, 24))
    plan = even_plan(len(values), 64 * width, threshold, k)
    if total_units(plan) > 3000:  # too many masks for a unit test; the planner avoids these
        return
    with tiny_blocks() if tiny else contextlib.nullcontext():
        found = mih_with(as_array(values, width), threshold, k)
    np.testing.assert_array_equal(found, oracle(values, threshold))


@pytest.mark.parametrize("threshold", [0, 3, 10, 24])
@pytest.mark.parametrize("tiny", [False, True])
def test_skewed_data_many_identical_hashes(threshold: int, tiny: bool) -> None:
    rng = np.random.default_rng(threshold)
    scale = 3 if tiny else 1  # tiny blocks cost many numpy calls; a smaller set covers the paths
    base = rng.integers(0, 2**64, 1, dtype=np.uint64)[0]
    near = base ^ (np.uint64(1) << rng.integers(0, 64, 150 // scale).astype(np.uint64))
    values = np.concatenate([np.full(300 // scale, base), near,
                             rng.integers(0, 2**64, 250 // scale, dtype=np.uint64)])
    values[:200 // scale] &= np.uint64(0xFFFF)  # many hashes sharing every high chunk, too
    rng.shuffle(values)
    expected = oracle(as_ints(values), threshold)
    with tiny_blocks() if tiny else contextlib.nullcontext():
        for method in ("brute", "mih", "auto"):
            np.testing.assert_array_equal(find_pairs(values, threshold, method=method), expected)
        for k in (3, 4, 6, 9):
            if total_units(even_plan(len(values), 64, threshold, k)) <= 2000:
                np.testing.assert_array_equal(mih_with(values, threshold, k), expected)


@pytest.mark.parametrize("threshold", [0, 6, 12, 20])
def test_mih_agrees_with_brute_on_thousands(threshold: int) -> None:
    """Realistic bucket sizes: random hashes plus planted clusters of near copies."""
    rng = np.random.default_rng(7)
    values = rng.integers(0, 2**64, 6000, dtype=np.uint64)
    flips = rng.integers(0, 64, (600, 6)).astype(np.uint64)
    values[:600] = values[600:1200] ^ np.bitwise_or.reduce(np.uint64(1) << flips, axis=1)
    brute = find_pairs(values, threshold, method="brute")
    np.testing.assert_array_equal(find_pairs(values, threshold, method="mih"), brute)
    np.testing.assert_array_equal(find_pairs(values, threshold), brute)
    if threshold >= 6:
        assert len(brute) >= 600


@pytest.mark.parametrize("method", METHODS)
def test_edge_cases(method: str) -> None:
    empty = np.empty(0, np.uint64)
    assert find_pairs(empty, 10, method=method).shape == (0, 3)
    assert find_pairs(np.array([7], np.uint64), 64, method=method).shape == (0, 3)
    dups = np.array([5, 5, 5], np.uint64)
    np.testing.assert_array_equal(find_pairs(dups, 0, method=method),
                                  [[0, 1, 0], [0, 2, 0], [1, 2, 0]])
    everything = find_pairs(np.arange(20, dtype=np.uint64) * np.uint64(2**60 - 1), 64,
                            method=method)
    assert len(everything) == 20 * 19 // 2


def test_input_forms() -> None:
    values = np.random.default_rng(3).integers(0, 2**64, 400, dtype=np.uint64)
    expected = find_pairs(values, 20, method="brute")
    np.testing.assert_array_equal(find_pairs(values.reshape(-1, 1), 20), expected)
    doubled = np.repeat(values, 2)[::2]  # a strided view
    np.testing.assert_array_equal(find_pairs(doubled, 20, method="mih"), expected)
    np.testing.assert_array_equal(find_pairs(values, np.int64(20), method="mih"), expected)


def test_bad_arguments() -> None:
    values = np.zeros(3, np.uint64)
    with pytest.raises(ValueError, match="threshold"):
        find_pairs(values, -1)
    with pytest.raises(ValueError, match="method"):
        find_pairs(values, 1, method="fast")
    with pytest.raises(TypeError, match="uint64"):
        find_pairs(values.astype(np.int64), 1)
    with pytest.raises(ValueError, match="shape"):
        find_pairs(np.zeros((2, 2, 2), np.uint64), 1)


def test_auto_picks_brute_for_small_sets_and_mih_for_large() -> None:
    assert hamming._resolve("auto", 500, 1, 10)[0] == "brute"
    assert hamming._resolve("auto", 100_000, 1, 10)[0] == "mih"
    assert hamming._resolve("mih", 100_000, 1, 64)[0] == "brute"  # every pair matches
    assert hamming._resolve("bktree", 10, 1, 64)[0] == "bktree"


def _values(n: int, seed: int = 11) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**64, n, dtype=np.uint64)


@pytest.mark.parametrize("method", METHODS)
def test_progress_reaches_total(method: str) -> None:
    events: list[ProgressEvent] = []
    find_pairs(_values(3000 if method != "bktree" else 300), 8, method=method,
               progress=events.append)
    assert events and all(e.stage == STAGE_COMPARE for e in events)
    assert events[-1].done == events[-1].total > 0
    assert [e.done for e in events] == sorted(e.done for e in events)
    assert len(events) <= 2 * hamming.PROGRESS_STEPS + 2


@pytest.mark.parametrize("method", METHODS)
def test_cancel_before_start(method: str) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        find_pairs(_values(100), 8, method=method, cancel=token)


@pytest.mark.parametrize("method", METHODS)
def test_cancel_from_progress_callback(method: str) -> None:
    token = CancelToken()
    events: list[ProgressEvent] = []

    def cancel_on_second(event: ProgressEvent) -> None:
        events.append(event)
        if len(events) == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        find_pairs(_values(6000 if method != "bktree" else 500), 8, method=method,
                   progress=cancel_on_second, cancel=token)
    assert len(events) == 2


def test_cancel_stops_quickly() -> None:
    """Cancel from another thread mid-search; the engine must stop well within half a second."""
    token = CancelToken()
    cancelled_at: list[float] = []
    started = threading.Event()

    def progress(event: ProgressEvent) -> None:
        if event.done > 0:
            started.set()

    def cancel_soon() -> None:
        started.wait(10)
        cancelled_at.append(time.perf_counter())
        token.cancel()

    canceller = threading.Thread(target=cancel_soon)
    canceller.start()
    with pytest.raises(Cancelled):
        find_pairs(_values(300_000), 10, method="mih", progress=progress, cancel=token)
    stopped = time.perf_counter()
    canceller.join()
    assert stopped - cancelled_at[0] < 0.5
