"""Queries against a whole library, and the exact value of given pairs.

An incremental rescan searches only the new or changed signals against everything: Q queries
times N rows, not N^2 / 2 pairs. These searches are exact, like the all-pairs ones.

The value of a pair (Hamming distance, cosine) is computed here once per pair, by one function
whatever search found it: a cosine from a blocked matrix product depends on the block's shape in
its last bits, and a pair whose value were computed two ways could fall on either side of a
threshold in a full scan and in a rescan. `pair_cosines` sums each pair's float32 products in
float64, the same way for every pair, so stored pairs and recomputed ones are bit-identical.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.search.similarity import hits

QUERY_CELLS = 1 << 22  # query-by-library cells per block (distances or dot products)
PAIRS_PER_BLOCK = 8192  # pairs per block of row-wise products (bounded memory)
LIBRARY_SLAB = 16384  # library rows converted to float32 at a time for cosine queries (21 MB)


def hash_query_pairs(words: np.ndarray, queries: np.ndarray, threshold: int,
                     cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(query row, library row) index arrays of every pair within `threshold`, query row !=
    library row. `words`: (N, W) uint64; `queries`: row indices into it."""
    columns = np.ascontiguousarray(words.T)

    def near(rows: np.ndarray) -> np.ndarray:
        dist = np.zeros((len(rows), len(words)), np.uint16)
        for word in columns:
            dist += np.bitwise_count(np.bitwise_xor(word[rows, None], word[None, :]))
        return dist <= threshold

    return _query_blocks(queries, len(words), near, cancel)


def cosine_query_pairs(vectors: np.ndarray, queries: np.ndarray, min_cosine: float,
                       cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(query row, library row) index arrays of every pair whose cosine (float32 product) is at
    least `min_cosine`, query row != library row. `vectors`: L2-normalised rows, float32 or
    float16 (a scan's cached values), multiplied in float32 a slab of library rows at a time:
    no float32 copy of the library (1,000 new files against 500k: 1.3 GB less)."""
    asked = np.ascontiguousarray(vectors[queries], dtype=np.float32)
    slab = max(1, min(len(vectors), LIBRARY_SLAB))
    found_q, found_x = [], []
    for col in range(0, len(vectors), slab):
        columns = np.ascontiguousarray(vectors[col:col + slab].T, dtype=np.float32)
        step = max(1, QUERY_CELLS // len(columns[0]))
        for start in range(0, len(queries), step):
            if cancel is not None:
                cancel.raise_if_cancelled()
            q, x = hits(asked[start:start + step] @ columns, min_cosine)
            found_q.append(queries[start:start + step][q])
            found_x.append(x + col)
    return _joined(found_q, found_x)


def _query_blocks(queries: np.ndarray, n: int, near: Callable[[np.ndarray], np.ndarray],
                  cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray]:
    """The queries in blocks of QUERY_CELLS cells against all `n` library rows; `near(rows)`
    is the (rows, n) mask of matches."""
    step = max(1, QUERY_CELLS // max(n, 1))
    found_q, found_x = [], []
    for start in range(0, len(queries), step):
        if cancel is not None:
            cancel.raise_if_cancelled()
        rows = queries[start:start + step]
        q, x = sparse_nonzero(near(rows))
        found_q.append(rows[q])
        found_x.append(x)
    return _joined(found_q, found_x)


def sparse_nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero of a 2-D bool `mask` with few True cells, in its order: the mask read as
    8-byte words first, and only the cells of nonzero words looked at (a block of queries
    against 450k rows is 4M cells with a handful of hits: ~8 -> ~1 ms, 111 blocks for 1,000
    new files)."""
    flat = np.ascontiguousarray(mask, bool).reshape(-1)
    whole = len(flat) - len(flat) % 8
    words = np.flatnonzero(flat[:whole].view(np.uint64))
    cells = (words[:, None] * 8 + np.arange(8)).reshape(-1)
    cells = np.concatenate([cells[flat[cells]], np.flatnonzero(flat[whole:]) + whole])
    return np.divmod(cells, max(mask.shape[1], 1))


def pair_distances(words: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamming distance of rows a[k] and b[k] of (N, W) uint64 `words`, as int64."""
    total = np.zeros(len(a), np.int64)
    for start in range(0, len(a), PAIRS_PER_BLOCK):
        end = start + PAIRS_PER_BLOCK
        xor = np.bitwise_xor(words[a[start:end]], words[b[start:end]])
        total[start:end] = np.bitwise_count(xor).sum(axis=1, dtype=np.int64)
    return total


def pair_cosines(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of rows a[k] and b[k] (float64 sums of float32 products; see the module note)."""
    total = np.empty(len(a), np.float64)
    for start in range(0, len(a), PAIRS_PER_BLOCK):
        end = start + PAIRS_PER_BLOCK
        left = vectors[a[start:end]].astype(np.float64)
        total[start:end] = (left * vectors[b[start:end]]).sum(axis=1)
    return total


def _joined(qs: list[np.ndarray], xs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not qs:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    q, x = np.concatenate(qs).astype(np.int64), np.concatenate(xs).astype(np.int64)
    keep = q != x
    return q[keep], x[keep]
