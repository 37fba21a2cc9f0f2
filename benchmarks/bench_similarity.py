"""All-pairs embedding search: time and peak RSS for N vectors (random unit vectors plus planted
near copies), with the product's blocked exact cosine.

    python benchmarks/bench_similarity.py [--n 100000] [--dims 1280] [--min-cosine 0.62]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

from dedup_gui.engine.search.similarity import cosine_pairs


def library(n: int, dims: int, seed: int) -> np.ndarray:
    """Unit vectors; 1% are near copies (cosine ~0.9) of another vector."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dims)).astype(np.float32)
    copies = rng.choice(n, size=n // 100, replace=False)
    vectors[copies] = vectors[(copies + 1) % n] + 0.45 * rng.normal(size=(len(copies), dims))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=1280)
    parser.add_argument("--min-cosine", type=float, default=0.62)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    vectors = library(args.n, args.dims, args.seed)
    start = time.perf_counter()
    pairs, _ = cosine_pairs(vectors, args.min_cosine)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {args.n} | {args.dims} | {seconds:.1f} s | {len(pairs)} pairs | {peak:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
