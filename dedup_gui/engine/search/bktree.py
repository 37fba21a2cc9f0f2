"""A plain BK-tree over Hamming distance: the simple, obviously-correct reference search.

A BK-tree files each hash under its parent by their distance; the triangle inequality means a
query within `radius` of q only needs the children whose edge distance is within `radius` of
d(q, node). It works for Python ints of any bit width. At threshold 10 of 64 bits that prunes
little (distances between random hashes cluster around 32, so most edges are within 10 of them):
a query visits most of the tree, and at 100K hashes the whole search is ~10,000x slower than
multi-index hashing. So "auto" never picks it; tests and the benchmark use it as the reference.

Nodes live in flat lists (hash, id, children) and children are dicts keyed by distance, so the
tree costs a few small objects per hash, and both insert and query are loops, not recursion:
a degenerate tree (many near-identical hashes) cannot hit Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dedup_gui.engine.progress import STAGE_COMPARE, CancelToken, ProgressCallback, report

# Progress reports per call, at most (plus the last): front ends throttle anyway.
_REPORTS = 200


class BKTree:
    """BK-tree of (hash, id) items; equal hashes chain under distance 0, so none are lost."""

    def __init__(self, items: Iterable[tuple[int, int]] = ()) -> None:
        self._hashes: list[int] = []
        self._ids: list[int] = []
        self._children: list[dict[int, int]] = []
        for value, ident in items:
            self.add(value, ident)

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, value: int, ident: int) -> None:
        """Follow the edges labelled d(value, node) down to a free one and hang the item there."""
        new = len(self._hashes)
        self._hashes.append(value)
        self._ids.append(ident)
        self._children.append({})
        if new == 0:
            return
        node = 0
        while True:
            dist = (value ^ self._hashes[node]).bit_count()
            child = self._children[node].get(dist)
            if child is None:
                self._children[node][dist] = new
                return
            node = child

    def query(self, value: int, radius: int) -> list[tuple[int, int]]:
        """(id, distance) of every item within `radius` of `value`, in no particular order."""
        if not self._hashes:
            return []
        found = []
        hashes, ids, children = self._hashes, self._ids, self._children
        stack = [0]
        while stack:
            node = stack.pop()
            dist = (value ^ hashes[node]).bit_count()
            if dist <= radius:
                found.append((ids[node], dist))
            lo, hi = dist - radius, dist + radius
            stack.extend(c for d, c in children[node].items() if lo <= d <= hi)
        return found


def bktree_pairs(hashes: Sequence[int], threshold: int, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> list[tuple[int, int, int]]:
    """All (i, j, d) with i < j and d = popcount(hashes[i] ^ hashes[j]) <= threshold, by (i, j).

    Inserts everything, then queries each hash and keeps the partners after it, so each pair is
    reported once.
    """
    if cancel is not None:
        cancel.raise_if_cancelled()
    tree = BKTree((value, index) for index, value in enumerate(hashes))
    total = len(hashes)
    every = max(1, total // _REPORTS)
    pairs = []
    for i, value in enumerate(hashes):
        if cancel is not None:  # per query: one query can take most of a second at 1M hashes
            cancel.raise_if_cancelled()
        if i % every == 0:
            report(progress, STAGE_COMPARE, i, total)
        pairs.extend((i, j, d) for j, d in tree.query(value, threshold) if j > i)
    report(progress, STAGE_COMPARE, total, total)
    pairs.sort()
    return pairs
