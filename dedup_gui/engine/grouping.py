"""Candidate pairs -> deterministic, non-chaining groups, each pair saying why it matched.

The rule (documented in README, "How groups are formed"):
1. Exact copies first: files with the same content hash form one *unit* that is never split.
2. Candidate pairs come from the perceptual hash (within its threshold) and from the CNN
   embedding (cosine above the lowest counted tier); each gets a tier (engine/tiers.py) and only
   pairs in the tiers the user counts are edges (engine/candidates.py).
3. Edges are taken strongest first (tier, cosine, hash distance, then path order), and two groups
   merge only when *every* unit of one matches every unit of the other (complete linkage).
   So a group never chains A~B~C into one when A and C are far apart: every two photos in a group
   are themselves near-duplicates. Sorting by distance and path makes the result independent of
   the order files were found in.
4. Pairs a person marked "not duplicates" are never an edge, and such files with identical bytes
   are split into separate units: complete linkage then never puts them in one group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from dedup_gui.engine.candidates import unit_edges
from dedup_gui.engine.progress import (
    STAGE_COMPARE,
    CancelToken,
    ProgressCallback,
    report,
)
from dedup_gui.engine.tiers import (
    DEFAULT_TIER_THRESHOLDS,
    DEFAULT_TIERS,
    IDENTICAL,
    Edge,
    TierThresholds,
)
from dedup_gui.engine.types import Group, GroupFile, Pair

IDENTICAL_REASON = "identical bytes"
T = TypeVar("T")
_CANCEL_EVERY = 4096


@dataclass(frozen=True, slots=True)
class Unit:
    """Files with identical bytes (or one file), their perceptual hash and embedding if read."""

    files: tuple[GroupFile, ...]
    hash: int | None
    embedding: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class MatchParams:
    """How pairs are matched: the hash and its threshold, tier thresholds, the tiers that count."""

    hash_kind: str = "phash"
    hash_threshold: int = 10
    hash_size: int = 8
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS
    tiers: frozenset[str] = DEFAULT_TIERS


def build_units(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int],
                apart: Collection[tuple[str, str]] = frozenset(),
                embeddings: Mapping[str, np.ndarray] | None = None) -> list[Unit]:
    """Collapse exact copies into units, ordered by their first path (that order is the tie-break
    that keeps grouping deterministic). `apart`: sorted path pairs that must not share a unit."""
    by_key: dict[str, list[GroupFile]] = {}
    for file in sorted(files, key=lambda f: f.path):
        key = digests.get(file.path) or f"path:{file.path}"
        by_key.setdefault(key, []).append(file)
    parts = [part for members in by_key.values() for part in _split_apart(members, apart)]
    units = [Unit(tuple(members), _first(members, hashes), _first(members, embeddings or {}))
             for members in parts]
    return sorted(units, key=lambda unit: unit.files[0].path)


def _split_apart(members: list[GroupFile], apart: Collection[tuple[str, str]]
                 ) -> list[list[GroupFile]]:
    """Exact copies marked "not duplicates" go to different parts (first fit, in path order)."""
    if not apart or len(members) < 2:
        return [members]
    parts: list[list[GroupFile]] = []
    for file in members:
        fits = (p for p in parts if all((o.path, file.path) not in apart for o in p))
        part = next(fits, None)
        if part is None:
            parts.append([file])
        else:
            part.append(file)
    return parts


def apart_units(units: Sequence[Unit], apart: Collection[tuple[str, str]]
                ) -> dict[int, set[int]]:
    """unit -> the units it must never share a group with (they hold a pair marked "not
    duplicates")."""
    unit_of = {f.path: index for index, unit in enumerate(units) for f in unit.files}
    blocked: dict[int, set[int]] = {}
    for a, b in apart:
        if a in unit_of and b in unit_of and unit_of[a] != unit_of[b]:
            blocked.setdefault(unit_of[a], set()).add(unit_of[b])
            blocked.setdefault(unit_of[b], set()).add(unit_of[a])
    return blocked


def _drop_apart(edges: dict[tuple[int, int], Edge], blocked: Mapping[int, set[int]]) -> None:
    """Remove every edge between two units that must stay apart."""
    for x, peers in blocked.items():
        for y in peers:
            edges.pop((min(x, y), max(x, y)), None)


def _first(members: list[GroupFile], values: Mapping[str, T]) -> T | None:
    return next((values[f.path] for f in members if f.path in values), None)


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


def _inherit_blocks(blocked: dict[int, set[int]], keep: int, gone: int) -> None:
    for other in blocked.pop(gone, set()):
        peers = blocked.setdefault(other, set())
        peers.discard(gone)
        peers.add(keep)
        blocked.setdefault(keep, set()).add(other)


def group_pairs(units: Sequence[Unit], cluster: Sequence[int],
                edges: Mapping[tuple[int, int], Edge], hash_kind: str) -> list[Pair]:
    """Every pair of files in the cluster with the reason it matched."""
    placed = [(file, index) for index in cluster for file in units[index].files]
    placed.sort(key=lambda item: item[0].path)
    pairs = []
    for i, (file_a, unit_a) in enumerate(placed):
        for file_b, unit_b in placed[i + 1:]:
            if unit_a == unit_b:
                pairs.append(Pair(file_a.path, file_b.path, IDENTICAL_REASON, 0, IDENTICAL))
                continue
            edge = edges.get((min(unit_a, unit_b), max(unit_a, unit_b)))
            if edge is None:  # in the group through others, compatible but not itself a match
                continue
            distance = edge.hash_distance if edge.hash_distance is not None else -1
            pairs.append(Pair(file_a.path, file_b.path, edge.reason(hash_kind), distance,
                              edge.tier, edge.cosine))
    return pairs


def _compatibility(units: Sequence[Unit], edges: Mapping[tuple[int, int], Edge],
                   match: MatchParams, blocked: Mapping[int, set[int]] | None = None
                   ) -> Callable[[list[int], list[int]], bool]:
    """Two clusters may merge if every cross pair matches or, with embeddings, is at least
    loosely alike (cosine ≥ group_cosine): a crop and a screenshot of one photo each match the
    original but not always each other; unrelated photos (cosine mostly < 0.5) never join.
    Checked as one small matrix product per cluster pair. Never when a cross pair is `blocked`
    ("not duplicates"): however alike, a person said those two are different photos."""
    blocked = blocked or {}

    def compatible(left: list[int], right: list[int]) -> bool:
        if blocked and crosses(blocked, left, right):
            return False
        alike = _alike(units, left, right, match.thresholds.group_cosine)
        return all((min(x, y), max(x, y)) in edges
                   for i, x in enumerate(left) for j, y in enumerate(right) if not alike[i, j])
    return compatible


def crosses(blocked: Mapping[int, set[int]], left: list[int], right: list[int]) -> bool:
    """Whether a unit of `left` must stay apart from a unit of `right`."""
    others = set(right)
    return any(not blocked[x].isdisjoint(others) for x in left if x in blocked)


def _alike(units: Sequence[Unit], left: list[int], right: list[int],
           min_cosine: float) -> np.ndarray:
    """(len(left), len(right)) bools: cosine ≥ min_cosine (all False unless all are embedded,
    so units without an embedding fall back to real matches)."""
    if any(units[i].embedding is None for i in (*left, *right)):
        return np.zeros((len(left), len(right)), dtype=bool)
    a = np.stack([units[i].embedding for i in left])
    b = np.stack([units[i].embedding for i in right])
    return (a @ b.T) >= min_cosine


def group_files(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int], *, match: MatchParams = MatchParams(),
                embeddings: Mapping[str, np.ndarray] | None = None,
                not_duplicates: Collection[tuple[str, str]] = frozenset(),
                progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> tuple[Group, ...]:
    """Groups of duplicates among `files`, sorted by their first path; no group holds a pair of
    `not_duplicates` (path pairs, either order)."""
    apart = {(min(a, b), max(a, b)) for a, b in not_duplicates}
    units = build_units(files, digests, hashes, apart, embeddings)
    edges = unit_edges(units, match, progress, cancel)
    blocked = apart_units(units, apart)
    _drop_apart(edges, blocked)
    clusters = complete_linkage(len(units), edges, cancel,
                                _compatibility(units, edges, match, blocked))
    singles = [[i] for i, unit in enumerate(units) if len(unit.files) > 1]
    in_cluster = {i for cluster in clusters for i in cluster}
    clusters += [c for c in singles if c[0] not in in_cluster]
    groups = []
    for cluster in clusters:
        group_members = sorted((f for i in cluster for f in units[i].files), key=lambda f: f.path)
        groups.append(Group(tuple(group_members),
                            tuple(group_pairs(units, cluster, edges, match.hash_kind))))
    report(progress, STAGE_COMPARE, 1, 1)
    return tuple(sorted(groups, key=lambda group: group.files[0].path))

