"""Where one scan's time goes, stage by stage, without a profiler's overhead.

    python benchmarks/scan_phases.py ROOTS CACHE [--regroup | --fresh-pairs] [--no-group]

Runs pipeline.read and group_library in this process (as bench_scale's child does) on a copy
of CACHE (CACHE itself is not touched; the copy is `CACHE.phases`, removed after), and prints
when each timed step started and how long it took (wall seconds). The steps are the pipeline's
own functions, wrapped by name; one renamed since is reported missing and skipped. --regroup
drops the remembered groups first (result_memo.py), so grouping runs from the stored pairs and
outcomes as after any change; --fresh-pairs drops those too (bench_scale's full
recomputation: the comparing stage of a cold scan, from cached signals). ROOTS: folders joined
by the path separator.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

STARTED = time.perf_counter()
TIMED = {
    "dedup_gui.engine.signals.read": ("discover", "find_content_hashes", "collect_signals",
                                      "forget_missing"),
    "dedup_gui.engine.signals.collect": ("_lacking", "_copy_from_exact_twins", "_tasks",
                                         "_asking"),
    "dedup_gui.engine.pipeline": ("capture_units", "group_files_of", "compared_hashes"),
    "dedup_gui.engine.grouping.candidates": ("candidate_pairs", "_verify",
                                             "verify_components", "prefetch_edges"),
    "dedup_gui.engine.grouping.additions": ("tier_edges", "_same_units", "_scope",
                                            "_apart_as_before"),
    "dedup_gui.engine.grouping.matching": ("signal_rows", "searched"),
    "dedup_gui.engine.grouping.result_memo": ("grouping_key",),
    "dedup_gui.engine.grouping.groups": ("build_units", "unit_pairs", "tier_edges",
                                         "verified_edges", "kept_apart", "linked_clusters",
                                         "find_series", "layout", "scoped",
                                         "made_basis"),
}
METHODS = {"dedup_gui.engine.store.cache.Cache": ("content_hashes", "signals", "embeddings",
                                                  "captures"),
           "dedup_gui.engine.grouping.result_memo.ResultMemo": ("load", "save"),
           "dedup_gui.engine.grouping.basis_store.BasisStore": ("previous", "save")}


def _timed(owner: object, name: str, log: list, generator: bool = False) -> None:
    """Wrap owner.name so each call appends (name, start, seconds) to `log`."""
    inner = getattr(owner, name, None)
    if inner is None:
        print(f"(no {name} in {getattr(owner, '__name__', owner)}: not timed)")
        return

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            log.append((name, begun - STARTED, time.perf_counter() - begun))

    @functools.wraps(inner)
    def generator_wrapper(*args, **kwargs):
        begun = time.perf_counter()
        yield from inner(*args, **kwargs)
        log.append((name, begun - STARTED, time.perf_counter() - begun))
    setattr(owner, name, generator_wrapper if generator else wrapper)


def _wrap_all(log: list) -> None:
    import importlib

    for module, names in TIMED.items():
        for name in names:
            _timed(importlib.import_module(module), name, log)
    for path, names in METHODS.items():
        module, _, cls = path.rpartition(".")
        for name in names:
            _timed(getattr(importlib.import_module(module), cls), name, log)
    _timed(importlib.import_module("dedup_gui.engine.pipeline"), "map_batches", log, True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots")
    parser.add_argument("cache", type=Path)
    parser.add_argument("--regroup", action="store_true")
    parser.add_argument("--fresh-pairs", action="store_true")
    parser.add_argument("--no-group", dest="group", action="store_false")
    args = parser.parse_args(argv)
    import bench_scale

    from dedup_gui.engine import pipeline
    from dedup_gui.engine.store.cache import Cache

    log: list[tuple[str, float, float]] = []
    _wrap_all(log)
    copy = args.cache.with_name(args.cache.name + ".phases")
    bench_scale._copied(args.cache, copy)
    try:
        store = Cache(copy)
        params = pipeline.ScanParams(roots=tuple(args.roots.split(os.pathsep)))
        begun = time.perf_counter()
        library = pipeline.read(params, store)
        log.append(("READ", begun - STARTED, time.perf_counter() - begun))
        if args.group:
            if args.regroup or args.fresh_pairs:
                bench_scale._forget(store, args.fresh_pairs)
            begun = time.perf_counter()
            pipeline.group_library(library, params, store, begun, let_go=True)
            log.append(("GROUP", begun - STARTED, time.perf_counter() - begun))
        store.close()
    finally:
        bench_scale._copied(None, copy)
    print(f"{'start s':>8} {'took s':>7}  step")
    for name, start, took in sorted(log, key=lambda row: row[1]):
        print(f"{start:8.2f} {took:7.2f}  {name}")
    return 0


if __name__ == "__main__":  # the decoding workers import this module again: run once
    raise SystemExit(main())
