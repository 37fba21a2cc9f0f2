"""Lone edges taken as clusters at once give the clusters complete linkage gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping.merge import complete_linkage, linked_clusters
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
