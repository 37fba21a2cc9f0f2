"""Report speed: `dedup-gui report` on 10,000 images, cold and then with a warm cache.

    python benchmarks/bench_report.py [--work /tmp/dedup-bench] [--count 10000]

The library is bench_scan.py's "small-varied" one (640×480 crops of every dev-set photo, seeded:
the same files, shared with bench_scan when --work is the same). The first report fills the
cache (embeddings, quality measures); the second is the target: 10,000 cached images in < 30 s.
Both run the real CLI in a subprocess, start-up included. On a machine shared with other work
the times are noisy: run it twice and take the lower.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_library import DEFAULT_SOURCES, make_library, source_photos


def run_report(folder: Path, cache: Path, out: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dedup_gui", "report", str(folder), "--out",
                           str(out), "--cache", str(cache), "-q"],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedup-bench")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    args = parser.parse_args(argv)
    folder = args.work / "small-varied"
    sources = source_photos(args.sources)
    many = sorted({*sources, *source_photos(args.sources.parents[1], min_side=240)})
    print(f"generating {args.count} small images in {folder} …", flush=True)
    paths = make_library(folder, args.count, "small", many, seed=99)
    for path in paths:  # page cache warm, as for the scan benchmarks
        path.read_bytes()
    cache = args.work / "report-cache.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for label in ("cold" if not cache.exists() else "warm", "warm", "warm"):
            out = Path(tmp) / f"report-{len(runs)}"
            seconds, summary = run_report(folder, cache, out)
            files, size = folder_size(out)
            runs.append((label, seconds))
            print(f"{label}: {seconds:.1f} s · report {files} files, {size / 1e6:.1f} MB\n"
                  f"  {summary.splitlines()[0]}", flush=True)
    best_warm = min(s for label, s in runs if label == "warm")
    print(f"\n{args.count} images: warm-cache report {best_warm:.1f} s (best of "
          f"{sum(1 for label, _ in runs if label == 'warm')}); target < 30 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
