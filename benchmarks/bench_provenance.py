"""Cost of provenance (labels, keeper proposals and reasons) per grouped file: cold (facts read
and groups assessed, overlay tests included) and warm (one cached row per group). Cold is
timed twice, alternated: in one process (CPU seconds: steadier than wall time on a shared
machine) and on the worker pool as a scan runs it (wall seconds; provenance_pool.py).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_provenance.py SET_DIR [--work DIR]

SET_DIR holds images/. The scan's signals are cached in --work and reused; the provenance tables
are dropped from a copy of that cache before the cold run. Run it on two checkouts alternately
to compare (issue 16: labels and reasons add at most 5 % to a warm rescan).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from dedup_gui.engine.actions import provenance_pool
from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache

WARM_RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "bench_provenance")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    signals = args.work / f"{args.folder.name}-signals.db"
    cache = Cache(signals)
    try:
        groups = run_scan(ScanParams(roots=(str(args.folder / "images"),)), cache).groups
    finally:
        cache.close()
    files = sum(len(g.files) for g in groups)
    one, pool = [], []
    for _ in range(2):
        one.append(_cold(groups, signals, args.work, workers=1))
        pool.append(_cold(groups, signals, args.work, workers=None)[0])
    wall, cold = min(one)
    cache = Cache(args.work / f"{args.folder.name}-cold.db")
    try:
        warm = []
        for _ in range(WARM_RUNS):
            started = time.process_time()
            proposals_for(groups, cache)
            warm.append(time.process_time() - started)
    finally:
        cache.close()
    median = statistics.median(warm)
    print(f"{args.folder.name}: {len(groups)} groups, {files} grouped files; cold "
          f"{cold:.2f} s CPU = {1000 * cold / files:.1f} ms a grouped file in one process "
          f"({wall:.2f} s wall), {min(pool):.2f} s wall on the pool; warm median "
          f"{1000 * median:.0f} ms CPU = {1e6 * median / files:.0f} us a grouped file")


def _cold(groups: list, signals: Path, work: Path, workers: int | None) -> tuple[float, float]:
    """(wall, CPU of this process) of proposals_for on a copy of the signals cache without
    provenance tables, on `workers` processes (None: all cores)."""
    cold_db = work / f"{signals.stem.removesuffix('-signals')}-cold.db"
    shutil.copy(signals, cold_db)
    with sqlite3.connect(cold_db) as db:
        for table in ("provenance_facts", "provenance_groups"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
    saved = provenance_pool.default_workers
    if workers is not None:
        provenance_pool.default_workers = lambda: workers
    cache = Cache(cold_db)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        proposals_for(groups, cache)
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        cache.close()
        provenance_pool.default_workers = saved


if __name__ == "__main__":
    main()
