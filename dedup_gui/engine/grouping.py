"""Candidate pairs -> deterministic, non-chaining groups, each pair saying why it matched.

The rule (documented in README, "How groups are formed"):
1. Exact copies first: files with the same content hash form one *unit* that is never split.
2. Units are compared by perceptual hash; every pair within the threshold is an edge.
3. Edges are taken closest first (distance, then path order), and two groups merge only when
   *every* unit of one is within the threshold of every unit of the other (complete linkage).
   So a group never chains A~B~C into one when A and C are far apart: every two photos in a group
   are themselves near-duplicates. Sorting by distance and path makes the result independent of
   the order files were found in.
4. Pairs a person marked "not duplicates" are never an edge, and such files with identical bytes
   are split into separate units: complete linkage then never puts them in one group.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from dedup_gui.engine.hamming import find_pairs
from dedup_gui.engine.hashing import hashes_to_array
from dedup_gui.engine.progress import (
    STAGE_COMPARE,
    CancelToken,
    ProgressCallback,
    report,
)
from dedup_gui.engine.types import Group, GroupFile, Pair

IDENTICAL = "identical bytes"
_CANCEL_EVERY = 4096


@dataclass(frozen=True, slots=True)
class Unit:
    """Files with identical bytes (or one file), and their perceptual hash if it could be read."""

    files: tuple[GroupFile, ...]
    hash: int | None


def build_units(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int],
                apart: Collection[tuple[str, str]] = frozenset()) -> list[Unit]:
    """Collapse exact copies into units, ordered by their first path (that order is the tie-break
    that keeps grouping deterministic). `apart`: sorted path pairs that must not share a unit."""
    by_key: dict[str, list[GroupFile]] = {}
    for file in sorted(files, key=lambda f: f.path):
        key = digests.get(file.path) or f"path:{file.path}"
        by_key.setdefault(key, []).append(file)
    parts = [part for members in by_key.values() for part in _split_apart(members, apart)]
    units = [Unit(tuple(members), _unit_hash(members, hashes)) for members in parts]
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


def _drop_apart(edges: dict[tuple[int, int], int], units: Sequence[Unit],
                apart: Collection[tuple[str, str]]) -> None:
    """Remove every edge between two units that hold a pair marked "not duplicates"."""
    unit_of = {f.path: index for index, unit in enumerate(units) for f in unit.files}
    for a, b in apart:
        if a in unit_of and b in unit_of:
            edges.pop((min(unit_of[a], unit_of[b]), max(unit_of[a], unit_of[b])), None)


def _unit_hash(members: list[GroupFile], hashes: Mapping[str, int]) -> int | None:
    return next((hashes[f.path] for f in members if f.path in hashes), None)


def unit_edges(units: Sequence[Unit], threshold: int, hash_size: int,
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> dict[tuple[int, int], int]:
    """(unit_i, unit_j) -> Hamming distance for all units within `threshold`, i < j."""
    hashed = [index for index, unit in enumerate(units) if unit.hash is not None]
    array = hashes_to_array((units[i].hash for i in hashed), hash_size)
    found = find_pairs(array, threshold, progress=progress, cancel=cancel)
    return {(hashed[i], hashed[j]): int(d) for i, j, d in found.tolist()}


def complete_linkage(count: int, edges: Mapping[tuple[int, int], int],
                     cancel: CancelToken | None = None) -> list[list[int]]:
    """Clusters of node ids in which every pair is an edge, merged closest-first."""
    cluster_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    ordered = sorted(edges, key=lambda pair: (edges[pair], pair))
    for step, (a, b) in enumerate(ordered):
        if cancel is not None and step % _CANCEL_EVERY == 0:
            cancel.raise_if_cancelled()
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb or not _all_linked(members[ca], members[cb], edges):
            continue
        keep, gone = (ca, cb) if len(members[ca]) >= len(members[cb]) else (cb, ca)
        for node in members[gone]:
            cluster_of[node] = keep
        members[keep].extend(members.pop(gone))
    return [sorted(nodes) for nodes in members.values() if len(nodes) > 1]


def _all_linked(left: list[int], right: list[int], edges: Mapping[tuple[int, int], int]) -> bool:
    return all((min(x, y), max(x, y)) in edges for x in left for y in right)


def group_pairs(units: Sequence[Unit], cluster: Sequence[int],
                edges: Mapping[tuple[int, int], int], hash_kind: str) -> list[Pair]:
    """Every pair of files in the cluster with the reason it matched."""
    placed = [(file, index) for index in cluster for file in units[index].files]
    placed.sort(key=lambda item: item[0].path)
    pairs = []
    for i, (file_a, unit_a) in enumerate(placed):
        for file_b, unit_b in placed[i + 1:]:
            if unit_a == unit_b:
                pairs.append(Pair(file_a.path, file_b.path, IDENTICAL, 0))
            else:
                distance = edges[(min(unit_a, unit_b), max(unit_a, unit_b))]
                pairs.append(Pair(file_a.path, file_b.path, f"{hash_kind} distance {distance}",
                                  distance))
    return pairs


def group_files(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int], *, hash_kind: str, threshold: int, hash_size: int,
                not_duplicates: Collection[tuple[str, str]] = frozenset(),
                progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> tuple[Group, ...]:
    """Groups of duplicates among `files`, sorted by their first path; no group holds a pair of
    `not_duplicates` (path pairs, either order)."""
    apart = {(min(a, b), max(a, b)) for a, b in not_duplicates}
    units = build_units(files, digests, hashes, apart)
    edges = unit_edges(units, threshold, hash_size, progress, cancel)
    _drop_apart(edges, units, apart)
    clusters = complete_linkage(len(units), edges, cancel)
    singles = [[i] for i, unit in enumerate(units) if len(unit.files) > 1]
    in_cluster = {i for cluster in clusters for i in cluster}
    clusters += [c for c in singles if c[0] not in in_cluster]
    groups = []
    for cluster in clusters:
        group_members = sorted((f for i in cluster for f in units[i].files), key=lambda f: f.path)
        groups.append(Group(tuple(group_members),
                            tuple(group_pairs(units, cluster, edges, hash_kind))))
    report(progress, STAGE_COMPARE, 1, 1)
    return tuple(sorted(groups, key=lambda group: group.files[0].path))
