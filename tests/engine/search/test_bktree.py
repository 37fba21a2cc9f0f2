"""The BK-tree is the reference search: it must return exactly what a double loop returns."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.progress import STAGE_COMPARE, Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.search.bktree import BKTree, bktree_pairs


def oracle(hashes: list[int], threshold: int) -> list[tuple[int, int, int]]:
    """All pairs within threshold, by the definition."""
    return [(i, j, (hashes[i] ^ hashes[j]).bit_count())
            for i in range(len(hashes)) for j in range(i + 1, len(hashes))
            if (hashes[i] ^ hashes[j]).bit_count() <= threshold]


@st.composite
def clustered(draw: st.DrawFn, bits: int = 64, max_size: int = 40) -> list[int]:
    """Near copies of a few seeds (0..12 flipped bits), so small thresholds find pairs too."""
    seeds = draw(st.lists(st.integers(0, 2**bits - 1), min_size=1, max_size=6))
    copies = st.tuples(st.sampled_from(seeds), st.lists(st.integers(0, bits - 1), max_size=12))
    values = []
    for seed, flips in draw(st.lists(copies, max_size=max_size)):
        for bit in flips:
            seed ^= 1 << bit
        values.append(seed)
    return values


@settings(max_examples=150, deadline=None)
@given(clustered(), st.integers(0, 64))
def test_pairs_match_the_double_loop(hashes: list[int], threshold: int) -> None:
    assert bktree_pairs(hashes, threshold) == oracle(hashes, threshold)


@settings(max_examples=40, deadline=None)
@given(clustered(bits=256, max_size=25), st.integers(0, 256))
def test_any_bit_width(hashes: list[int], threshold: int) -> None:
    assert bktree_pairs(hashes, threshold) == oracle(hashes, threshold)


@settings(max_examples=100, deadline=None)
@given(clustered(), st.integers(0, 2**64 - 1), st.integers(0, 64))
def test_query_finds_every_item_within_radius(hashes: list[int], query: int, radius: int) -> None:
    tree = BKTree((value, index) for index, value in enumerate(hashes))
    expected = sorted((index, (value ^ query).bit_count()) for index, value in enumerate(hashes)
                      if (value ^ query).bit_count() <= radius)
    assert sorted(tree.query(query, radius)) == expected
    assert len(tree) == len(hashes)


def test_empty_and_single() -> None:
    assert BKTree().query(5, 64) == []
    assert bktree_pairs([], 10) == []
    assert bktree_pairs([123], 64) == []


def test_identical_hashes_do_not_recurse() -> None:
    """A chain of 1,500 equal hashes is 1,500 levels deep: loops, not recursion, walk it."""
    hashes = [0xDEADBEEF] * 1500
    pairs = bktree_pairs(hashes, 0)
    assert len(pairs) == 1500 * 1499 // 2
    assert pairs[0] == (0, 1, 0) and pairs[-1] == (1498, 1499, 0)


def test_progress_reaches_total() -> None:
    events: list[ProgressEvent] = []
    rng = random.Random(1)
    bktree_pairs([rng.getrandbits(64) for _ in range(1000)], 8, progress=events.append)
    assert events and all(e.stage == STAGE_COMPARE for e in events)
    assert events[-1].done == events[-1].total == 1000
    assert [e.done for e in events] == sorted(e.done for e in events)


def test_cancel_before_start() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        bktree_pairs([1, 2, 3], 4, cancel=token)


def test_cancel_from_progress_callback() -> None:
    token = CancelToken()
    rng = random.Random(2)
    with pytest.raises(Cancelled):
        bktree_pairs([rng.getrandbits(64) for _ in range(2000)], 8,
                     progress=lambda _event: token.cancel(), cancel=token)
