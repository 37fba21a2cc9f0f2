"""Verification's time and decodes in the first scan of a library from cached signals (the
comparing stage of a cold scan, as bench_scale.py --child ... --fresh-pairs runs it).

    python benchmarks/verify_decodes.py LIBRARY CACHE   # CACHE: a copy, it is written to

Drops the cache's stored pairs, verified components and pixel verdicts (so every pair is
compared and verified again, as in a cold scan), scans, and prints the scan's stages, the
verification's wall and CPU seconds (this process and the pool's workers) and the pictures it
decoded (this process, workers, distinct). Run a baseline tree on its own copy of the same
cache in the same minutes: the machine may be shared.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import bench_verify  # noqa: E402


def main(root: str, cache_path: str) -> int:
    from dedup_gui.engine.pipeline import ScanParams, group_library, read
    from dedup_gui.engine.store.cache import Cache

    os.environ["BENCH_VERIFY_CPU"] = os.path.join(tempfile.gettempdir(),
                                                  f"verify_decodes_cpu.{os.getpid()}")
    bench_verify.spy_on_the_pool()
    bench_verify.count_decodes()
    spent = {"wall": 0.0, "cpu": 0.0}
    bench_verify.time_verification(spent)
    started = time.perf_counter()
    store = Cache(Path(cache_path))
    params = ScanParams(roots=(root,))
    library = read(params, store)
    signals = time.perf_counter()
    for table in ("match_pairs", "verified_components", "pixel_verdicts", "grouping_results"):
        if store.db[table].exists():
            store.db.execute(f"DELETE FROM {table}")
    store.db.conn.commit()
    bench_verify.worker_cpu()
    bench_verify.DECODED.clear()
    result = group_library(library, params, store, started)
    done = time.perf_counter()
    workers, busiest, decoded = bench_verify.worker_cpu()
    parent = bench_verify.DECODED
    print(f"{len(library.files)} files, {len(result.groups)} groups, results "
          f"{bench_verify.fingerprint(result.groups)}; signals {signals - started:.1f} s, "
          f"comparing {done - signals:.1f} s, of which verification {spent['wall']:.1f} s "
          f"(CPU: this process {spent['cpu']:.1f} s, pool workers {workers:.1f} s, busiest "
          f"{busiest:.1f} s); decodes: this process {len(parent)}, workers {len(decoded)}, "
          f"distinct pictures {len(set(parent) | set(decoded))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
