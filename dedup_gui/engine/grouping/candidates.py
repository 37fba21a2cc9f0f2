"""Candidate pairs and their evidence: hash pairs within the threshold and embedding pairs above
the lowest counted cosine, found exactly (and incrementally, from the pairs stored by the last
scan: grouping/matching.py), classified into tiers as whole arrays; only the pairs in a tier
that can count become Edge objects, then verified.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.grouping.matching import UnitPairs, candidate_pairs
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixel_verdict import may_be_plain
from dedup_gui.engine.grouping.units import MatchParams, Unit, unit_capture
from dedup_gui.engine.grouping.verified_store import Trace, VerifiedStore, verify_components
from dedup_gui.engine.grouping.verify import Verified, drop_screens, verify_edges
from dedup_gui.engine.grouping.verify_pool import prefetch_edges
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, TIERS, Edge, TierThresholds
from dedup_gui.engine.types import Capture

NO_TIER = -1


def unit_edges(units: Sequence[Unit], match: MatchParams,
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None, pictures: PictureCache | None = None,
               store: PairStore | None = None,
               verified_store: VerifiedStore | None = None) -> Verified:
    """(unit_i, unit_j) -> Edge for every pair matching in a counted tier, i < j, each duplicate
    tier pair verified (grouping/verify.py) when match.verify; and the pairs refuted.
    `store`: candidate pairs kept from the last scan, reused and updated; `verified_store`:
    verification outcomes of unchanged components (grouping/verified_store.py)."""
    found = unit_pairs(units, match, store, progress, cancel)
    return verified_edges(units, tier_edges(found, match), match, cancel, pictures,
                          verified_store)


def unit_pairs(units: Sequence[Unit], match: MatchParams, store: PairStore | None = None,
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> UnitPairs:
    """Every candidate pair of `units` (matching.py), from the stored pairs where it can."""
    return candidate_pairs(units, match.hash_threshold, match.hash_size, _min_cosine(match),
                           store, progress, cancel, hash_kind=match.hash_kind)


def verified_edges(units: Sequence[Unit], edges: dict[tuple[int, int], Edge],
                   match: MatchParams, cancel: CancelToken | None = None,
                   pictures: PictureCache | None = None,
                   verified_store: VerifiedStore | None = None,
                   part: Part | None = None, trace: Trace | None = None) -> Verified:
    """`edges` verified, only those in a counted tier kept; `part`: they are the pairs among
    some of the library's units (additions.py); `trace`: verified_store.Trace."""
    pictures = pictures or PictureCache()
    verified = _verify(units, edges, match, cancel, pictures, verified_store, part, trace)
    verified.edges = {p: e for p, e in verified.edges.items() if e.tier in match.tiers}
    if SIMILAR in match.tiers:
        drop_screens(verified, [unit.files[0].path for unit in units], pictures,
                     pictures.verdicts)
    return verified


@dataclass(frozen=True)
class Part:
    """Some units of a library verified on their own: their captures (the others' are not
    read) and the crowded ones, counted over every pair of the library (refute.Chain)."""

    captures: list[Capture | None]
    crowded: frozenset[int]


def wanted_tiers(found: UnitPairs, match: MatchParams) -> np.ndarray:
    """Whether each pair's tier counts (or verification may move it into a counted tier)."""
    tiers = classify_arrays(found.distance, found.cosine, match.thresholds)
    return np.isin(tiers, [TIERS.index(t) for t in {*match.tiers, RESAVED, EDITED}])


def tier_edges(found: UnitPairs, match: MatchParams,
               chosen: np.ndarray | None = None) -> dict[tuple[int, int], Edge]:
    """The pairs whose tier counts (or that verification may move into a counted tier), as
    Edges; the others are dropped as arrays, never as Python objects. `chosen`: only these
    pairs (indices into `found`, each of a wanted tier)."""
    tiers = classify_arrays(found.distance, found.cosine, match.thresholds)
    if chosen is None:
        chosen = np.flatnonzero(wanted_tiers(found, match))
    columns = (found.a[chosen].tolist(), found.b[chosen].tolist(), tiers[chosen].tolist(),
               found.distance[chosen].tolist(), found.cosine[chosen].tolist())
    return {(a, b): Edge(TIERS[t], None if d < 0 else d, None if c != c else c)
            for a, b, t, d, c in zip(*columns, strict=True)}


def classify_arrays(distance: np.ndarray, cosine: np.ndarray,
                    thresholds: TierThresholds) -> np.ndarray:
    """tiers.classify on whole arrays: the index in TIERS of each pair's tier, or NO_TIER.
    distance -1: no hash; cosine NaN: no embedding."""
    close = (distance >= 0) & (distance <= thresholds.hash_distance)
    embedded = ~np.isnan(cosine)
    value = np.where(embedded, cosine, -np.inf)
    tier = np.full(len(distance), NO_TIER, np.int64)
    tier[embedded & (value >= thresholds.similar_cosine)] = TIERS.index(SIMILAR)
    tier[embedded & (value >= thresholds.edited_cosine)] = TIERS.index(EDITED)
    tier[close & (~embedded | (value >= thresholds.confirm_cosine))] = TIERS.index(RESAVED)
    return tier


def _verify(units: Sequence[Unit], edges: dict[tuple[int, int], Edge], match: MatchParams,
            cancel: CancelToken | None, pictures: PictureCache,
            store: VerifiedStore | None = None, part: Part | None = None,
            trace: Trace | None = None) -> Verified:
    """Duplicate-tier edges checked against capture metadata and pixels (verify.py), each
    unchanged component's outcome taken from `store`."""
    if not match.verify:
        return Verified(edges)
    if cancel is not None:
        cancel.raise_if_cancelled()
    bits = match.hash_size * match.hash_size

    def suspect(unit: Unit) -> bool:
        return may_be_plain(unit.files[0].width, unit.files[0].height, unit.hash, bits)

    def facts(index: int) -> str:
        unit = units[index]
        first = unit.files[0]
        return f"{first.path}\0{first.size}\0{first.mtime_ns}\0{unit_capture(unit)!r}\0" \
            f"{suspect(unit)}"

    def run(part: dict[tuple[int, int], Edge], crowded: Collection[int] | None) -> Verified:
        """Only components not stored are verified, on their own units, renumbered in order
        (so the walk's order and every tie stay as they were): per-unit lists for those only
        (adding 1,000 photos to a 500k library re-verifies components of ~28,000 pairs;
        a warm rescan verifies none)."""
        local = sorted({i for pair in part for i in pair})
        place = {unit: k for k, unit in enumerate(local)}
        edges = {(place[a], place[b]): edge for (a, b), edge in part.items()}
        mine = [units[i] for i in local]
        captures, paths = [unit_capture(u) for u in mine], [u.files[0].path for u in mine]
        suspects = [suspect(u) for u in mine]
        crowded = None if crowded is None else {place[u] for u in crowded if u in place}
        prefetch_edges(edges, captures, paths, suspects, pictures.verdicts, cancel,  # all cores
                       decoded=pictures.decoded, crowded=crowded)
        return _renamed(verify_edges(edges, captures, paths, pictures, pictures.verdicts,
                                     suspects, crowded), local)

    if part is not None:
        return verify_components(edges, len(units), facts, run, store, part.captures,
                                 crowded=part.crowded, prune=False, trace=trace)
    captures = None if store is None else [unit_capture(u) for u in units]
    return verify_components(edges, len(units), facts, run, store, captures, trace=trace)


def _renamed(result: Verified, local: Sequence[int]) -> Verified:
    """`result` of units numbered by their place in `local`, in the library's numbers."""
    def back(pair: tuple[int, int]) -> tuple[int, int]:
        return local[pair[0]], local[pair[1]]

    return Verified({back(p): e for p, e in result.edges.items()},
                    {back(p) for p in result.refuted},
                    {back(p): e for p, e in result.shots.items()},
                    {back(p) for p in result.joined})


def _min_cosine(match: MatchParams) -> float | None:
    """The lowest cosine any counted tier accepts on embeddings alone (None: hashes only)."""
    if SIMILAR in match.tiers:
        return match.thresholds.similar_cosine
    return match.thresholds.edited_cosine if EDITED in match.tiers else None
