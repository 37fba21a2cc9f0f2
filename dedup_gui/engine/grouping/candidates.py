"""Candidate pairs and their evidence: hash pairs within the threshold and embedding pairs above
the lowest counted cosine, each found exactly by its own search (engine/search/hamming.py,
engine/search/similarity.py), then completed with the other signal and classified into a tier.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup_gui.engine.grouping.units import MatchParams, Unit
from dedup_gui.engine.grouping.verify import PictureCache, Verified, may_be_plain, verify_edges
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.engine.search.hamming import find_pairs
from dedup_gui.engine.search.similarity import cosine_pairs
from dedup_gui.engine.signals.hashing import hashes_to_array
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, Edge, classify

_PAIRS_PER_BLOCK = 8192  # pairs per block of row-wise dot products (~20 MB at 320 dimensions)


def unit_edges(units: Sequence[Unit], match: MatchParams,
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None, pictures: PictureCache | None = None
               ) -> Verified:
    """(unit_i, unit_j) -> Edge for every pair matching in a counted tier, i < j, each duplicate
    tier pair verified (grouping/verify.py) when match.verify; and the pairs refuted."""
    distances = hash_candidates(units, match.hash_threshold, match.hash_size, progress, cancel)
    cosines = embedding_candidates(units, _min_cosine(match), progress, cancel)
    pairs = distances.keys() | cosines.keys()
    # Each search found its own candidates; the other signal is filled in for them in bulk,
    # not one numpy call per pair (1.2 million pairs on the soak library's bursts).
    distances.update(hash_distances(units, [p for p in pairs if p not in distances]))
    cosines.update(pair_cosines(units, [p for p in pairs if p not in cosines]))
    edges = {}
    for pair in pairs:
        edge = classify(distances.get(pair), cosines.get(pair), match.thresholds)
        if edge is not None and (edge.tier in match.tiers or edge.tier in (RESAVED, EDITED)):
            edges[pair] = edge
    verified = _verify(units, edges, match, cancel, pictures or PictureCache())
    verified.edges = {p: e for p, e in verified.edges.items() if e.tier in match.tiers}
    return verified


def _verify(units: Sequence[Unit], edges: dict[tuple[int, int], Edge], match: MatchParams,
            cancel: CancelToken | None, pictures: PictureCache) -> Verified:
    """Duplicate-tier edges checked against capture metadata and pixels (verify.py)."""
    if not match.verify:
        return Verified(edges)
    if cancel is not None:
        cancel.raise_if_cancelled()
    captures = [next((f.capture for f in u.files if f.capture is not None), None) for u in units]
    paths = [unit.files[0].path for unit in units]
    bits = match.hash_size * match.hash_size
    suspects = [may_be_plain(u.files[0].width, u.files[0].height, u.hash, bits) for u in units]
    return verify_edges(edges, captures, paths, pictures, pictures.verdicts, suspects)


def hash_candidates(units: Sequence[Unit], threshold: int, hash_size: int,
                    progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> dict[tuple[int, int], int]:
    """(unit_i, unit_j) -> Hamming distance for all units within `threshold`, i < j."""
    hashed = [index for index, unit in enumerate(units) if unit.hash is not None]
    array = hashes_to_array((units[i].hash for i in hashed), hash_size)
    found = find_pairs(array, threshold, progress=progress, cancel=cancel)
    return {(hashed[i], hashed[j]): int(d) for i, j, d in found.tolist()}


def embedding_candidates(units: Sequence[Unit], min_cosine: float | None,
                         progress: ProgressCallback | None = None,
                         cancel: CancelToken | None = None) -> dict[tuple[int, int], float]:
    """(unit_i, unit_j) -> cosine for all embedded units with cosine >= min_cosine, i < j."""
    embedded = [index for index, unit in enumerate(units) if unit.embedding is not None]
    if min_cosine is None or len(embedded) < 2:
        return {}
    vectors = np.stack([units[i].embedding for i in embedded])
    pairs, cosines = cosine_pairs(vectors, min_cosine, progress=progress, cancel=cancel)
    return {(embedded[i], embedded[j]): float(c)
            for (i, j), c in zip(pairs.tolist(), cosines.tolist(), strict=True)}


def _min_cosine(match: MatchParams) -> float | None:
    """The lowest cosine any counted tier accepts on embeddings alone (None: hashes only)."""
    if SIMILAR in match.tiers:
        return match.thresholds.similar_cosine
    return match.thresholds.edited_cosine if EDITED in match.tiers else None


def hash_distances(units: Sequence[Unit], pairs: Sequence[tuple[int, int]]
                   ) -> dict[tuple[int, int], int]:
    """Hamming distance of each pair whose units both have a hash."""
    hashes = [unit.hash for unit in units]
    return {(i, j): (a ^ b).bit_count() for i, j in pairs
            if (a := hashes[i]) is not None and (b := hashes[j]) is not None}


def pair_cosines(units: Sequence[Unit], pairs: Sequence[tuple[int, int]]
                 ) -> dict[tuple[int, int], float]:
    """Cosine of each pair whose units both have an embedding: row-wise dot products in blocks
    of _PAIRS_PER_BLOCK (bounded memory), not one numpy call per pair."""
    pairs = [(i, j) for i, j in pairs
             if units[i].embedding is not None and units[j].embedding is not None]
    if not pairs:
        return {}
    used = sorted({index for pair in pairs for index in pair})
    row = {index: position for position, index in enumerate(used)}
    vectors = np.stack([units[index].embedding for index in used])
    rows = np.array([(row[i], row[j]) for i, j in pairs], dtype=np.int64)
    result: dict[tuple[int, int], float] = {}
    for start in range(0, len(pairs), _PAIRS_PER_BLOCK):
        block = rows[start:start + _PAIRS_PER_BLOCK]
        values = np.einsum("ij,ij->i", vectors[block[:, 0]], vectors[block[:, 1]])
        result.update(zip(pairs[start:start + _PAIRS_PER_BLOCK], values.tolist(), strict=True))
    return result
