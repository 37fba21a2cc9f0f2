"""Would a graph index (HNSW) earn its place for a cold scan of 500k? usearch's HNSW on int8
vectors, k nearest of every vector re-ranked by the exact cosine, against the product's own
exact search (int8 prefilter + float recheck) on the same vectors in the same run.

    pip install --target /tmp/annpkgs usearch numkong tqdm   # not a dependency: measurement only
    PYTHONPATH=/tmp/annpkgs python benchmarks/bench_hnsw.py CACHE [--replicas 25]
        [--connectivity 16] [--expansion-add 64] [--expansion-search 48 96] [--k 16]

CACHE: a scanned bench_scale library's cache (--images 20000). Its embeddings are repeated
`--replicas` times through grow_library.rotation, exactly as bench_scale --grow makes the
grown library's (cosines inside a replica are the source's, across replicas unrelated), so the
vectors are the grown 500k library's without writing its files. A pair is found when either
vector has the other among its k nearest and their cosine reaches --threshold (0.76, the
default tiers' lowest); recall is over every pair the exact search finds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import grow_library  # noqa: E402

from dedup_gui.engine.search.int8_prefilter import prefiltered_cosine_pairs  # noqa: E402
from dedup_gui.engine.signals.int8_product import int8_product  # noqa: E402


def grown_vectors(cache: Path, replicas: int, seed: int = 18) -> np.ndarray:
    """The cache's embeddings, unit length, repeated through one rotation per replica."""
    rows = sqlite3.connect(cache).execute("SELECT vector FROM embeddings ORDER BY path")
    source = np.stack([np.frombuffer(v, np.float16) for (v,) in rows]).astype(np.float64)
    mean = source.mean(axis=0)
    rng = np.random.default_rng(seed)
    parts = [(source @ grow_library.rotation(source.shape[1], mean, rng).T).astype(np.float16)
             for _ in range(replicas)]
    vectors = np.concatenate(parts).astype(np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def exact_pairs(vectors: np.ndarray, threshold: float) -> tuple[np.ndarray, float]:
    """The product's exact search: pair codes i * n + j (i < j) and its wall seconds."""
    begun = time.perf_counter()
    product = int8_product()
    if product is None:
        raise SystemExit("onnxruntime's integer kernel is not exact here; nothing to compare")
    pairs, _ = prefiltered_cosine_pairs(vectors.astype(np.float16), threshold, product)
    return pairs[:, 0] * len(vectors) + pairs[:, 1], time.perf_counter() - begun


def hnsw_pairs(vectors: np.ndarray, threshold: float, connectivity: int, expansion_add: int,
               expansion_search: int, k: int) -> tuple[np.ndarray, float, float]:
    """Pair codes found through usearch's HNSW (see the module note), build and search
    seconds."""
    from usearch.index import Index

    begun = time.perf_counter()
    index = Index(ndim=vectors.shape[1], metric="cos", dtype="i8", connectivity=connectivity,
                  expansion_add=expansion_add, expansion_search=expansion_search)
    index.add(np.arange(len(vectors)), vectors, threads=2)
    built = time.perf_counter()
    found = index.search(vectors, k, threads=2).keys.astype(np.int64)
    searched = time.perf_counter()
    query = np.repeat(np.arange(len(vectors)), k)
    other = found.reshape(-1)
    valid = (other >= 0) & (other < len(vectors)) & (other != query)
    query, other = query[valid], other[valid]
    close = np.einsum("ij,ij->i", vectors[query], vectors[other]) >= threshold
    low, high = np.minimum(query[close], other[close]), np.maximum(query[close], other[close])
    return np.unique(low * len(vectors) + high), built - begun, searched - built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--replicas", type=int, default=25)
    parser.add_argument("--threshold", type=float, default=0.76)
    parser.add_argument("--connectivity", type=int, default=16)
    parser.add_argument("--expansion-add", type=int, default=64)
    parser.add_argument("--expansion-search", type=int, nargs="+", default=[48])
    parser.add_argument("--k", type=int, default=16)
    args = parser.parse_args()
    vectors = grown_vectors(args.cache, args.replicas)
    truth, exact_s = exact_pairs(vectors, args.threshold)
    print(f"{len(vectors):,} vectors; exact search {exact_s:.1f} s, {len(truth):,} pairs "
          f">= {args.threshold}", flush=True)
    for search in args.expansion_search:
        found, build_s, search_s = hnsw_pairs(vectors, args.threshold, args.connectivity,
                                              args.expansion_add, search, args.k)
        recall = np.isin(truth, found).mean() if len(truth) else 1.0
        print(f"HNSW M={args.connectivity} ef_add={args.expansion_add} ef={search} k={args.k}: "
              f"build {build_s:.1f} s + search {search_s:.1f} s = {build_s + search_s:.1f} s, "
              f"recall {recall:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
