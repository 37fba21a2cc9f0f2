"""Nearest neighbours, outlier ranking and clusters on synthetic vectors, against brute force
and scipy on the full matrix (the engine only ever holds blocks of it)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from dedup_gui.engine.insights import clusters as clusters_module
from dedup_gui.engine.insights import neighbours as neighbours_module
from dedup_gui.engine.insights.clusters import find_clusters
from dedup_gui.engine.insights.linkage import cut_linkage
from dedup_gui.engine.insights.neighbours import nearest_neighbours
from dedup_gui.engine.insights.outliers import rank_outliers
from dedup_gui.engine.progress import Cancelled, CancelToken


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def blobs(rng: np.random.Generator, centres: int, per: int, spread: float, dims: int = 24
          ) -> tuple[np.ndarray, np.ndarray]:
    """Tight groups around random directions: (vectors, group label of each)."""
    middle = rng.normal(size=(centres, dims))
    labels = np.repeat(np.arange(centres), per)
    return unit(middle[labels] + rng.normal(scale=spread, size=(len(labels), dims))), labels


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks much smaller than the data, so every block boundary is crossed."""
    monkeypatch.setattr(neighbours_module, "ROWS", 37)
    monkeypatch.setattr(neighbours_module, "COLS", 50)
    monkeypatch.setattr(clusters_module, "ROWS", 29)
    monkeypatch.setattr(clusters_module, "COLS", 41)


def test_nearest_neighbours_match_brute_force(small_blocks: None) -> None:
    vectors = unit(np.random.default_rng(1).normal(size=(230, 16)))
    found = nearest_neighbours(vectors, 6)
    full = vectors @ vectors.T
    np.fill_diagonal(full, -np.inf)
    expected = np.argsort(-full, axis=1, kind="stable")[:, :6]
    assert np.array_equal(found.indices, expected)
    assert np.allclose(found.cosines, np.take_along_axis(full, expected, axis=1), atol=1e-5)


def test_large_k_and_ties_agree_with_a_stable_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(10)
    base = unit(rng.normal(size=(20, 8)))
    vectors = np.vstack([base, base[:7], base[3:9]])  # many exact ties
    full = vectors @ vectors.T
    np.fill_diagonal(full, -np.inf)
    expected = np.argsort(-full, axis=1, kind="stable")[:, :6]
    for small_k in (32, 2):  # argmax passes, then the sort used for large k
        monkeypatch.setattr(neighbours_module, "SMALL_K", small_k)
        monkeypatch.setattr(neighbours_module, "COLS", 11)
        assert np.array_equal(nearest_neighbours(vectors, 6).indices, expected)


def test_an_image_is_never_its_own_neighbour_but_an_exact_copy_is() -> None:
    vectors = unit(np.random.default_rng(2).normal(size=(5, 8)))
    vectors = np.vstack([vectors, vectors[:1]])  # row 5 is a copy of row 0
    found = nearest_neighbours(vectors, 3)
    assert all(i not in row for i, row in enumerate(found.indices.tolist()))
    assert found.indices[0, 0] == 5 and found.indices[5, 0] == 0
    assert found.cosines[0, 0] == pytest.approx(1.0, abs=1e-6)


def test_k_is_capped_at_the_other_images() -> None:
    vectors = unit(np.random.default_rng(3).normal(size=(3, 4)))
    assert nearest_neighbours(vectors, 10).k == 2
    assert nearest_neighbours(vectors[:1], 5).k == 0
    assert rank_outliers(["only.jpg"], nearest_neighbours(vectors[:1], 5)) == []


def test_planted_outliers_rank_first_even_in_pairs() -> None:
    """Groups of 8 alike images, plus 4 lone images and one pair of alike oddities: with k = 5
    all six oddities outrank every grouped image (the pair is each other's nearest, not 5th)."""
    rng = np.random.default_rng(4)
    grouped, _ = blobs(rng, 40, 8, 0.3)
    odd = unit(rng.normal(size=(5, 24)))
    pair_mate = unit(odd[4:5] + rng.normal(scale=0.05, size=(1, 24)))
    vectors = np.vstack([grouped, odd, pair_mate])
    paths = [f"img{i:04d}.jpg" for i in range(len(vectors))]
    ranking = rank_outliers(paths, nearest_neighbours(vectors, 5))
    planted = set(paths[len(grouped):])
    assert {o.path for o in ranking[:len(planted)]} == planted
    assert [o.rank for o in ranking] == list(range(1, len(paths) + 1))
    distances = [o.distance for o in ranking]
    assert distances == sorted(distances, reverse=True)
    mate = next(o for o in ranking if o.path == paths[-1])
    assert mate.nearest == paths[-2] and mate.nearest_distance < 0.05


def test_single_linkage_is_connected_components(small_blocks: None) -> None:
    vectors, _ = blobs(np.random.default_rng(5), 12, 9, 0.6)
    level = 0.8
    full = vectors @ vectors.T
    _, labels = connected_components(full >= level, directed=False)
    expected = sorted(sorted(np.flatnonzero(labels == lab).tolist()) for lab in set(labels)
                      if (labels == lab).sum() > 1)
    found = find_clusters(vectors, level, "single").clusters
    assert sorted(sorted(c.members) for c in found) == expected


@pytest.mark.parametrize("method", ["complete", "average"])
def test_linkage_matches_scipy_on_the_whole_matrix(small_blocks: None, method: str) -> None:
    vectors, _ = blobs(np.random.default_rng(6), 10, 10, 0.7)
    level = 0.75
    distance = np.clip(1.0 - (vectors @ vectors.T).astype(np.float64), 0, 2)
    np.fill_diagonal(distance, 0)
    flat = fcluster(linkage(squareform(distance, checks=False), method), 1 - level + 1e-6,
                    criterion="distance")
    expected = sorted(sorted(np.flatnonzero(flat == lab).tolist()) for lab in set(flat)
                      if (flat == lab).sum() > 1)
    found = find_clusters(vectors, level, method).clusters
    assert sorted(sorted(c.members) for c in found) == expected
    if method == "complete":
        for cluster in found:
            members = list(cluster.members)
            assert (vectors[members] @ vectors[members].T).min() >= level - 1e-6


def test_a_chain_is_one_cluster_for_single_linkage_only() -> None:
    """A ~ B ~ C with A and C unrelated: connected, but not every pair alike."""
    angles = np.radians([0, 30, 60, 180])
    vectors = unit(np.stack([np.cos(angles), np.sin(angles)], axis=1))
    level = np.cos(np.radians(35))
    assert [c.members for c in find_clusters(vectors, level, "single").clusters] == [(1, 0, 2)]
    strict = find_clusters(vectors, level, "complete").clusters
    assert [len(c.members) for c in strict] == [2]


def test_the_representative_is_the_medoid_and_comes_first() -> None:
    angles = np.radians([0, 10, 20, 31])
    vectors = unit(np.stack([np.cos(angles), np.sin(angles)], axis=1))
    (cluster,) = find_clusters(vectors, 0.8, "single").clusters
    assert cluster.representative in (1, 2) and cluster.cosines[0] == 1.0
    assert list(cluster.cosines) == sorted(cluster.cosines, reverse=True)
    assert cluster.size == 4


def test_clusters_come_largest_first_and_lone_images_are_left_out() -> None:
    rng = np.random.default_rng(7)
    big, _ = blobs(rng, 1, 6, 0.05)
    small, _ = blobs(rng, 1, 3, 0.05)
    vectors = np.vstack([small, unit(rng.normal(size=(1, 24))), big])
    found = find_clusters(vectors, 0.9).clusters
    assert [c.size for c in found] == [6, 3]


def test_a_component_too_big_for_a_matrix_is_split_stricter_with_a_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clusters_module, "MAX_LINKAGE_SIZE", 20)
    vectors, _ = blobs(np.random.default_rng(8), 6, 12, 0.35)
    level = 0.3  # everything is one component at this level
    result = find_clusters(vectors, level, "complete")
    assert result.warnings and "split at stricter levels" in result.warnings[0]
    assert sum(c.size for c in result.clusters) <= len(vectors)
    for cluster in result.clusters:
        members = list(cluster.members)
        assert (vectors[members] @ vectors[members].T).min() >= level - 1e-6


def test_bad_arguments_and_cancel() -> None:
    vectors = unit(np.random.default_rng(9).normal(size=(10, 4)))
    with pytest.raises(ValueError, match="linkage"):
        find_clusters(vectors, 0.5, "ward")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        find_clusters(vectors, 0.5, cancel=token)
    with pytest.raises(Cancelled):
        nearest_neighbours(vectors, 2, cancel=token)


@pytest.mark.parametrize("method", ["complete", "average"])
def test_cut_linkage_matches_scipy_on_many_random_sets(method: str) -> None:
    """The engine's NN-chain against scipy's linkage + fcluster, over seeds and levels."""
    for seed in range(25):
        rng = np.random.default_rng(seed)
        vectors, _ = blobs(rng, int(rng.integers(2, 6)), int(rng.integers(2, 9)), 0.8, dims=6)
        level = float(rng.uniform(0.2, 0.9))
        similarity = (vectors @ vectors.T).astype(np.float64)
        distance = np.clip(1.0 - similarity, 0, 2)
        np.fill_diagonal(distance, 0)
        flat = fcluster(linkage(squareform(distance, checks=False), method), 1 - level,
                        criterion="distance")
        expected = sorted(np.flatnonzero(flat == lab).tolist() for lab in set(flat))
        found = sorted(part.tolist() for part in cut_linkage(similarity, level, method))
        assert found == expected, (seed, level)


def test_clusters_need_no_scipy_at_run_time() -> None:
    """The packaged app leaves scipy's sparse, spatial and cluster packages out."""
    code = ("import sys, numpy as np; from dedup_gui.engine.export import report; "
            "from dedup_gui.engine.insights import library; "
            "from dedup_gui.engine.insights.clusters import find_clusters; "
            "v = np.eye(4, dtype=np.float32); find_clusters(v, 0.5, 'average'); "
            "print([m for m in sys.modules if m.startswith(('scipy.sparse', 'scipy.spatial', "
            "'scipy.cluster'))])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"
