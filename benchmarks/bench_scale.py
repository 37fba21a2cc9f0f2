"""Scale: cold scan, warm rescan, 1,000 new files, one folder changed, on a seeded library of N
small pictures with a real library's near-copy density (scale_library.py).

    python benchmarks/bench_scale.py --images 100000 [--work /tmp/dedup-scale] [--check-model]
                                     [--verify-groups] [--json out.json] [--no-capture]
    python benchmarks/bench_scale.py --grow 500000 [--steps first,warm,new] [--verify-groups]

--grow N builds a cached library of N files from the scanned 20k one (made by --images 20000
first) without decoding them: real, distinct files and the cache rows a scan would store, with
signals synthesised so the 20k library's near-copy structure repeats (grow_library.py says
exactly how; --check-model prints the cosines of unrelated pairs inside and across replicas).
Its steps: the first scan (every pair compared and grouped from cached signals: a cold scan's
comparing stage), the warm rescan, and +1,000 new real pictures decoded for real.

Each step runs the scan (pipeline.read + pipeline.group_library, as run_scan does) in a child
process on the same cache file, and reports its time, the share of the comparing-and-grouping
stage, and the peak resident memory of the child's whole process tree (it and its decoding
workers, sampled every 0.1 s). --verify-groups also regroups from the cached signals with the
stored pairs dropped (a full recomputation) and checks the groups are identical. --check-model
compares the embedding cosines of unrelated pictures here with the dev sets' unrelated pairs.
Originals and burst frames carry camera EXIF, as a real library's do (scale_library.py); with
--no-capture the library is written without any (the worst case, and the library bench_scale
wrote before 0.6.2: every burst pair is then told apart by its pixels), in its own folder
(N-nocapture), since a library's files are generated once and kept.
--images N --steps warm,new runs those two steps on the library and cache a full run left, each
on a fresh copy of the cache (the way to alternate two builds; see on_cache). A warm rescan of
an unchanged library takes back the groups it remembers (grouping/result_memo.py); the step
`regroup` is a warm rescan with those dropped: grouped again from the stored pairs and
verification outcomes, as after any change.
Targets (issue 18): warm rescan of 100k < 6 s, 500k < 20 s; +1,000 to 500k < 30 s; comparing
and grouping <= 10 % of a cold scan; peak < 2 GB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import grow_library  # noqa: E402
import scale_library  # noqa: E402
from soak import _tree_rss  # noqa: E402

EXTRA = 1000
IMPORTED = time.perf_counter()  # about when the child process started (after the imports above)


def _forget(store, everything: bool) -> None:
    """Drop the remembered groups (result_memo.py), so the scan groups from its stored pairs
    and verification outcomes; `everything`: those too (a full recomputation)."""
    from dedup_gui.engine.grouping.pair_store import TABLE as PAIRS
    from dedup_gui.engine.grouping.result_memo import TABLE as REMEMBERED
    from dedup_gui.engine.grouping.verified_store import TABLE as VERIFIED

    for table in (REMEMBERED, VERIFIED, PAIRS) if everything else (REMEMBERED,):
        store.db.execute(f"DELETE FROM {table}") if store.db[table].exists() else None
    store.db.conn.commit()


def child(root: str, cache: str, fresh_pairs: bool, regroup: bool = False) -> None:
    """One scan, timed by stage; prints a JSON line (run in the measured child process)."""
    import numpy as np

    from dedup_gui.engine.pipeline import ScanParams, group_library, read
    from dedup_gui.engine.store.cache import Cache

    started = time.perf_counter()
    store = Cache(Path(cache))
    params = ScanParams(roots=tuple(root.split(os.pathsep)))
    library = read(params, store)
    signals = time.perf_counter()
    if fresh_pairs or regroup:  # group again, from the cached signals
        _forget(store, fresh_pairs)
    result = group_library(library, params, store, started, let_go=True)  # as run_scan
    done = time.perf_counter()
    groups = sorted(tuple(f.path for f in g.files) for g in result.groups)
    digest = hashlib.sha1(json.dumps([groups, [[(p.a, p.b, p.tier) for p in g.pairs]
                                               for g in result.groups]]).encode()).hexdigest()
    blob = next(iter(library.embeddings.values()), b"")  # float16: 2 bytes a dimension
    # The scan ends at `done`; the digest is this benchmark's own check, and the process's
    # exit (freeing the library's objects) comes after this line: the wall time counts both.
    print(json.dumps({"started_s": started - IMPORTED, "digest_s": time.perf_counter() - done,
                      "files": len(library.files), "decoded": library.decoded,
                      "signals_s": signals - started, "compare_s": done - signals,
                      "total_s": done - started, "groups": len(groups), "digest": digest,
                      "dim": len(blob) // 2,
                      "in_groups": int(np.sum([len(g) for g in groups]))}))


def measure(roots: Path | str, cache: Path, fresh_pairs: bool = False,
            regroup: bool = False) -> dict:
    """Run one scan in a child process; its result plus wall time and peak tree RSS."""
    command = [sys.executable, __file__, "--child", str(roots), str(cache)]
    command += ["--fresh-pairs"] if fresh_pairs else []
    command += ["--regroup"] if regroup else []
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak, halt = [0], threading.Event()

    def sample() -> None:
        while not halt.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    halt.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"scan failed ({process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(wall_s=time.perf_counter() - started, peak_rss_gb=peak[0] / 1e9)
    result["compare_share"] = result["compare_s"] / result["total_s"]
    return result


def library_dir(work: Path, images: int, capture: bool) -> Path:
    """Where the library of `images` files lives: with and without capture EXIF apart."""
    return work / (str(images) if capture else f"{images}-nocapture")


def prepare(work: Path, images: int, capture: bool) -> Path:
    """The library (generated once, reused), with the new and changing folders reset."""
    root = work / "library"
    started = time.perf_counter()
    scale_library.make(root, images, work.parent / "atlas.npy", capture=capture)
    shutil.rmtree(root / "new", ignore_errors=True)
    shutil.rmtree(root / "changing", ignore_errors=True)
    scale_library.make(root / "changing", 1000, work.parent / "atlas.npy", seed=7,
                       capture=capture)
    print(f"library ready: {images + 1000} files ({time.perf_counter() - started:.0f} s)")
    return root


def change_folder(folder: Path) -> None:
    """Every file of the folder re-encoded: new bytes, new mtime, slightly other signals."""
    from PIL import Image

    for path in sorted(folder.rglob("*.jpg")):
        with Image.open(path) as image:
            picture = image.convert("RGB")
        picture.save(path, quality=70)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-scale"))
    parser.add_argument("--verify-groups", action="store_true")
    parser.add_argument("--check-model", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--grow", type=int, help="files of the grown library (see above)")
    parser.add_argument("--steps", help="--grow: of first,warm,new (default all); else of "
                        "cold,warm,new,changed (default all); without cold, see on_cache "
                        "(warm, regroup, new)")
    parser.add_argument("--no-capture", dest="capture", action="store_false",
                        help="write the library without camera EXIF (worst case, see above)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--fresh-pairs", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--regroup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, args.fresh_pairs, args.regroup)
        return 0
    if args.grow:
        return grown(args)
    folder = library_dir(args.work, args.images, args.capture)
    if args.steps and "cold" not in args.steps.split(","):
        _print(on_cache(args, folder))
        return 0
    root = prepare(folder, args.images, args.capture)
    cache = args.work / f"cache-{folder.name}.sqlite3"
    cache.unlink(missing_ok=True)
    steps = {"cold scan": measure(root, cache), "warm rescan": measure(root, cache)}
    scale_library.make(root / "new", EXTRA, args.work / "atlas.npy", seed=11,
                       capture=args.capture)
    steps[f"+{EXTRA} new files"] = measure(root, cache)
    change_folder(root / "changing")
    steps["one folder changed (1,000 files)"] = measure(root, cache)
    if args.verify_groups:
        steps["full recomputation (signals cached)"] = measure(root, cache, fresh_pairs=True)
    _print(steps)
    if args.verify_groups:
        same = steps["full recomputation (signals cached)"]["digest"] == \
            steps["one folder changed (1,000 files)"]["digest"]
        print("groups identical to a full recomputation:", same)
    if args.check_model:
        from model_check import report
        report(root, cache, scale_library.plan(args.images, scale_library.SEED),
               args.work / "dev-cache.sqlite3")
    if args.json:
        args.json.write_text(json.dumps(steps, indent=1))
    return 0


def grown(args: argparse.Namespace) -> int:
    """The --grow run: grow (once), then the chosen steps on its own cache file."""
    source_dir = library_dir(args.work, 20000, args.capture)
    source = source_dir / "library"
    suffix = "" if args.capture else "-nocapture"
    target = args.work / f"grown{suffix}"
    cache = args.work / f"cache-grown{suffix}-{args.grow}.sqlite3"
    replicas = -(-args.grow // grow_library.REPLICA_FILES)
    started = time.perf_counter()
    if not cache.exists():
        grow_library.grow(source, args.work / f"cache-{source_dir.name}.sqlite3", target, cache,
                          replicas)
        print(f"grown: {replicas} replicas ({time.perf_counter() - started:.0f} s)")
    new = target / f"new-{args.grow}"
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(parents=True)
    roots = os.pathsep.join([str(target / f"r{k:02d}") for k in range(replicas)] + [str(new)])
    steps = {}
    wanted = (args.steps or "first,warm,new").split(",")
    if "first" in wanted:
        steps["first scan (all pairs, signals cached)"] = measure(roots, cache, fresh_pairs=True)
    if "warm" in wanted:
        steps["warm rescan"] = measure(roots, cache)
    if "new" in wanted:
        scale_library.make(new, EXTRA, args.work / "atlas.npy", seed=11, capture=args.capture)
        steps[f"+{EXTRA} new files"] = measure(roots, cache)
        if args.verify_groups:
            steps["full recomputation (signals cached)"] = measure(roots, cache, True)
        shutil.rmtree(new)
        new.mkdir()
    _print(steps)
    if args.verify_groups and "new" in wanted:
        print("groups identical to a full recomputation:",
              steps["full recomputation (signals cached)"]["digest"]
              == steps[f"+{EXTRA} new files"]["digest"])
    if args.check_model:
        import numpy as np

        for name, cosines in grow_library.cross_cosines(cache, replicas).items():
            levels = "  ".join(f"p{q:g} {np.percentile(cosines, q):.3f}"
                               for q in (50, 90, 99, 99.9))
            print(f"{name:42s} {levels}  >=0.62 {np.mean(cosines >= 0.62):.4%}  "
                  f">=0.76 {np.mean(cosines >= 0.76):.4%}")
    if args.json:
        args.json.write_text(json.dumps(steps, indent=1))
    return 0


def on_cache(args: argparse.Namespace, folder: Path) -> dict:
    """--steps warm,new (no cold): the steps on a library scanned before and its warm cache,
    each on a fresh copy of the cache, the new files removed after their step; so the library
    and its cache stay as they were, and two builds can be measured in turn on them. The cache
    must be warm for the build measured (stored verification outcomes are keyed by its code):
    scan it once with that build first (`bench_scale.py --child LIBRARY CACHE`)."""
    root, cache = folder / "library", args.work / f"cache-{folder.name}.sqlite3"
    if not cache.exists():
        raise SystemExit(f"{cache} is missing: run the cold step first")
    scratch, steps = args.work / "scratch.sqlite3", {}
    for number, step in enumerate(args.steps.split(","), start=1):
        _copied(cache, scratch)
        if step in ("warm", "regroup"):
            name = "warm rescan" if step == "warm" else "warm, grouped again"
            steps[f"{number}. {name}"] = measure(root, scratch, regroup=step == "regroup")
        elif step == "new":
            new = root / "new"
            shutil.rmtree(new, ignore_errors=True)
            scale_library.make(new, EXTRA, args.work / "atlas.npy", seed=11, capture=args.capture)
            try:
                steps[f"{number}. +{EXTRA} new files"] = measure(root, scratch)
            finally:
                shutil.rmtree(new, ignore_errors=True)
        else:
            raise SystemExit(f"step {step!r} changes the library: it runs after a cold step only")
    _copied(None, scratch)
    return steps


def _copied(cache: Path | None, target: Path) -> None:
    """`target` (and its WAL and shared-memory files) removed, then, given a cache, made a
    consistent copy of it (SQLite's backup: a WAL the last scan left is copied too)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    if cache is not None:
        source, copy = sqlite3.connect(cache), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()


def _print(steps: dict) -> None:
    for name, step in steps.items():
        print(f"{name:38s} {step['wall_s']:7.1f} s  (signals {step['signals_s']:.1f} s, "
              f"compare+group {step['compare_s']:.1f} s = {step['compare_share']:.0%})  "
              f"peak {step['peak_rss_gb']:.2f} GB  {step['files']} files, "
              f"{step['groups']} groups")


if __name__ == "__main__":
    sys.exit(main())
