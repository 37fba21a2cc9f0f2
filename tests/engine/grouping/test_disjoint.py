"""The one union-find the verification, its pool and the series share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedup_gui.engine.grouping.disjoint import DisjointSets


@given(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=40))
def test_joined_items_share_a_root_exactly_when_connected(pairs) -> None:
    sets = DisjointSets(20)
    for i, j in pairs:
        sets.join(i, j)
    label = list(range(20))  # the same components, by relabelling until nothing changes
    changed = True
    while changed:
        changed = False
        for i, j in pairs:
            low = min(label[i], label[j])
            if label[i] != low or label[j] != low:
                label[i] = label[j] = low
                changed = True
    for i in range(20):
        for j in range(20):
            assert (sets.root(i) == sets.root(j)) == (label[i] == label[j])


def test_join_puts_the_first_set_under_the_second_and_says_which_roots_met() -> None:
    sets = DisjointSets(3)
    assert sets.join(0, 1) == (0, 1) and sets.root(0) == 1
    assert sets.join(1, 0) == (1, 1)  # already one set
    assert sets.join(2, 0) == (2, 1) and len(sets) == 3
