"""Candidate pairs -> deterministic, non-chaining groups, each pair saying why it matched.

The rule (documented in README, "How groups are formed"):
1. Exact copies first: files with the same content hash form one *unit* that is never split.
2. Candidate pairs come from the perceptual hash (within its threshold) and from the CNN
   embedding (cosine above the lowest counted tier); each gets a tier (engine/tiers.py) and only
   pairs in the tiers the user counts are edges (engine/grouping/candidates.py).
3. Edges are taken strongest first (tier, cosine, hash distance, then path order), and two groups
   merge only when *every* unit of one matches every unit of the other (complete linkage).
   So a group never chains A~B~C into one when A and C are far apart: every two photos in a group
   are themselves near-duplicates. Sorting by distance and path makes the result independent of
   the order files were found in.
4. Pairs a person marked "not duplicates" are never an edge, and such files with identical bytes
   are split into separate units: complete linkage then never puts them in one group.
5. Two units whose captures are two exposures (capture_rule.two_exposures) never share a group
   when pairs are verified and similar shots are not counted: not even through a third unit
   that pairs with both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, MutableMapping, Sequence

import numpy as np

from dedup_gui.engine.grouping.additions import layout, made_basis, scoped
from dedup_gui.engine.grouping.basis_store import BasisStore
from dedup_gui.engine.grouping.candidates import tier_edges, unit_pairs, verified_edges
from dedup_gui.engine.grouping.capture_rule import two_exposures
from dedup_gui.engine.grouping.merge import crosses, linked_clusters
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.series import find_series
from dedup_gui.engine.grouping.shot_store import Key, Measure
from dedup_gui.engine.grouping.units import (
    MatchParams,
    Unit,
    apart_units,
    build_units,
    unit_capture,
)
from dedup_gui.engine.grouping.verified_store import Trace, VerifiedStore
from dedup_gui.engine.progress import (
    STAGE_COMPARE,
    CancelToken,
    ProgressCallback,
    report,
)
from dedup_gui.engine.tiers import IDENTICAL, SIMILAR, Edge
from dedup_gui.engine.types import Group, GroupFile, Pair, Series

IDENTICAL_REASON = "identical bytes"
DEFAULT_MATCH = MatchParams()


def _drop_apart(edges: dict[tuple[int, int], Edge], blocked: Mapping[int, set[int]]) -> None:
    """Remove every edge between two units that must stay apart."""
    for x, peers in blocked.items():
        for y in peers:
            edges.pop((min(x, y), max(x, y)), None)


def kept_apart(marked: Mapping[int, set[int]], refuted: Collection[tuple[int, int]],
               edges: Mapping[tuple[int, int], Edge]) -> dict[int, set[int]]:
    """unit -> the units it must never share a group with: those `marked` ("not duplicates")
    and those of a `refuted` pair (another shot: never a duplicate, however alike; with similar
    shots counted, the caller passes only the refuted pairs left without an edge: two screens,
    a screen and a photo, captures far apart), the latter only where both units are on an
    edge. Only units on an edge ever join a cluster, and linkage reads the blocks of cluster
    members only (merge.crosses), so the groups are the same; bench_scale's 500k library has
    ~340,000 refuted pairs, nearly all chance look-alikes of two cameras whose units are on no
    edge (~1 s of every regroup in sets)."""
    blocked = {unit: set(peers) for unit, peers in marked.items()}
    if not refuted:
        return blocked
    linked = {unit for pair in edges for unit in pair}
    for x, y in refuted:
        if x in linked and y in linked:
            blocked.setdefault(x, set()).add(y)
            blocked.setdefault(y, set()).add(x)
    return blocked


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
    ("not duplicates"): however alike, a person said those two are different photos. Nor,
    when pairs are verified and similar shots are not counted, when a cross pair's captures
    are two exposures (capture_rule.two_exposures: the metadata says two photos)."""
    blocked = blocked or {}
    by_capture = match.verify and SIMILAR not in match.tiers

    def compatible(left: list[int], right: list[int]) -> bool:
        if blocked and crosses(blocked, left, right):
            return False
        if by_capture and two_exposures((unit_capture(units[x]) for x in left),
                                        (unit_capture(units[y]) for y in right)):
            return False
        if all((min(x, y), max(x, y)) in edges for x in left for y in right):
            return True  # every cross pair matches (two units on one edge): no product needed
        alike = _alike(units, left, right, match.thresholds.group_cosine)
        return all((min(x, y), max(x, y)) in edges
                   for i, x in enumerate(left) for j, y in enumerate(right) if not alike[i, j])
    return compatible


def _alike(units: Sequence[Unit], left: list[int], right: list[int],
           min_cosine: float) -> np.ndarray:
    """(len(left), len(right)) bools: cosine ≥ min_cosine (all False unless all are embedded,
    so units without an embedding fall back to real matches)."""
    if any(units[i].embedding is None for i in (*left, *right)):
        return np.zeros((len(left), len(right)), dtype=bool)
    a = np.stack([units[i].embedding for i in left], dtype=np.float32)  # float16 read in place
    b = np.stack([units[i].embedding for i in right], dtype=np.float32)
    return (a @ b.T) >= min_cosine


def group_files(files: Sequence[GroupFile], digests: Mapping[str, str],
                hashes: Mapping[str, int], *, match: MatchParams = DEFAULT_MATCH,
                embeddings: Mapping[str, np.ndarray] | None = None,
                not_duplicates: Collection[tuple[str, str]] = frozenset(),
                progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None,
                pictures: PictureCache | None = None) -> tuple[Group, ...]:
    """Groups of duplicates among `files`, sorted by their first path; no group holds a pair of
    `not_duplicates` (path pairs, either order)."""
    return group_and_series(files, digests, hashes, match=match, embeddings=embeddings,
                            not_duplicates=not_duplicates, progress=progress, cancel=cancel,
                            pictures=pictures)[0]


def group_and_series(files: Sequence[GroupFile], digests: Mapping[str, str],
                     hashes: Mapping[str, int], *, match: MatchParams = DEFAULT_MATCH,
                     embeddings: Mapping[str, np.ndarray] | None = None,
                     not_duplicates: Collection[tuple[str, str]] = frozenset(),
                     progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None, pictures: PictureCache | None = None,
                     shot_scores: MutableMapping[Key, Measure] | None = None,
                     store: PairStore | None = None,
                     verified_store: VerifiedStore | None = None,
                     basis: BasisStore | None = None
                     ) -> tuple[tuple[Group, ...], tuple[Series, ...]]:
    """group_files, and the similar-shot series verification found (grouping/series.py).
    `pictures`: decoded pictures and pixel verdicts to reuse when regrouping the same files;
    `shot_scores`: best-shot measures to reuse (shot_store.py);
    `store`: candidate pairs of the last scan (grouping/pair_store.py), reused and updated;
    `verified_store`: verification outcomes of unchanged components (verified_store.py);
    `basis`: what the last grouping was made of: photos only added are grouped with what
    they touch alone (additions.py), and this grouping's basis is kept in it (basis.made)."""
    apart = {(min(a, b), max(a, b)) for a, b in not_duplicates}
    units = build_units(files, digests, hashes, apart, embeddings)
    pictures = pictures or PictureCache()
    found = unit_pairs(units, match, store, progress, cancel)
    where = part = None
    if basis is not None:
        where = layout(units, files)
        previous = basis.previous(files, where.index, where.values)
        part = previous and scoped(previous, where, units, found, match, cancel, pictures,
                                   verified_store)
    trace = part.trace if part else Trace()
    verified = part.verified if part else verified_edges(
        units, tier_edges(found, match), match, cancel, pictures, verified_store, None, trace)
    if basis is not None and where is not None:
        basis.made = made_basis(files, units, where, verified, trace, part)
    edges = verified.edges
    marked = apart_units(units, apart)
    apart_pairs = {(min(x, y), max(x, y)) for x, ys in marked.items() for y in ys}
    blocked = kept_apart(marked, verified.refuted if SIMILAR not in match.tiers
                         else [p for p in verified.refuted if p not in edges], edges)
    _drop_apart(edges, blocked)
    clusters = linked_clusters(len(units), edges, cancel,
                               _compatibility(units, edges, match, blocked))
    singles = [[i] for i, unit in enumerate(units)
               if len(unit.files) > 1 and (part is None or part.scope[i])]
    in_cluster = {i for cluster in clusters for i in cluster}
    clusters += [c for c in singles if c[0] not in in_cluster]
    groups = []
    for cluster in clusters:
        group_members = sorted((f for i in cluster for f in units[i].files), key=lambda f: f.path)
        groups.append(Group(tuple(group_members),
                            tuple(group_pairs(units, cluster, edges, match.hash_kind))))
    series = list(find_series(units, {p: e for p, e in verified.shots.items()
                                      if p not in apart_pairs},
                              match.hash_kind, pictures, shot_scores))
    if part:
        groups, series = part.joined(files, groups, series)
    report(progress, STAGE_COMPARE, 1, 1)
    return (tuple(sorted(groups, key=lambda group: group.files[0].path)),
            tuple(sorted(series, key=lambda one: one.files[0].path)))
