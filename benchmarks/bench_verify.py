"""What the verification stage costs next to a cold scan of the same folder.

    python benchmarks/bench_verify.py DIR [DIR ...] [--displacement off]

Per folder: the signal stage (a cold read, no cache), then the grouping stage alone on those
signals without and with verification (fresh decoded-picture cache). A cold scan is the read
plus the grouping; verification's share is its cost over the whole cold scan with it. Prints
the pairs each rule checked (memo entries by level), the cost per pair and a fingerprint of
the groups and their pairs' verdicts (identical across trees = identical results), and the
CPU seconds of this process and of the pool's workers (a loaded machine hides the pool's
gain in wall time; on idle cores the wall is about this process's CPU + the busiest worker's),
and the pictures verification decoded: in this process, in the workers, and how many distinct
ones (the rest are decoded again: by another worker, or a worker of a later wave).
--displacement off turns refute.DISPLACEMENT_RULE off (on by default, as in a scan). The
machine may be shared: compare numbers taken in the same minutes only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_gui.engine.evaluation.run import prepare_library, regroup
from dedup_gui.engine.grouping import refute
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache

LEVELS = {-2: "framed?", -1: "plain?", 0: "near", 1: "full", refute.PLACEMENT: "placement",
          refute.FRAMES: "frames", refute.DISPLACEMENT: "displacement"}


def fingerprint(groups: tuple) -> str:
    """The groups with every pair's tier and reason (the verdicts' notes): equal across trees
    means the same results."""
    text = repr([(sorted(f.path for f in g.files), sorted((p.a, p.b, p.tier, p.reason)
                                                           for p in g.pairs)) for g in groups])
    return hashlib.sha1(text.encode()).hexdigest()[:12]


DECODED: list[str] = []  # the pictures verification decoded in this process (or a worker)


def count_decodes() -> None:
    """picture_cache.load_image wrapped to list what it decodes in DECODED (once per process)."""
    from dedup_gui.engine.grouping import picture_cache

    real = picture_cache.load_image
    if getattr(real, "counted", False):
        return

    def counted(path: str, *args: object, **kwargs: object) -> object:
        DECODED.append(path)
        return real(path, *args, **kwargs)

    counted.counted = True  # type: ignore[attr-defined]
    picture_cache.load_image = counted


def timed_check_batch(*args: object) -> list:
    """verify_pool.check_batch in a worker, its CPU seconds and decodes appended to
    $BENCH_VERIFY_CPU."""
    from dedup_gui.engine.grouping import verify_pool

    count_decodes()
    DECODED.clear()
    started = time.process_time()
    result = verify_pool.check_batch(*args)
    with open(os.environ["BENCH_VERIFY_CPU"], "a") as out:
        out.write(f"{os.getpid()} {time.process_time() - started}\n")
        out.writelines(f"D {path}\n" for path in DECODED)
    return result


def time_verification(spent: dict[str, float]) -> None:
    """candidates._verify wrapped to add its wall and CPU seconds to spent["wall"] and
    spent["cpu"] (once per process: a second call wraps the wrapper)."""
    from dedup_gui.engine.grouping import candidates

    real = candidates._verify

    def timed(*args: object, **kwargs: object) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent["wall"] += time.perf_counter() - wall
            spent["cpu"] += time.process_time() - cpu

    candidates._verify = timed


def worker_cpu() -> tuple[float, float, list[str]]:
    """(all workers' CPU seconds, the busiest worker's, what they decoded) since the last
    call."""
    path = Path(os.environ["BENCH_VERIFY_CPU"])
    per_worker: Counter[str] = Counter()
    decoded = []
    for line in path.read_text().splitlines() if path.exists() else ():
        pid, seconds = line.split(" ", 1)
        if pid == "D":
            decoded.append(seconds)
        else:
            per_worker[pid] += float(seconds)
    path.unlink(missing_ok=True)
    return sum(per_worker.values()), max(per_worker.values(), default=0.0), decoded


def spy_on_the_pool() -> None:
    try:
        from dedup_gui.engine.grouping import verify_pool
    except ImportError:
        return  # a tree without it: verification runs in this process only
    verify_pool.check_batch = timed_check_batch


def measure(folder: Path) -> str:
    params = ScanParams(roots=(str(folder),), verify=False)
    started = time.perf_counter()
    library = prepare_library(params, Cache(None))
    read = time.perf_counter() - started
    started = time.perf_counter()
    regroup(library, params)
    plain = time.perf_counter() - started
    worker_cpu()
    count_decodes()
    DECODED.clear()
    started, cpu = time.perf_counter(), time.process_time()
    groups = regroup(library, replace(params, verify=True))
    cost = time.perf_counter() - started - plain
    cpu = time.process_time() - cpu
    workers, busiest, decoded = worker_cpu()
    verdicts = dict(library.pictures.verdicts)
    per_level = Counter(LEVELS.get(level, str(level)) for _, b, level in verdicts if b)
    pairs = sum(per_level.values())
    cold = read + plain + cost
    return (f"{folder}: read {read:.1f} s, grouping {plain:.2f} s, verification {cost:.2f} s "
            f"= {100 * cost / cold:.1f}% of a {cold:.1f} s cold scan; {pairs} pair checks "
            f"{dict(sorted(per_level.items()))}, {1000 * cost / max(pairs, 1):.1f} ms each; "
            f"results {fingerprint(groups)}; CPU: this process {cpu:.2f} s, pool workers "
            f"{workers:.2f} s (busiest {busiest:.2f} s); decodes: this process {len(DECODED)}, "
            f"workers {len(decoded)}, distinct pictures {len(set(DECODED) | set(decoded))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--displacement", choices=("on", "off"), default="on",
                        help="refute.DISPLACEMENT_RULE (on by default, as in a scan)")
    args = parser.parse_args()
    refute.DISPLACEMENT_RULE = args.displacement == "on"
    os.environ["BENCH_VERIFY_CPU"] = os.path.join(tempfile.gettempdir(),
                                                  f"bench_verify_cpu.{os.getpid()}")
    spy_on_the_pool()
    for folder in args.folders:
        print(measure(folder), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
