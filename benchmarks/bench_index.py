"""Would an approximate index earn its place? faiss IVF-flat range search (exact inner products
within the probed lists, so every pair it returns carries its exact cosine) against the exact
blocked all-pairs search, on the embeddings a scan left in a cache file: time, and recall of
every pair above each threshold.

    pip install --target /tmp/faiss-pkgs faiss-cpu   # not a dependency: measurement only
    PYTHONPATH=.:/tmp/faiss-pkgs python benchmarks/bench_index.py CACHE [--nprobe 4 8 16 32]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dedup_gui.engine.search.similarity import cosine_pairs  # noqa: E402


def vectors(cache: Path) -> np.ndarray:
    """Every embedding in the cache, L2-normalised (float16 as stored)."""
    rows = sqlite3.connect(cache).execute("SELECT vector FROM embeddings").fetchall()
    array = np.stack([np.frombuffer(blob, np.float16).astype(np.float32) for (blob,) in rows])
    return np.ascontiguousarray(array / np.linalg.norm(array, axis=1, keepdims=True))


def ivf_pairs(index, data: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    limits, _, found = index.range_search(data, threshold)
    rows = np.repeat(np.arange(len(data)), np.diff(limits.astype(np.int64)))
    return {(min(a, b), max(a, b)) for a, b in zip(rows.tolist(), found.tolist(), strict=True)
            if a != b}


def main(argv: list[str] | None = None) -> int:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.76, 0.62])
    parser.add_argument("--nprobe", type=int, nargs="+", default=[4, 8, 16, 32])
    args = parser.parse_args(argv)
    data = vectors(args.cache)
    faiss.omp_set_num_threads(2)
    started = time.perf_counter()
    lists = int(4 * np.sqrt(len(data)))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(data.shape[1]), data.shape[1], lists,
                               faiss.METRIC_INNER_PRODUCT)
    index.train(data)
    index.add(data)
    print(f"{len(data)} embeddings; IVF with {lists} lists built in "
          f"{time.perf_counter() - started:.1f} s")
    for threshold in args.thresholds:
        started = time.perf_counter()
        exact, _ = cosine_pairs(data, threshold)
        truth = set(map(tuple, exact.tolist()))
        print(f"cosine >= {threshold}: exact {time.perf_counter() - started:.1f} s, "
              f"{len(truth)} pairs")
        for nprobe in args.nprobe:
            index.nprobe = nprobe
            started = time.perf_counter()
            found = ivf_pairs(index, data, threshold)
            print(f"  nprobe {nprobe:3d}: {time.perf_counter() - started:.1f} s, recall "
                  f"{len(found & truth) / max(1, len(truth)):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
