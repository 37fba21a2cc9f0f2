"""The all-pairs embedding search of a cold scan, alone: float32 blocks against the exact
integer-product prefilter (search/int8_prefilter.py), on a scanned library's cached vectors.

    python benchmarks/bench_search.py CACHE [--paths int8 float] [--threshold 0.759] [--limit N]
    python benchmarks/bench_search.py CACHE --stored [--paths int8]

--stored searches the cache's distinct signals instead and checks that every pair the last scan
stored at cosine >= 0.76 (found by whatever search made that cache) is found again (recall 1).

Prints, per path, wall and CPU seconds (all threads of this process), the pairs found and a
digest of them: the two paths must give the same digest. The threshold is the default lowest
tier (0.76) less the margin the scan searches with (signal_search.COSINE_MARGIN).
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_gui.engine.search.int8_prefilter import prefiltered_cosine_pairs
from dedup_gui.engine.search.similarity import cosine_pairs
from dedup_gui.engine.signals.int8_product import int8_product


def vectors(cache: Path, limit: int | None) -> np.ndarray:
    """The cached float16 embeddings, in the cache's row order (as a scan holds them)."""
    query = "SELECT vector FROM embeddings" + (f" LIMIT {int(limit)}" if limit else "")
    rows = sqlite3.connect(cache).execute(query).fetchall()
    return np.stack([np.frombuffer(r[0], np.float16) for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--paths", nargs="+", default=["int8", "float"])
    parser.add_argument("--threshold", type=float, default=0.759)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--stored", action="store_true")
    args = parser.parse_args(argv)
    truth: set[tuple[int, int]] | None = None
    if args.stored:
        from bench_index_stored import distinct_signals, stored_truth

        keys, data = distinct_signals(args.cache)
        truth = stored_truth(args.cache, keys, 0.76)
    else:
        data = vectors(args.cache, args.limit)
    print(f"{len(data)} vectors of {data.shape[1]} (float16)")
    for path in args.paths:
        wall, cpu = time.perf_counter(), time.process_time()
        if path == "int8":
            product = int8_product()
            assert product is not None, "no exact integer kernel on this machine"
            pairs, _ = prefiltered_cosine_pairs(data, args.threshold, product)
        else:
            pairs, _ = cosine_pairs(data, args.threshold)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        digest = hashlib.sha1(pairs.tobytes()).hexdigest()[:12]
        print(f"{path:5s}: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {len(pairs)} pairs, {digest}")
        if truth is not None:
            found = set(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
            print(f"       stored pairs >= 0.76: {len(truth)}, found again: "
                  f"{len(truth & found)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
