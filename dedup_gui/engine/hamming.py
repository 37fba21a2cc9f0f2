"""Exact all-pairs search: every pair of hashes within a Hamming distance, as one int64 array.

Near-duplicate grouping needs *every* pair within the threshold, not approximate neighbours: a
missed pair silently splits a group. So every method here is exact and they all return the same
array; they differ only in speed. Brute force is fastest for small sets (no index to build);
multi-index hashing (mih) wins from a few thousand hashes and does 1M 64-bit hashes in seconds;
the BK-tree is kept as the simple, obviously-correct reference.
"""

from __future__ import annotations

import os

import numpy as np

from dedup_gui.engine.bktree import bktree_pairs
from dedup_gui.engine.mih import search, total_units
from dedup_gui.engine.mih_plan import best_plan, brute_cost
from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report

METHODS = ("auto", "brute", "mih", "bktree")
# Below this many hashes "auto" uses brute force: measured crossover with mih is ~3,000 at
# threshold 10 on 64-bit hashes (benchmarks/bench_grouping.py); brute is simpler below it.
AUTO_BRUTE_MAX = 2048
# Brute force compares a block of rows against all later rows; this many distances per block.
BRUTE_BLOCK = 1 << 20
# Progress callbacks per call, at most (plus the final one): front ends throttle anyway.
PROGRESS_STEPS = 200


def find_pairs(hashes: np.ndarray, threshold: int, *, method: str = "auto",
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> np.ndarray:
    """Rows (i, j, d), i < j, d = Hamming distance <= threshold, sorted by (i, j), no repeats.

    `hashes` is uint64 of shape (N,) or (N, W): W words form one W*64-bit hash. Returns an int64
    array of shape (M, 3).
    """
    words = _as_words(hashes)
    threshold = int(threshold)
    if threshold < 0:
        raise ValueError("threshold must be >= 0")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    n, width = words.shape
    if cancel is not None:
        cancel.raise_if_cancelled()
    if n < 2:
        report(progress, STAGE_COMPARE, 1, 1)
        return np.empty((0, 3), np.int64)
    method = _resolve(method, n, width, threshold)
    if method == "bktree":
        values = [_as_int(row) for row in words]
        rows = bktree_pairs(values, threshold, progress=progress, cancel=cancel)
        return np.array(rows, np.int64).reshape(-1, 3)  # already sorted by (i, j)
    if method == "brute":
        return _sorted_rows(*_brute(words, threshold, progress, cancel), n)
    return _sorted_rows(*_mih(words, threshold, progress, cancel), n)


def _as_words(hashes: np.ndarray) -> np.ndarray:
    """(N, W) uint64 view of the input; rejects anything that is not unsigned 64-bit."""
    array = np.asarray(hashes)
    if array.dtype != np.uint64:
        raise TypeError(f"hashes must be uint64, not {array.dtype}")
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2 or array.shape[1] < 1:
        raise ValueError(f"hashes must have shape (N,) or (N, W), not {array.shape}")
    return np.ascontiguousarray(array)


def _as_int(row: np.ndarray) -> int:
    """One (W,) hash as a Python int, word k holding bits 64k..64k+63 (the layout mih uses)."""
    return sum(int(word) << (64 * k) for k, word in enumerate(row))


def _resolve(method: str, n: int, width: int, threshold: int) -> str:
    """mih needs a threshold below the bit count (else every pair matches: brute is optimal)."""
    if method in ("auto", "mih") and threshold >= 64 * width:
        return "brute"
    if method != "auto":
        return method
    if n <= AUTO_BRUTE_MAX:
        return "brute"
    plan = best_plan(n, 64 * width, threshold)
    return "mih" if plan.cost_ns < brute_cost(n, width) else "brute"


def _workers() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0))))


def _mih(words: np.ndarray, threshold: int, progress: ProgressCallback | None,
         cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    plan = best_plan(len(words), 64 * words.shape[1], threshold)
    total = total_units(plan)
    done, shown = 0, 0
    report(progress, STAGE_COMPARE, 0, total)

    def on_units(units: int) -> None:
        nonlocal done, shown
        done += units
        if done == total or done - shown >= total / PROGRESS_STEPS:
            shown = done
            report(progress, STAGE_COMPARE, done, total)

    return search(words, threshold, plan, workers=_workers(), on_units=on_units, cancel=cancel)


def _brute(words: np.ndarray, threshold: int, progress: ProgressCallback | None,
           cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row i against rows i+1.., in blocks of rows sized so each block is ~BRUTE_BLOCK distances."""
    n = len(words)
    found = []
    report(progress, STAGE_COMPARE, 0, n)
    i0, shown = 0, 0
    while i0 < n - 1:
        if cancel is not None:
            cancel.raise_if_cancelled()
        i1 = min(n - 1, i0 + max(1, BRUTE_BLOCK // (n - i0)))
        dist = _block_distances(words, i0, i1)
        rows, cols = np.nonzero(dist <= threshold)
        cols += i0 + 1
        rows += i0
        keep = cols > rows
        found.append((rows[keep], cols[keep], dist[rows[keep] - i0, cols[keep] - i0 - 1]))
        i0 = i1
        if i0 - shown >= n / PROGRESS_STEPS or i0 >= n - 1:
            shown = i0
            report(progress, STAGE_COMPARE, i0 if i0 < n - 1 else n, n)
    return tuple(np.concatenate(c) for c in zip(*found, strict=True))  # type: ignore[return-value]


def _block_distances(words: np.ndarray, i0: int, i1: int) -> np.ndarray:
    """Distances of rows [i0, i1) to rows i0+1.. as a (i1 - i0, n - i0 - 1) array."""
    dist = np.bitwise_count(words[i0:i1, 0, None] ^ words[None, i0 + 1:, 0])
    if words.shape[1] > 1:
        dist = dist.astype(np.uint16)
        for k in range(1, words.shape[1]):
            dist += np.bitwise_count(words[i0:i1, k, None] ^ words[None, i0 + 1:, k])
    return dist


def _sorted_rows(i: np.ndarray, j: np.ndarray, d: np.ndarray, n: int) -> np.ndarray:
    """(M, 3) int64 rows with i < j, sorted by (i, j); keys i * n + j fit int64 for n < 3e9."""
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    order = np.argsort(lo * n + hi, kind="stable")
    return np.stack([lo[order], hi[order], d.astype(np.int64)[order]], axis=1)
