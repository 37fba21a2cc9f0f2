"""How right bench_scale's comparing stage is, against the library's own plan: its duplicate
pairs (a copy or re-save is its original's exposure, every other file its own) and its
similar-shot series (each should hold the frames of one burst, with their copies).

    python benchmarks/scale_truth.py [--work /tmp/dedup-scale] [--images 20000] [--no-capture]
                                     [--in-process] [--crowd N] [--waves]

Runs the comparing stage from the signals bench_scale cached for that library (a copy of the
cache with its stored pairs and verdicts dropped, so every pair is searched and verified
again) and prints its time, pair precision and recall, and the series that hold one burst only.
--in-process checks every pair in this process (no verification pool): the checks' own CPU,
which the pool's waves and scheduling can hide in the pooled stage's wall time. --crowd N
sets refute.CROWD (the "edited copy" candidates beyond which a picture's pairs are not checked)
for this run. --waves times the verification pool's dry runs (verify_waves.DryRun: one a
wave, in the parent) and prints their count, their time and the checks they found.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import scale_library  # noqa: E402
from bench_scale import library_dir  # noqa: E402

from dedup_gui.engine.signals.capture import SERIES_SPAN_S, far_apart  # noqa: E402

DROPPED = ("pixel_verdicts", "verified_components", "match_pairs", "shot_scores",
           "grouping_results")


def fresh_copy(cache: Path, target: Path) -> None:
    """`cache` copied (SQLite's backup: consistent with its WAL) without stored outcomes."""
    with sqlite3.connect(cache) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
        for table in DROPPED:
            copy.execute(f"DROP TABLE IF EXISTS {table}")


def exposures(planned: list) -> tuple[dict[str, int], dict[str, int | None]]:
    """Per file name: its exposure (a copy's or re-save's original), and its burst (a frame's
    first frame, a copy's of its original's), None outside bursts."""
    exposure, burst = {}, {}
    for item in planned:
        exposure[f"img{item.index:06d}.jpg"] = item.of if item.kind in ("copy", "resave") \
            else item.index
        burst[f"img{item.index:06d}.jpg"] = item.of if item.kind == "frame" else None
    for item in planned:
        if item.kind in ("copy", "resave"):
            burst[f"img{item.index:06d}.jpg"] = burst[f"img{item.of:06d}.jpg"]
    return exposure, burst


def _far_apart_inside(files: tuple) -> bool:
    """Whether a series holds two files whose captures are far apart (not one series)."""
    dated = [f.capture for f in files if f.capture is not None]
    return any(far_apart(a, b) for i, a in enumerate(dated) for b in dated[i + 1:])


def main(argv: list[str] | None = None) -> int:
    from dedup_gui.engine.pipeline import ScanParams, group_library, read
    from dedup_gui.engine.store.cache import Cache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-scale"))
    parser.add_argument("--images", type=int, default=20_000)
    parser.add_argument("--no-capture", dest="capture", action="store_false")
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--crowd", type=int)
    parser.add_argument("--waves", action="store_true")
    args = parser.parse_args(argv)
    waves = _timed_waves() if args.waves else []
    if args.crowd is not None:
        from dedup_gui.engine.grouping import refute

        refute.CROWD = args.crowd
    if args.in_process:
        from dedup_gui.engine.grouping import candidates

        candidates.prefetch_edges = lambda *_, **__: None  # the walk checks every pair itself
    folder = library_dir(args.work, args.images, args.capture)
    cache = args.work / f"cache-{folder.name}.sqlite3"
    planned = scale_library.plan(args.images, scale_library.SEED)
    exposure, burst = exposures(planned)
    roots = tuple(sorted(str(d) for d in (folder / "library").glob("f[0-9]*")))
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "cache.sqlite3"
        fresh_copy(cache, copy)
        params = ScanParams(roots=roots)
        store = Cache(copy)
        library = read(params, store)
        started = time.perf_counter()
        result = group_library(library, params, store, started, let_go=True)  # as run_scan
        spent = time.perf_counter() - started
        store.close()
    true = false = 0
    for group in result.groups:
        for x, y in itertools.combinations(group.files, 2):
            same = exposure[Path(x.path).name] == exposure[Path(y.path).name]
            true, false = true + same, false + (not same)
    per_exposure: dict[int, int] = {}
    for value in exposure.values():
        per_exposure[value] = per_exposure.get(value, 0) + 1
    wanted = sum(n * (n - 1) // 2 for n in per_exposure.values())
    pure = sum(1 for s in result.series
               if len({burst[Path(f.path).name] for f in s.files} - {None}) == 1
               and all(burst[Path(f.path).name] is not None for f in s.files))
    bursts = len({b for b in burst.values() if b is not None})
    spread = sum(1 for s in result.series if _far_apart_inside(s.files))
    print(f"comparing stage {spent:.1f} s; {len(result.groups)} groups")
    print(f"duplicate pairs: {true} true, {false} false: precision "
          f"{true / max(1, true + false):.4f}, recall {true / max(1, wanted):.4f} of {wanted}")
    print(f"series: {len(result.series)}, {pure} holding one burst's frames only "
          f"({bursts} bursts in the library); {spread} holding two captures more than "
          f"{SERIES_SPAN_S // 60} minutes apart")
    if args.waves:
        _print_waves(waves)
    return 0


def _timed_waves() -> list[tuple[float, float, int]]:
    """(start, seconds, checks found) of every dry run from now on."""
    from dedup_gui.engine.grouping import verify_waves

    timed: list[tuple[float, float, int]] = []
    walk = verify_waves.DryRun.__call__

    def call(self: verify_waves.DryRun, memo: verify_waves.Memo) -> list:
        started = time.perf_counter()
        found = walk(self, memo)
        timed.append((started, time.perf_counter() - started, len(found)))
        return found

    verify_waves.DryRun.__call__ = call
    return timed


def _print_waves(waves: list[tuple[float, float, int]]) -> None:
    """The dry runs' count and time, and the tail of waves of a few checks each: how long it
    lasted (the workers then check one pair or two at a time)."""
    if not waves:
        print("dry runs: none (the walk checked every pair itself)")
        return
    tail = len(waves)
    while tail > 0 and waves[tail - 1][2] <= 2:
        tail -= 1
    span = waves[-1][0] - waves[tail][0] if tail < len(waves) else 0.0
    print(f"dry runs: {len(waves)}, {sum(t for _, t, _ in waves):.1f} s in the parent; checks "
          f"found by each: {[n for *_, n in waves[:6]]} ... {[n for *_, n in waves[-4:]]}; "
          f"the last {len(waves) - tail} found 2 or fewer each, over {span:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
