"""Verification's cost inside a real cold scan (run_scan, no cache), and what it decodes.

    python benchmarks/bench_cold_verify.py [--budget MB] DIR [DIR ...]

bench_verify.py reads the signals first and then regroups them, so its verification never
sees what a scan's signal stage hands over (the decoded pictures it keeps for verification:
engine/signals/handoff.py, where a tree has it). This runs the product's own scan, as
`dedup-gui scan DIR --no-cache` does, and times the verification step inside it
(grouping/candidates._verify), with the pictures verification decoded in this process and in
the pool's workers (bench_verify's spies). Prints the scan's wall, the verification's wall and
share, CPU seconds (the scan's: this process and the signal workers' batches; verification's:
this process and the pool's workers), decodes, the results' fingerprint and this process's
peak memory. The machine may be shared: alternate trees in the same minutes, and compare CPU
seconds, which load blurs less.
--budget sets handoff.BUDGET (0: no hand-off, as before it; a tree without it ignores it).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import (
    DECODED,
    count_decodes,
    fingerprint,
    spy_on_the_pool,
    time_verification,
    worker_cpu,
)

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.signals import batch, collect
from dedup_gui.engine.store.cache import Cache

SPENT = {"wall": 0.0, "cpu": 0.0}


def timed_compute_batch(*args: object) -> list:
    """batch.compute_batch in a signal worker, its CPU seconds appended to $BENCH_SIGNALS_CPU."""
    started = time.process_time()
    result = batch.compute_batch(*args)
    with open(os.environ["BENCH_SIGNALS_CPU"], "a") as out:
        out.write(f"{time.process_time() - started}\n")
    return result


def signal_cpu() -> float:
    """The signal workers' CPU seconds since the last call."""
    path = Path(os.environ["BENCH_SIGNALS_CPU"])
    seconds = sum(map(float, path.read_text().split())) if path.exists() else 0.0
    path.unlink(missing_ok=True)
    return seconds


def measure(folder: Path) -> str:
    SPENT.update(wall=0.0, cpu=0.0)
    worker_cpu()
    signal_cpu()
    DECODED.clear()
    started, cpu = time.perf_counter(), time.process_time()
    result = run_scan(ScanParams(roots=(str(folder),)), Cache(None))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers, busiest, decoded = worker_cpu()
    return (f"{folder}: cold scan {wall:.1f} s (CPU: this process {cpu:.2f} s, signal "
            f"workers {signal_cpu():.2f} s), verification {SPENT['wall']:.2f} s "
            f"= {100 * SPENT['wall'] / wall:.1f}%; CPU: verification in this process "
            f"{SPENT['cpu']:.2f} s, pool workers {workers:.2f} s (busiest {busiest:.2f} s); "
            f"verification decodes: this process {len(DECODED)}, workers {len(decoded)}, "
            f"distinct {len(set(DECODED) | set(decoded))}; results {fingerprint(result.groups)}; "
            f"this process's peak RSS so far {peak_mb():.0f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    for name in ("BENCH_VERIFY_CPU", "BENCH_SIGNALS_CPU"):
        os.environ[name] = os.path.join(tempfile.gettempdir(), f"{name.lower()}.{os.getpid()}")
    collect.compute_batch = timed_compute_batch
    count_decodes()
    spy_on_the_pool()
    time_verification(SPENT)
    folders = sys.argv[1:]
    if folders[:1] == ["--budget"]:
        try:
            from dedup_gui.engine.signals import handoff
        except ImportError:
            pass
        else:
            handoff.BUDGET = int(float(folders[1]) * 2**20)
        folders = folders[2:]
    for folder in folders:
        print(measure(Path(folder)), flush=True)
    return 0


if __name__ == "__main__":
    import bench_cold_verify  # the spies by this module's name, so the workers find them

    raise SystemExit(bench_cold_verify.main())
