"""Disjoint sets (union-find) over 0..n-1: the one structure behind the exposures the capture
rule knows (capture_rule.Exposures), the pictures the refuting rules found on one map
(refute.Chain), the similar-shot series (series._components) and the pool's batches by
connected component (verify_pool.by_file). Why one: four copies of the same loop had grown."""

from __future__ import annotations


class DisjointSets:
    """Each of `size` items in a set of its own until joined; roots found by path halving."""

    __slots__ = ("_parent",)

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def __len__(self) -> int:
        return len(self._parent)

    def copy(self) -> DisjointSets:
        """The same sets, to be joined on their own."""
        copied = DisjointSets(0)
        copied._parent = self._parent.copy()
        return copied

    def root(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> tuple[int, int]:
        """Put i's set under j's root; the two roots before (equal: already one set)."""
        a, b = self.root(i), self.root(j)
        if a != b:
            self._parent[a] = b
        return a, b
