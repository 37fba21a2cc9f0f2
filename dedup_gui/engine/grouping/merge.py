"""Complete linkage: clusters merged along edges, strongest first, never chaining two units that
are not themselves compatible. Shared by the scan's grouping and by regrouping after a decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.tiers import Edge

_CANCEL_EVERY = 4096


def complete_linkage(count: int, edges: Mapping[tuple[int, int], Edge],
                     cancel: CancelToken | None = None,
                     compatible: Callable[[list[int], list[int]], bool] | None = None
                     ) -> list[list[int]]:
    """Clusters merged along edges, strongest first, only while every pair of members is
    `compatible` (default: itself an edge, i.e. strict complete linkage).

    Incompatibility is remembered between clusters and inherited on merges (a superset of an
    incompatible cluster stays incompatible), so each pair of clusters is checked at most once
    however many edges join them: bursts of hundreds of similar shots stay fast.
    """
    if compatible is None:
        def compatible(left: list[int], right: list[int]) -> bool:
            return all((min(x, y), max(x, y)) in edges for x in left for y in right)
    cluster_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    blocked: dict[int, set[int]] = {}
    ordered = sorted(edges, key=lambda pair: (edges[pair].sort_key(), pair))
    for step, (a, b) in enumerate(ordered):
        if cancel is not None and step % _CANCEL_EVERY == 0:
            cancel.raise_if_cancelled()
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb or cb in blocked.get(ca, ()):
            continue
        if not compatible(members[ca], members[cb]):
            blocked.setdefault(ca, set()).add(cb)
            blocked.setdefault(cb, set()).add(ca)
            continue
        keep, gone = (ca, cb) if len(members[ca]) >= len(members[cb]) else (cb, ca)
        for node in members[gone]:
            cluster_of[node] = keep
        members[keep].extend(members.pop(gone))
        _inherit_blocks(blocked, keep, gone)
    return [sorted(nodes) for nodes in members.values() if len(nodes) > 1]


def linked_clusters(count: int, edges: Mapping[tuple[int, int], Edge],
                    cancel: CancelToken | None = None,
                    compatible: Callable[[list[int], list[int]], bool] | None = None
                    ) -> list[list[int]]:
    """complete_linkage, with every edge that is a whole connected component (its two units
    have no other edge: most pairs of a real library) taken as a cluster at once, as arrays.
    Linkage never looks past a component, and such an edge always merges (`compatible` must
    accept two units joined by an edge, as the default does), so the clusters are the same."""
    if not edges:
        return []
    pairs = list(edges)
    a, b = np.array(pairs, np.int64).T
    degree = np.bincount(np.concatenate([a, b]), minlength=count)
    lone = (degree[a] == 1) & (degree[b] == 1)
    clusters = np.stack([a[lone], b[lone]], axis=1).tolist()
    rest = {p: edges[p] for p, alone in zip(pairs, lone.tolist(), strict=True) if not alone}
    return clusters + complete_linkage(count, rest, cancel, compatible)


def _inherit_blocks(blocked: dict[int, set[int]], keep: int, gone: int) -> None:
    for other in blocked.pop(gone, set()):
        peers = blocked.setdefault(other, set())
        peers.discard(gone)
        peers.add(keep)
        blocked.setdefault(keep, set()).add(other)


def crosses(blocked: Mapping[int, set[int]], left: list[int], right: list[int]) -> bool:
    """Whether a unit of `left` must stay apart from a unit of `right`."""
    others = set(right)
    return any(not blocked[x].isdisjoint(others) for x in left if x in blocked)
