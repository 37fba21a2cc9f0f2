"""Verification's cost inside a real cold scan (run_scan, no cache), and what it decodes.

    python benchmarks/bench_cold_verify.py DIR [DIR ...]

bench_verify.py reads the signals first and then regroups them, so its verification never
sees what a scan's signal stage hands over (the decoded pictures it keeps for verification:
engine/signals/handoff.py, where a tree has it). This runs the product's own scan, as
`dedup-gui scan DIR --no-cache` does, and times the verification step inside it
(grouping/candidates._verify), with the pictures verification decoded in this process and in
the pool's workers (bench_verify's spies). Prints the scan's wall, the verification's wall and
share, CPU seconds (this process / pool workers), decodes and the results' fingerprint. The
machine may be shared: alternate trees in the same minutes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import DECODED, count_decodes, fingerprint, spy_on_the_pool, worker_cpu

from dedup_gui.engine.grouping import candidates
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache

SPENT = {"wall": 0.0, "cpu": 0.0}


def time_verification() -> None:
    """candidates._verify wrapped to add its wall and CPU seconds to SPENT."""
    real = candidates._verify

    def timed(*args: object, **kwargs: object) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            SPENT["wall"] += time.perf_counter() - wall
            SPENT["cpu"] += time.process_time() - cpu

    candidates._verify = timed


def measure(folder: Path) -> str:
    SPENT.update(wall=0.0, cpu=0.0)
    worker_cpu()
    DECODED.clear()
    started = time.perf_counter()
    result = run_scan(ScanParams(roots=(str(folder),)), Cache(None))
    wall = time.perf_counter() - started
    workers, busiest, decoded = worker_cpu()
    return (f"{folder}: cold scan {wall:.1f} s, verification {SPENT['wall']:.2f} s "
            f"= {100 * SPENT['wall'] / wall:.1f}%; CPU: verification in this process "
            f"{SPENT['cpu']:.2f} s, pool workers {workers:.2f} s (busiest {busiest:.2f} s); "
            f"verification decodes: this process {len(DECODED)}, workers {len(decoded)}, "
            f"distinct {len(set(DECODED) | set(decoded))}; results {fingerprint(result.groups)}")


def main() -> int:
    os.environ["BENCH_VERIFY_CPU"] = os.path.join(tempfile.gettempdir(),
                                                  f"bench_verify_cpu.{os.getpid()}")
    count_decodes()
    spy_on_the_pool()
    time_verification()
    for folder in sys.argv[1:]:
        print(measure(Path(folder)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
