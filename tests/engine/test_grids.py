"""grids.py gives exactly what the numpy expressions it replaces gave (no verdict may move)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dedup_gui.engine.grids import blur3, edge_padded, row_p90

grids = st.tuples(st.integers(1, 40), st.integers(1, 40)).flatmap(
    lambda shape: arrays(np.float32, shape, elements=st.floats(0, 255, width=32)))


@settings(max_examples=200, deadline=None)
@given(grids, st.integers(1, 13))
def test_edge_padding_is_numpys(grid: np.ndarray, n: int) -> None:
    assert np.array_equal(edge_padded(grid, n), np.pad(grid, n, mode="edge"))


@settings(max_examples=200, deadline=None)
@given(grids)
def test_the_blur_is_the_nine_term_mean_bit_for_bit(grid: np.ndarray) -> None:
    p = np.pad(grid, 1, mode="edge")
    h, w = grid.shape
    before = sum(p[i:i + h, j:j + w] for i in range(3) for j in range(3)) / 9
    got = blur3(grid)
    assert got.dtype == before.dtype
    assert np.array_equal(got, before)


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.integers(1, 64), st.integers(1, 300)).flatmap(
    lambda shape: arrays(np.float32, shape, elements=st.floats(0, 255, width=32))))
def test_the_90th_percentile_of_each_row_is_numpys(rows: np.ndarray) -> None:
    want = np.percentile(rows, 90, axis=1)
    got = row_p90(rows)
    assert got.dtype == want.dtype
    assert np.array_equal(got, want)
