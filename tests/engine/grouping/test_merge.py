"""Lone edges taken as clusters at once give the clusters complete linkage gives; blocks
between units on no edge change no cluster."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.groups import _drop_apart, kept_apart
from dedup_gui.engine.grouping.merge import complete_linkage, crosses, linked_clusters
from dedup_gui.engine.tiers import EDITED, RESAVED, Edge

EDGES = st.dictionaries(
    st.tuples(st.integers(0, 14), st.integers(0, 14)).filter(lambda p: p[0] < p[1]),
    st.builds(Edge, st.sampled_from([RESAVED, EDITED]), st.integers(0, 10),
              st.floats(0.6, 1.0)),
    max_size=25)


@settings(max_examples=300, deadline=None)
@given(EDGES)
def test_linked_clusters_equal_complete_linkage(edges: dict) -> None:
    assert sorted(linked_clusters(15, edges)) == sorted(complete_linkage(15, edges))


def test_a_lone_edge_is_a_cluster_and_a_chain_is_not_merged_whole() -> None:
    edge = Edge(RESAVED, 1, 0.9)
    assert linked_clusters(6, {(0, 1): edge, (2, 3): edge, (3, 4): edge}) in (
        [[0, 1], [2, 3]], [[0, 1], [3, 4]])


PAIRS = st.sets(st.tuples(st.integers(0, 14), st.integers(0, 14)).filter(lambda p: p[0] < p[1]),
                max_size=30)


def _both_ways(pairs: set) -> dict[int, set[int]]:
    blocks: dict[int, set[int]] = {}
    for x, y in pairs:
        blocks.setdefault(x, set()).add(y)
        blocks.setdefault(y, set()).add(x)
    return blocks


def _clusters(edges: dict, blocked: dict[int, set[int]]) -> list[list[int]]:
    """groups.group_and_series' linkage: blocked edges dropped, blocked clusters never merged."""
    live = dict(edges)
    _drop_apart(live, blocked)

    def compatible(left: list[int], right: list[int]) -> bool:
        return not crosses(blocked, left, right) and all(
            (min(x, y), max(x, y)) in live for x in left for y in right)
    return sorted(linked_clusters(15, live, None, compatible))


@settings(max_examples=300, deadline=None)
@given(EDGES, PAIRS, PAIRS)
def test_refuted_blocks_kept_only_between_units_on_edges_give_the_same_clusters(
        edges: dict, refuted: set, marked: set) -> None:
    every = _both_ways(marked | refuted)
    kept = kept_apart(_both_ways(marked), refuted, edges)
    assert _clusters(edges, kept) == _clusters(edges, every)


def test_a_refuted_pair_is_blocked_only_when_both_units_are_on_an_edge() -> None:
    edge = Edge(EDITED, None, 0.9)
    edges = {(0, 2): edge, (1, 2): edge, (4, 5): edge}
    kept = kept_apart({7: {8}, 8: {7}}, {(0, 1), (3, 4), (5, 6), (6, 9)}, edges)
    assert kept == {0: {1}, 1: {0}, 7: {8}, 8: {7}}  # "not duplicates" always kept
    assert _clusters(edges, kept) == [[0, 2], [4, 5]]  # 0 and 1 never meet through 2
