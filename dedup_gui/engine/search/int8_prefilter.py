"""All-pairs cosine search through an integer product with a proven error bound: still exact.

Why: the comparing stage of a cold scan is one matrix product of the library with itself
(500k files: 670 s in float32, 13 % of the whole cold scan; the target is 10 %). An integer
product runs 3.5× faster (signals/int8_product.py), but quantised vectors give approximate
cosines. This module keeps the search exact: every pair whose true cosine can reach the
threshold is a candidate, and candidates get their cosine from the float vectors.

The bound: a row a is quantised to s_a·q_a (7 bits, its own scale s_a), a slab of columns b to
s_B·q_b (8 bits, one scale for the slab, so the test on the int32 product is one threshold per
row). With e = v − v̂ the rounding errors,
    a·b − â·b̂ = â·e_b + e_a·b̂ + e_a·e_b,   |…| ≤ ‖â‖·E + ‖e_a‖·N + ‖e_a‖·E = ε_a
where E and N are the slab's largest ‖e_b‖ and ‖b̂‖ (Cauchy–Schwarz; no assumption about the
vectors). So a·b ≥ t implies q_a·q_b ≥ (t − ε_a) / (s_a·s_B): pairs below that integer are
skipped, provably. On a real library's embeddings ε is about 0.04–0.06 and the candidates are
about 1.25× the true pairs at cosine ≥ 0.76 (22,000 real photos' vectors), so checking them
costs nothing next to the product.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report
from dedup_gui.engine.search.similarity import rows_done, sorted_pairs

ROW_ZERO, ROW_LIMIT, COLUMN_LIMIT = 64, 63, 127  # as signals/int8_product.py expects them
BLOCK_ROWS = 2048
# An int32 block is 64 MB (onnxruntime's arena keeps one while its session lives): 16384
# columns (128 MB) were no faster (2048 x 16384 x 320: 0.27-0.30 s; twice 8192: 0.26-0.27 s)
# and sat on a 500k scan's peak memory.
BLOCK_COLS = 8192
SLACK = 1e-4  # float32 rounding of the bound's own terms and of the candidates' cosines
IntProduct = Callable[[np.ndarray, np.ndarray], np.ndarray]


def prefiltered_cosine_pairs(vectors: np.ndarray, min_cosine: float, product: IntProduct, *,
                             progress: ProgressCallback | None = None,
                             cancel: CancelToken | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
    """What similarity.cosine_pairs returns (pairs i < j with cosine ≥ min_cosine, (M, 2) int64
    sorted, and their float32 cosines), found through `product` (module note). Memory: the
    input, one int32 block and a slab of int8 columns."""
    n = len(vectors)
    found_pairs, found_cos = [], []
    for col in range(0, n, BLOCK_COLS):
        if cancel is not None:
            cancel.raise_if_cancelled()
        end = min(n, col + BLOCK_COLS)
        columns = _Columns(vectors[col:end])
        for start in range(0, end, BLOCK_ROWS):
            skip = max(0, start - col)  # columns left of the diagonal: pairs already seen
            i, j = _candidates(vectors[start:start + BLOCK_ROWS], columns, skip, min_cosine,
                               product, diagonal=start >= col)
            i, j = i + start, j + col + skip
            keep = i < j
            i, j = i[keep], j[keep]
            cos = _cosines(vectors, i, j)
            close = cos >= min_cosine
            found_pairs.append(np.stack([i[close], j[close]], axis=1))
            found_cos.append(cos[close])
        report(progress, STAGE_COMPARE, rows_done(end, n), n)
    return sorted_pairs(found_pairs, found_cos)


def prefiltered_query_pairs(vectors: np.ndarray, queries: np.ndarray, min_cosine: float,
                            product: IntProduct, cancel: CancelToken | None = None
                            ) -> tuple[np.ndarray, np.ndarray]:
    """What queries.cosine_query_pairs returns ((query row, library row) of every pair with
    cosine ≥ min_cosine, query row != library row), found through `product`: 1,000 new files
    against 500k is the same product as a block of the all-pairs search."""
    found_q, found_x = [], []
    for col in range(0, len(vectors), BLOCK_COLS):
        columns = _Columns(vectors[col:col + BLOCK_COLS])
        for start in range(0, len(queries), BLOCK_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            asked = queries[start:start + BLOCK_ROWS]
            q, x = _candidates(vectors[asked], columns, 0, min_cosine, product)
            q, x = asked[q], x + col
            close = (q != x) & (_cosines(vectors, q, x) >= min_cosine)
            found_q.append(q[close])
            found_x.append(x[close])
    if not found_q:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(found_q).astype(np.int64), np.concatenate(found_x).astype(np.int64)


class _Columns:
    """A slab of columns quantised with one scale, and the slab's error terms E and N."""

    def __init__(self, vectors: np.ndarray) -> None:
        values = vectors.astype(np.float32)
        self.scale = _scale(float(np.abs(values).max(initial=0.0)), COLUMN_LIMIT)
        quantised = np.clip(np.rint(values / self.scale), -COLUMN_LIMIT, COLUMN_LIMIT)
        rounded = quantised * self.scale
        self.error = float(np.linalg.norm(values - rounded, axis=1).max(initial=0.0))
        self.norm = float(np.linalg.norm(rounded, axis=1).max(initial=0.0))
        self.values = np.ascontiguousarray(quantised.T.astype(np.int8))


def _candidates(vectors: np.ndarray, columns: _Columns, skip: int, min_cosine: float,
                product: IntProduct, diagonal: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) indices, in the block, of every pair that may reach min_cosine; with
    `diagonal`, row k and column k are one vector (pairs with j <= i are left out)."""
    values = vectors.astype(np.float32)
    largest = np.abs(values).max(axis=1)
    scales = np.where(largest > 0, largest / ROW_LIMIT, 1.0)
    quantised = np.clip(np.rint(values / scales[:, None]), -ROW_LIMIT, ROW_LIMIT)
    rounded = quantised * scales[:, None]
    error = np.linalg.norm(values - rounded, axis=1)
    bound = np.linalg.norm(rounded, axis=1) * columns.error + error * columns.norm + \
        error * columns.error
    threshold = np.floor((min_cosine - bound - SLACK) / (scales * columns.scale))
    block = product((quantised + ROW_ZERO).astype(np.uint8),
                    columns.values if skip == 0 else np.ascontiguousarray(columns.values[:, skip:]))
    if diagonal:  # each row meets itself and the rows before it: not pairs, and not scanned
        side = min(block.shape)
        block[:, :side][np.tri(len(block), side, dtype=bool)] = np.iinfo(np.int32).min
    rows = np.flatnonzero(block.max(axis=1) >= threshold)
    i, j = np.nonzero(block[rows] >= threshold[rows, None])
    return rows[i], j


def _scale(largest: float, limit: int) -> float:
    """The quantisation step that maps `largest` to `limit` (1 for an all-zero vector)."""
    return largest / limit if largest > 0 else 1.0


def _cosines(vectors: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """float32 cosines of the candidate pairs, from the vectors themselves."""
    if not len(i):
        return np.empty(0, np.float32)
    return np.einsum("ij,ij->i", vectors[i].astype(np.float32), vectors[j].astype(np.float32))
