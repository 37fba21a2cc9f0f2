"""Evidence filled in for candidate pairs in bulk equals the per-pair definition."""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.grouping.candidates import _PAIRS_PER_BLOCK, hash_distances, pair_cosines
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.types import GroupFile


def units(count: int, seed: int = 3) -> list[Unit]:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    made = []
    for index in range(count):
        file = GroupFile(f"/lib/{index}.jpg", 1, 1, 10, 10, "JPEG")
        hash_ = None if index % 7 == 0 else int(rng.integers(0, 2**63))
        vector = None if index % 5 == 0 else vectors[index]
        made.append(Unit((file,), hash_, vector))
    return made


def test_bulk_values_equal_the_per_pair_definition_and_skip_missing_signals() -> None:
    library = units(400)
    rng = np.random.default_rng(4)
    pairs = sorted({(int(min(a, b)), int(max(a, b)))
                    for a, b in rng.integers(0, 400, size=(_PAIRS_PER_BLOCK + 4000, 2)) if a != b})
    assert len(pairs) > _PAIRS_PER_BLOCK  # more than one block
    cosines, distances = pair_cosines(library, pairs), hash_distances(library, pairs)
    for i, j in pairs:
        a, b = library[i], library[j]
        if a.embedding is None or b.embedding is None:
            assert (i, j) not in cosines
        else:
            assert abs(cosines[(i, j)] - float(np.dot(a.embedding, b.embedding))) < 1e-6
        if a.hash is None or b.hash is None:
            assert (i, j) not in distances
        else:
            assert distances[(i, j)] == bin(a.hash ^ b.hash).count("1")
    assert pair_cosines(library, []) == {} and hash_distances(library, []) == {}
