"""The candidate-pair layer alone at sizes bench_scale.py cannot generate pictures for on two
cores: synthetic 320-dimension signals (random pictures, a fifth of them near copies of
another), a real cache file; the full search, a rescan with nothing new, and 1,000 new signals.

    python benchmarks/bench_pairs.py --units 200000 [--cache /tmp/pairs.sqlite3]

Reports seconds and the process's peak RSS for each step (grouping/matching.py).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dedup_gui.engine.grouping.matching import candidate_pairs  # noqa: E402
from dedup_gui.engine.grouping.pair_store import PairStore  # noqa: E402
from dedup_gui.engine.grouping.units import Unit  # noqa: E402
from dedup_gui.engine.store.cache import Cache  # noqa: E402
from dedup_gui.engine.types import GroupFile  # noqa: E402

DIM = 320


def units(count: int, seed: int) -> list[Unit]:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, DIM)).astype(np.float32)
    hashes = rng.integers(0, 2**63, size=count)
    copies = rng.random(count) < 0.2
    source = rng.integers(0, count, size=count)
    vectors[copies] = vectors[source[copies]] + 0.3 * rng.normal(size=(copies.sum(), DIM))
    hashes[copies] = hashes[source[copies]] ^ (1 << rng.integers(0, 63, size=copies.sum()))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors.astype(np.float16).astype(np.float32)  # as the cache stores them
    return [Unit((GroupFile(f"/lib/{seed}/{i:07d}.jpg", 1, 1, 64, 48, "JPEG"),),
                 int(hashes[i]), vectors[i]) for i in range(count)]


def step(name: str, library: list[Unit], cache: Path) -> None:
    started = time.perf_counter()
    found = candidate_pairs(library, 10, 8, 0.76, PairStore(Cache(cache)), hash_kind="phash")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"{name:28s} {time.perf_counter() - started:7.2f} s  {len(found.a)} pairs, "
          f"{found.searched} searched, peak RSS so far {peak:.2f} GB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dedup-bench-pairs.sqlite3"))
    args = parser.parse_args(argv)
    args.cache.unlink(missing_ok=True)
    library = units(args.units, 1)
    step("full search", library, args.cache)
    step("rescan, nothing new", library, args.cache)
    step("rescan, 1,000 new", library + units(1000, 2), args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
