"""The embeddings of units as one matrix: the search's rows, and the bytes the stored pairs'
fingerprints hash. A scan's 500k embeddings are float16 views of cached bytes; joining their
bytes is one copy, where np.stack made a view of each first."""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.grouping.units import Unit


def stacked_rows(reps: list[Unit], has_vector: np.ndarray) -> np.ndarray:
    """(len(reps), dim) embeddings of `reps`, rows without one (has_vector False) zeros."""
    rows = np.flatnonzero(has_vector)
    embedded = [reps[i].embedding for i in rows.tolist()]
    dtype = common_dtype(embedded)
    if len(rows) == len(reps):  # the usual case: one copy
        return joined_rows(embedded, dtype)
    vectors = np.zeros((len(reps), len(embedded[0])), dtype)
    vectors[rows] = joined_rows(embedded, dtype)
    return vectors


def common_dtype(embedded: list[np.ndarray]) -> type:
    """A scan's embeddings are the cached float16 values: kept so (half the memory; every use
    is exact on them); float32 ones (evaluation, tests) stay float32."""
    return np.float16 if all(e.dtype == np.float16 for e in embedded) else np.float32


def joined_rows(embedded: list[np.ndarray], dtype: type) -> np.ndarray:
    """np.stack(embedded) as `dtype` (writable), through one join of their bytes where every
    one is a contiguous row of that dtype and of the first one's width: np.stack makes a view
    of each first (1,000 new files added to 500k: ~1 s of the rescan, on 450k rows)."""
    shape = embedded[0].shape
    if len(shape) == 1 and all(e.dtype == dtype and e.shape == shape for e in embedded):
        try:
            joined = bytearray().join(embedded)  # type: ignore[arg-type]  # buffers, contiguous
        except (TypeError, ValueError, BufferError):  # a row that is a strided view
            pass
        else:
            return np.frombuffer(joined, dtype).reshape(len(embedded), shape[0])
    return np.stack(embedded).astype(dtype, copy=False)
