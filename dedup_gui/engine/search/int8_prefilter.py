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

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.parallel import default_workers
from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report
from dedup_gui.engine.search.similarity import sorted_pairs

ROW_ZERO, ROW_LIMIT, COLUMN_LIMIT = 64, 63, 127  # as signals/int8_product.py expects them
# An int32 block is 16 MB (1024 x 4096); up to MOST_AHEAD + 1 are alive (_overlapped), and
# onnxruntime's arena keeps those in flight while its session lives. Measured on 150k vectors,
# two in flight: 1024 x 8192 blocks 20.4 s, peak 407 MB; 1024 x 4096 and 512 x 8192 20.4 s,
# 339 MB (one 2048 x 8192 block at a time: 24.7 s, 334 MB); 2048 x 2048 23.9 s.
BLOCK_ROWS = 1024
BLOCK_COLS = 4096
BAND_ROWS = 64 * BLOCK_ROWS  # rows quantised at once (64k x 320 bytes: 21 MB)
MOST_AHEAD = 4  # products in flight at most, one a core (a many-core machine: ~80 MB)
SLACK = 1e-4  # float32 rounding of the bound's own terms and of the candidates' cosines
IntProduct = Callable[[np.ndarray, np.ndarray], np.ndarray]


def prefiltered_cosine_pairs(vectors: np.ndarray, min_cosine: float, product: IntProduct, *,
                             progress: ProgressCallback | None = None,
                             cancel: CancelToken | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
    """What similarity.cosine_pairs returns (pairs i < j with cosine ≥ min_cosine, (M, 2) int64
    sorted, and their float32 cosines), found through `product` (module note). Memory: the
    input, a few int32 blocks (multiplied while another is scanned) and a slab of int8
    columns."""
    found_pairs, found_cos = [], []
    for block, products in _overlapped(_blocks(vectors, min_cosine, progress, cancel), product):
        i, j = block.hits(products)
        keep = i < j
        i, j = i[keep], j[keep]
        cos = _cosines(vectors, i, j)
        close = cos >= min_cosine
        found_pairs.append(np.stack([i[close], j[close]], axis=1))
        found_cos.append(cos[close])
    return sorted_pairs(found_pairs, found_cos)


def _blocks(vectors: np.ndarray, min_cosine: float, progress: ProgressCallback | None,
            cancel: CancelToken | None) -> Iterator[_Block]:
    """The upper triangle's blocks, a band of rows at a time (quantised once for the band:
    quantising each block's rows again for every slab of columns cost ~20 s of CPU at 500k),
    a slab of columns at a time within it (progress after each slab)."""
    n = len(vectors)
    for band in range(0, n, BAND_ROWS):
        rows = _quantised_rows(vectors[band:band + BAND_ROWS])
        for col in range(band - band % BLOCK_COLS, n, BLOCK_COLS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            end = min(n, col + BLOCK_COLS)
            columns = _Columns(vectors[col:end])
            for start in range(band, min(band + len(rows), end), BLOCK_ROWS):
                skip = max(0, start - col)  # columns left of the diagonal: pairs already seen
                yield _Block(rows.part(start - band, start - band + BLOCK_ROWS), columns, skip,
                             min_cosine, (start, col + skip), diagonal=start >= col)
            report(progress, STAGE_COMPARE, _rows_done(n, band, len(rows), end), n)


def _rows_done(n: int, band: int, height: int, end: int) -> int:
    """Progress in rows of the upper triangle (n²/2 pairs as n rows) once the rows before
    `band` and the band's pairs with columns before `end` are searched."""
    within = min(height, max(0, end - band))
    done = (n * n - (n - band) ** 2) / 2 + within * (end - band) - within * within / 2
    return min(n, int(n * done / max(n * n / 2, 1)))


def _overlapped(blocks: Iterator[_Block], product: IntProduct
                ) -> Iterator[tuple[_Block, np.ndarray]]:
    """Each block with its product, the next blocks' products computed in threads (one a
    core, each product on one thread) while the caller scans this one. Why: scanning a block
    for its hits (its row maxima, then the rows that reach them) and quantising the next rows
    is numpy on one core, ~40% of the search's wall time at 500k (py-spy), while the product
    waited; both release the GIL. The same pairs, 150k vectors: 24.7 -> 17.1 s on 2 cores
    (with the rows quantised once a band)."""
    ahead = min(MOST_AHEAD, max(2, default_workers()))
    with ThreadPoolExecutor(ahead, thread_name_prefix="int8-product") as pool:
        pending: deque[tuple[_Block, Future[np.ndarray]]] = deque()
        for block in blocks:
            pending.append((block, pool.submit(product, block.rows, block.columns)))
            if len(pending) > ahead:
                done, products = pending.popleft()
                yield done, products.result()
        while pending:
            done, products = pending.popleft()
            yield done, products.result()


def prefiltered_query_pairs(vectors: np.ndarray, queries: np.ndarray, min_cosine: float,
                            product: IntProduct, cancel: CancelToken | None = None
                            ) -> tuple[np.ndarray, np.ndarray]:
    """What queries.cosine_query_pairs returns ((query row, library row) of every pair with
    cosine ≥ min_cosine, query row != library row), found through `product`: 1,000 new files
    against 500k is the same product as a block of the all-pairs search."""
    found_q, found_x = [], []
    for block, products in _overlapped(_query_blocks(vectors, queries, min_cosine, cancel),
                                       product):
        q, x = block.hits(products)
        close = (q != x) & (_cosines(vectors, q, x) >= min_cosine)
        found_q.append(q[close])
        found_x.append(x[close])
    if not found_q:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(found_q).astype(np.int64), np.concatenate(found_x).astype(np.int64)


def _query_blocks(vectors: np.ndarray, queries: np.ndarray, min_cosine: float,
                  cancel: CancelToken | None) -> Iterator[_Block]:
    """The queries' rows (quantised once) against each slab of the library's columns."""
    rows = _quantised_rows(vectors[queries])
    for col in range(0, len(vectors), BLOCK_COLS):
        columns = _Columns(vectors[col:col + BLOCK_COLS])
        for start in range(0, len(queries), BLOCK_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield _Block(rows.part(start, start + BLOCK_ROWS), columns, 0, min_cosine, (0, col),
                         row_ids=queries[start:start + BLOCK_ROWS])


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


@dataclass(frozen=True, slots=True)
class _Rows:
    """Rows quantised to 7 bits (uint8 with ROW_ZERO), each with its own scale, and each
    row's error terms."""

    values: np.ndarray
    scales: np.ndarray
    error: np.ndarray
    norm: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    def part(self, start: int, stop: int) -> _Rows:
        """Rows start..stop (views)."""
        return _Rows(*(column[start:stop] for column in (self.values, self.scales, self.error,
                                                          self.norm)))


def _quantised_rows(vectors: np.ndarray) -> _Rows:
    """`vectors` as _Rows, a block at a time (float32 temporaries of one block only)."""
    n = len(vectors)
    rows = _Rows(np.empty(vectors.shape, np.uint8), *(np.empty(n, np.float32) for _ in range(3)))
    for start in range(0, n, BLOCK_ROWS):
        part = slice(start, start + BLOCK_ROWS)
        values = vectors[part].astype(np.float32)
        largest = np.abs(values).max(axis=1, initial=0.0)
        scales = np.where(largest > 0, largest / ROW_LIMIT, 1.0)
        quantised = np.clip(np.rint(values / scales[:, None]), -ROW_LIMIT, ROW_LIMIT)
        rounded = quantised * scales[:, None]
        rows.scales[part], rows.norm[part] = scales, np.linalg.norm(rounded, axis=1)
        rows.error[part] = np.linalg.norm(values - rounded, axis=1)
        rows.values[part] = quantised + ROW_ZERO
    return rows


class _Block:
    """One block's quantised rows and columns, and what its product is scanned against."""

    def __init__(self, rows: _Rows, columns: _Columns, skip: int, min_cosine: float,
                 offset: tuple[int, int] = (0, 0), diagonal: bool = False,
                 row_ids: np.ndarray | None = None) -> None:
        bound = rows.norm * columns.error + rows.error * columns.norm + \
            rows.error * columns.error
        self.threshold = np.floor((min_cosine - bound - SLACK) / (rows.scales * columns.scale))
        self.rows = rows.values
        self.columns = columns.values if skip == 0 else \
            np.ascontiguousarray(columns.values[:, skip:])
        self.offset, self.diagonal, self.row_ids = offset, diagonal, row_ids

    def hits(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) library indices (rows by `row_ids` where given, else offset) of every
        pair in `block` (this block's product) that may reach min_cosine; on the diagonal,
        row k and column k are one vector (pairs with j <= i are left out)."""
        if self.diagonal:  # each row meets itself and the rows before it: not pairs
            side = min(block.shape)
            block[:, :side][np.tri(len(block), side, dtype=bool)] = np.iinfo(np.int32).min
        rows = np.flatnonzero(block.max(axis=1) >= self.threshold)
        i, j = np.nonzero(block[rows] >= self.threshold[rows, None])
        found = rows[i] + self.offset[0] if self.row_ids is None else self.row_ids[rows[i]]
        return found, j + self.offset[1]


def _scale(largest: float, limit: int) -> float:
    """The quantisation step that maps `largest` to `limit` (1 for an all-zero vector)."""
    return largest / limit if largest > 0 else 1.0


def _cosines(vectors: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """float32 cosines of the candidate pairs, from the vectors themselves."""
    if not len(i):
        return np.empty(0, np.float32)
    return np.einsum("ij,ij->i", vectors[i].astype(np.float32), vectors[j].astype(np.float32))
