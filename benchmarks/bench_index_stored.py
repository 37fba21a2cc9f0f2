"""Would an approximate index earn its place for a cold scan of 500k? faiss IVF-flat range
search on the distinct signals of a scanned library, its recall measured against the pairs the
exact search stored in the same cache (grouping/pair_store.py: every pair with cosine >= the
lowest counted tier, 0.76 for the default tiers), so no second exact search is needed.

    pip install --target /tmp/faiss-pkgs faiss-cpu   # not a dependency: measurement only
    PYTHONPATH=.:/tmp/faiss-pkgs python benchmarks/bench_index_stored.py CACHE [--lists 1024]
        [--nprobe 8 16 32]

The cache must hold a scan's stored pairs (bench_scale.py --grow N --steps first).
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

from dedup_gui.engine.grouping.fingerprints import fingerprints, hash_words  # noqa: E402
from dedup_gui.engine.grouping.pair_store import PairStore  # noqa: E402
from dedup_gui.engine.grouping.units import Unit  # noqa: E402
from dedup_gui.engine.store.cache import Cache  # noqa: E402


def distinct_signals(cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """Sorted fingerprints of the cached (phash, embedding) signals and their float32 rows."""
    db = sqlite3.connect(cache)
    rows = db.execute("SELECT s.phash, e.vector FROM signals s JOIN embeddings e "
                      "ON s.path = e.path").fetchall()
    units = [Unit((), int.from_bytes(h, "big"), np.frombuffer(v, np.float16)) for h, v in rows]
    keys, first = np.unique(fingerprints(units, hash_words(units, 8))[0], return_index=True)
    data = np.stack([units[i].embedding for i in first.tolist()]).astype(np.float32)
    return keys, data


def stored_truth(cache: Path, keys: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """The pairs the cache's last scan stored at cosine >= threshold, as rows of `keys`."""
    from dedup_gui.engine.grouping.pair_store import _array

    raw = PairStore(Cache(cache))._rows()  # whatever stamp: the pairs of the last scan
    known, a, b, cosine = (_array(raw[n]) for n in ("known", "a", "b", "cosine"))
    row = np.searchsorted(keys, known)
    assert np.array_equal(keys[row], known), "stored pairs are not of these signals"
    wanted = cosine >= threshold
    return set(zip(row[a[wanted]].tolist(), row[b[wanted]].tolist(), strict=True))


def main(argv: list[str] | None = None) -> int:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--threshold", type=float, default=0.76)
    parser.add_argument("--lists", type=int, default=1024)
    parser.add_argument("--nprobe", type=int, nargs="+", default=[8, 16, 32])
    args = parser.parse_args(argv)
    keys, data = distinct_signals(args.cache)
    truth = stored_truth(args.cache, keys, args.threshold)
    print(f"{len(data)} distinct signals, {len(truth)} stored pairs >= {args.threshold}")
    faiss.omp_set_num_threads(2)
    started = time.perf_counter()
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(data.shape[1]), data.shape[1], args.lists,
                               faiss.METRIC_INNER_PRODUCT)
    index.train(data)
    index.add(data)
    print(f"IVF with {args.lists} lists built in {time.perf_counter() - started:.1f} s")
    for nprobe in args.nprobe:
        index.nprobe = nprobe
        started = time.perf_counter()
        limits, _, found = index.range_search(data, args.threshold - 1e-3)
        rows = np.repeat(np.arange(len(data)), np.diff(limits.astype(np.int64)))
        keep = rows < found
        pairs = set(zip(rows[keep].tolist(), found[keep].tolist(), strict=True))
        print(f"  nprobe {nprobe:3d}: {time.perf_counter() - started:.1f} s, recall "
              f"{len(pairs & truth) / max(1, len(truth)):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
