"""Exact all-pairs search: every pair of hashes within a Hamming distance, as one int64 array.

Near-duplicate grouping needs *every* pair within the threshold, not approximate neighbours: a
missed pair silently splits a group. So every method here is exact and they all return the same
array; they differ only in speed. Brute force is fastest for small sets (no index to build);
multi-index hashing (mih) wins from ~10,000 64-bit hashes at threshold 10 and does 1M in under
10 s; the BK-tree is kept as the simple, obviously-correct reference (at threshold 10 of 64 bits
its queries visit most of the tree, so it is slower than brute force).
"""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report
from dedup_gui.engine.search.bktree import bktree_pairs
from dedup_gui.engine.search.mih import search, total_units
from dedup_gui.engine.search.mih_plan import Plan, best_plan, brute_cost

METHODS = ("auto", "brute", "mih", "bktree")
# Up to this many hashes "auto" always uses brute force: the measured crossover with mih on
# 64-bit hashes is ~4,000 at threshold 4, ~10,000 at 10, ~20,000 at 16 (and later for wider
# hashes). Above it, auto asks the cost model (mih_plan) which is cheaper.
AUTO_BRUTE_MAX = 3000
# Brute force compares a block of rows against all later rows; this many distances per block.
BRUTE_BLOCK = 1 << 18
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
    method, plan = _resolve(method, n, width, threshold)
    if method == "bktree":
        values = [_as_int(row) for row in words]
        rows = bktree_pairs(values, threshold, progress=progress, cancel=cancel)
        return np.array(rows, np.int64).reshape(-1, 3)  # already sorted by (i, j)
    if method == "brute":
        return _sorted_rows(*_brute(words, threshold, progress, cancel), n)
    plan = plan or best_plan(n, 64 * width, threshold)
    return _sorted_rows(*_mih(words, threshold, plan, progress, cancel), n)


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


def _resolve(method: str, n: int, width: int, threshold: int) -> tuple[str, Plan | None]:
    """The method to run (and the mih plan, if one was made to decide).

    mih needs a threshold below the bit count; at or above it every pair matches, and brute
    force, which builds nothing, is optimal.
    """
    if method in ("auto", "mih") and threshold >= 64 * width:
        return "brute", None
    if method != "auto":
        return method, None
    if n <= AUTO_BRUTE_MAX:
        return "brute", None
    plan = best_plan(n, 64 * width, threshold)
    return ("mih", plan) if plan.cost_ns < brute_cost(n, width) else ("brute", None)


def _mih(words: np.ndarray, threshold: int, plan: Plan, progress: ProgressCallback | None,
         cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """mih.search with progress in mask units, reported at most PROGRESS_STEPS times."""
    total = total_units(plan)
    done, shown = 0, 0
    report(progress, STAGE_COMPARE, 0, total)

    def on_units(units: int) -> None:
        nonlocal done, shown
        done += units
        if done == total or done - shown >= total / PROGRESS_STEPS:
            shown = done
            report(progress, STAGE_COMPARE, done, total)

    return search(words, threshold, plan, on_units=on_units, cancel=cancel)


def _brute(words: np.ndarray, threshold: int, progress: ProgressCallback | None,
           cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows [i0, i1) against rows i0+1.., ~BRUTE_BLOCK distances at a time.

    Each block also computes its small lower triangle (j <= i) and drops it: that keeps every
    array a plain contiguous 2-D slice. Words are stored word-major so numpy's inner loop runs
    along a whole row of columns.
    """
    n = len(words)
    columns = np.ascontiguousarray(words.T)
    size = max(BRUTE_BLOCK, n)
    buf = {"xor": np.empty(size, np.uint64), "bits": np.empty(size, np.uint8),
           "dist": np.empty(size, np.uint16), "ok": np.empty(size, np.bool_)}
    total, done, shown = n * (n - 1) // 2, 0, 0
    found = []
    report(progress, STAGE_COMPARE, 0, total)
    i0 = 0
    while i0 < n - 1:
        if cancel is not None:
            cancel.raise_if_cancelled()
        width = n - i0 - 1
        i1 = min(n - 1, i0 + max(1, BRUTE_BLOCK // width))
        dist = _block_distances(columns, i0, i1, buf)
        hit = np.flatnonzero(np.less_equal(dist, threshold, out=buf["ok"][:dist.size]
                                           .reshape(dist.shape)))
        rows, cols = np.divmod(hit, width)
        keep = cols >= rows  # column c is row i0 + 1 + c: keep it when it comes after row i0 + r
        found.append((np.compress(keep, rows) + i0, np.compress(keep, cols) + i0 + 1,
                      np.compress(keep, dist.reshape(-1)[hit])))
        done += (i1 - i0) * (n - 1) - (i0 + i1 - 1) * (i1 - i0) // 2
        i0 = i1
        if done == total or done - shown >= total / PROGRESS_STEPS:
            shown = done
            report(progress, STAGE_COMPARE, done, total)
    return tuple(np.concatenate(c) for c in zip(*found, strict=True))  # type: ignore[return-value]


def _block_distances(columns: np.ndarray, i0: int, i1: int,
                     buf: dict[str, np.ndarray]) -> np.ndarray:
    """(i1 - i0, n - i0 - 1) distances of rows [i0, i1) to rows i0+1.., from (W, N) words."""
    shape = (i1 - i0, columns.shape[1] - i0 - 1)
    count = shape[0] * shape[1]
    dist = None
    for word in columns:
        xor = np.bitwise_xor(word[i0:i1, None], word[None, i0 + 1:],
                             out=buf["xor"][:count].reshape(shape))
        bits = np.bitwise_count(xor, out=buf["bits"][:count].reshape(shape))
        if len(columns) == 1:
            return bits
        if dist is None:
            dist = buf["dist"][:count].reshape(shape)
            np.copyto(dist, bits)
        else:
            np.add(dist, bits, out=dist)
    assert dist is not None
    return dist


def _sorted_rows(i: np.ndarray, j: np.ndarray, d: np.ndarray, n: int) -> np.ndarray:
    """(M, 3) int64 rows with i < j, sorted by (i, j); keys i * n + j fit int64 for n < 3e9."""
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    order = np.argsort(lo * n + hi, kind="stable")
    return np.stack([lo[order], hi[order], d.astype(np.int64)[order]], axis=1)
