"""Every image's k nearest neighbours in embedding space, exactly, in bounded memory.

Vectors are L2-normalised, so cosine similarity is a dot product. Rows are taken in blocks and
multiplied against column blocks; each row keeps only its best k so far, so memory stays at one
block (`ROWS × COLS` floats) plus N × k results whatever N is. An image is never its own
neighbour; an exact copy is (cosine 1), which is what "near something else" should mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.progress import CancelToken, ProgressCallback, report

STAGE_NEIGHBOURS = "finding nearest neighbours"
ROWS = 1024
COLS = 16384  # a 1024 × 16384 float32 block is 64 MB
SMALL_K = 32


@dataclass(frozen=True, slots=True)
class Neighbours:
    """(N, k) indices of each row's nearest rows, closest first, and their cosines."""

    indices: np.ndarray
    cosines: np.ndarray

    @property
    def k(self) -> int:
        return int(self.indices.shape[1])


def nearest_neighbours(vectors: np.ndarray, k: int, *,
                       progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> Neighbours:
    """The k nearest other rows of every row (k is capped at N - 1)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    k = max(0, min(k, n - 1))
    indices = np.zeros((n, k), np.int64)
    cosines = np.zeros((n, k), np.float32)
    if k == 0:
        return Neighbours(indices, cosines)
    columns = np.ascontiguousarray(vectors.T)
    for start in range(0, n, ROWS):
        if cancel is not None:
            cancel.raise_if_cancelled()
        stop = min(n, start + ROWS)
        best_i, best_c = _block_best(vectors[start:stop], columns, start, k)
        indices[start:stop], cosines[start:stop] = best_i, best_c
        report(progress, STAGE_NEIGHBOURS, stop, n)
    return Neighbours(indices, cosines)


def _block_best(rows: np.ndarray, columns: np.ndarray, row_start: int, k: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Best k columns for each of `rows`, merging column block by column block; ties go to the
    lower index, as a stable sort of the whole row would have it."""
    count, n = len(rows), columns.shape[1]
    best_i = np.empty((count, 0), np.int64)
    best_c = np.empty((count, 0), np.float32)
    own = np.arange(count)
    for col in range(0, n, COLS):
        block = rows @ columns[:, col:col + COLS]
        mine = own + row_start - col  # the row's own column, where it lies in this block
        inside = (mine >= 0) & (mine < block.shape[1])
        block[own[inside], mine[inside]] = -np.inf
        index, cosine = _largest(block, min(k, block.shape[1]))
        best_i = np.concatenate([best_i, index + col], axis=1)
        best_c = np.concatenate([best_c, cosine], axis=1)
        order = np.lexsort((best_i, -best_c), axis=1)[:, :k]
        best_i = np.take_along_axis(best_i, order, axis=1)
        best_c = np.take_along_axis(best_c, order, axis=1)
    return best_i, best_c


def _largest(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of each row's k largest entries, largest first, ties by index.
    For small k, k passes of argmax (which takes the first maximum) beat a partition by ~10×;
    `block` is overwritten."""
    rows = np.arange(len(block))
    if k > SMALL_K:
        index = np.argsort(-block, axis=1, kind="stable")[:, :k]
        return index, np.take_along_axis(block, index, axis=1)
    index = np.empty((len(block), k), np.int64)
    value = np.empty((len(block), k), np.float32)
    for slot in range(k):
        index[:, slot] = block.argmax(axis=1)
        value[:, slot] = block[rows, index[:, slot]]
        block[rows, index[:, slot]] = -np.inf
    return index, value
