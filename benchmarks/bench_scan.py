"""Scan speed: cold scan images/s next to a bare draft-decode loop, warm rescan, peak RSS.

    python benchmarks/bench_scan.py [--work /tmp/dedup-bench] [--camera 200] [--phone 1000]
                                    [--warm 10000]

Libraries are generated (seeded) from real photos by make_library.py and kept in --work between
runs. The page cache is warmed before timing (the targets say "page cache warm"). Scans run as
the real CLI in a subprocess, so times include interpreter start-up and all worker processes.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_library import DEFAULT_SOURCES, make_library, source_photos

DRAFT_SIDE = 64  # what a hashes-only scan asks the loader for (8 × hash size)


def warm_page_cache(paths: list[Path]) -> None:
    for path in paths:
        path.read_bytes()


def _bare_decode(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        image.draft("L", (DRAFT_SIDE, DRAFT_SIDE))
        image.load()
        return image.size


def bare_decode_rate(paths: list[Path], workers: int) -> float:
    """Images/s of a bare Pillow open + draft + load loop on all cores (the ceiling)."""
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        pool.map(_bare_decode, paths[:workers])  # start-up outside the timing
        start = time.perf_counter()
        pool.map(_bare_decode, paths, chunksize=8)
        return len(paths) / (time.perf_counter() - start)


def _children(pid: int) -> list[int]:
    """Every descendant of pid, read from /proc (forkserver workers are not waited-for children,
    so getrusage(RUSAGE_CHILDREN) never sees them)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_cli(folder: Path, cache: Path, embeddings: bool) -> tuple[float, float, str]:
    """(seconds, peak RSS MB summed over the CLI's whole process tree, stdout)."""
    extra = [] if embeddings else ["--no-embeddings"]
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dedup_gui", "scan", str(folder), "-q",
                                "--cache", str(cache), *extra], stdout=subprocess.PIPE,
                               text=True)
    peak = 0.0
    while process.poll() is None:
        tree = [process.pid, *_children(process.pid)]
        peak = max(peak, sum(_rss_mb(pid) for pid in tree))
        with contextlib.suppress(subprocess.TimeoutExpired):  # the end is seen at once, not
            process.wait(0.1)  # up to a sampling interval late
    seconds = time.perf_counter() - start
    out = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return seconds, peak, out.strip()


def bench_cold(folder: Path, label: str, workers: int, embeddings: bool) -> dict:
    paths = sorted(folder.glob("*.jpg"))
    warm_page_cache(paths)
    bare = bare_decode_rate(paths, workers)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, peak, out = run_cli(folder, Path(tmp) / "cache.db", embeddings)
    mode = "hashes + embeddings" if embeddings else "hashes only"
    return {"library": f"{label}, {mode}", "images": len(paths), "ours": len(paths) / seconds,
            "bare": bare, "seconds": seconds, "peak_mb": peak, "summary": out}


def bench_warm(folder: Path) -> dict:
    paths = sorted(folder.glob("*.jpg"))
    warm_page_cache(paths)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.db"
        cold, _, _ = run_cli(folder, cache, embeddings=True)
        warm, peak, out = run_cli(folder, cache, embeddings=True)
    return {"images": len(paths), "cold_s": cold, "warm_s": warm, "peak_mb": peak,
            "summary": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedup-bench")
    parser.add_argument("--camera", type=int, default=600, help="4000×3000 JPEGs")
    parser.add_argument("--phone", type=int, default=3000, help="1600×1200 JPEGs")
    parser.add_argument("--warm", type=int, default=10000, help="640×480 JPEGs for the rescan")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sources = source_photos(args.sources)
    rows = []
    for kind, count in (("camera", args.camera), ("phone", args.phone)):
        if count:
            folder = args.work / kind
            print(f"generating {count} {kind} images in {folder} …", flush=True)
            make_library(folder, count, kind, sources, seed=1234)
            for embeddings in (False, True):
                rows.append(bench_cold(folder, kind, args.workers, embeddings))
                print(rows[-1]["summary"], flush=True)
    print("\n| library | images | ours (img/s) | bare draft decode (img/s) | ours/bare | "
          "wall s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['library']} | {row['images']} | {row['ours']:.0f} | {row['bare']:.0f} | "
              f"{row['ours'] / row['bare']:.0%} | {row['seconds']:.1f} | {row['peak_mb']:.0f} |")
    if args.warm:
        folder = args.work / "small-varied"
        print(f"\ngenerating {args.warm} small images in {folder} …", flush=True)
        # Many different photos (a real library is mostly unique photos): every photo of both
        # dev sets; 34 sources alone would make 10,000 crops of 34 photos, i.e. 300-shot bursts.
        many = sorted({*sources, *source_photos(args.sources.parents[1], min_side=240)})
        make_library(folder, args.warm, "small", many, seed=99)
        warm = bench_warm(folder)
        print(f"warm rescan of {warm['images']} unchanged images: {warm['warm_s']:.2f} s "
              f"(cold scan {warm['cold_s']:.1f} s; peak RSS {warm['peak_mb']:.0f} MB)")
        print(warm["summary"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
