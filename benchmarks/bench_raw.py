"""A RAW-heavy library: scan rate next to the same library's JPEG-only scan, and peak RSS per
worker process (issue 14's targets: within 1.5x of the JPEG-only rate, < 300 MB per worker).

    python benchmarks/bench_raw.py [--work /tmp/dedup-bench-raw] [--count 200] [--preview 1620]

Each shot is a 24 MP (6000×4000) render of a real photo (make_library.render), written as a DNG
(pidng, 16-bit uncompressed CFA, ~48 MB, with an embedded JPEG preview of --preview px on the
long side, as Nikon and Sony write; Canon embeds a full-size one: --preview 6000) and as its JPEG
export. Three folders share the files (hard links): JPEG only, DNG only, DNG + JPEG. Scans run
as the real CLI (hashes and embeddings, fresh cache) with the page cache warm; RSS is sampled
from /proc every 0.1 s for every process of the CLI's tree.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from bench_scan import _children, _rss_mb, warm_page_cache  # noqa: E402
from make_library import DEFAULT_SOURCES, render, source_photos  # noqa: E402

from tests.raws import write_dng  # noqa: E402

SENSOR = (6000, 4000)
FOLDERS = ("jpeg", "dng", "both")


def generate(work: Path, count: int, preview_side: int, sources: list[Path]) -> None:
    """Write the shots once (kept between runs; existing files are not redone)."""
    for name in FOLDERS:
        (work / name).mkdir(parents=True, exist_ok=True)
    rng = random.Random(14)
    for index in range(count):
        source, sub_seed = sources[rng.randrange(len(sources))], rng.getrandbits(64)
        dng, jpeg = work / "dng" / f"IMG_{index:04d}.DNG", work / "jpeg" / f"IMG_{index:04d}.JPG"
        if not (dng.exists() and jpeg.exists()):
            with Image.open(source) as image:
                shot = render(image.convert("RGB"), SENSOR, random.Random(sub_seed))
            preview = shot.resize((preview_side, preview_side * 2 // 3), Image.Resampling.BOX)
            write_dng(dng, shot, preview=preview, taken="2024:06:01 12:00:00")
            shot.save(jpeg, quality=90)
        for made in (dng, jpeg):
            link = work / "both" / made.name
            if not link.exists():
                os.link(made, link)


def run_cli(folder: Path, cache: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS MB of the main process, peak RSS MB of any one other process)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dedup_gui", "scan", str(folder), "-q",
                                "--cache", str(cache)], stdout=subprocess.DEVNULL)
    main_peak = worker_peak = 0.0
    while process.poll() is None:
        main_peak = max(main_peak, _rss_mb(process.pid))
        worker_peak = max([worker_peak, *(_rss_mb(pid) for pid in _children(process.pid))])
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.1)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return seconds, main_peak, worker_peak


def bench(folder: Path) -> dict:
    files = sorted(folder.iterdir())
    warm_page_cache(files)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, main_peak, worker_peak = run_cli(folder, Path(tmp) / "cache.db")
    return {"folder": folder.name, "files": len(files), "rate": len(files) / seconds,
            "seconds": seconds, "main_mb": main_peak, "worker_mb": worker_peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "dedup-bench-raw")
    parser.add_argument("--count", type=int, default=200, help="shots (DNG + JPEG each)")
    parser.add_argument("--preview", type=int, default=1620, help="preview long side, px")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--rounds", type=int, default=2, help="runs per folder, interleaved")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.work, args.count, args.preview, source_photos(args.sources))
    print(f"library ready in {time.perf_counter() - started:.0f} s: {args.count} shots")
    results: dict[str, list[dict]] = {name: [] for name in FOLDERS}
    for _ in range(args.rounds):  # interleaved: a shared machine's load hits all alike
        for name in FOLDERS:
            results[name].append(bench(args.work / name))
    print("| folder | files | best files/s | seconds | peak RSS main MB | peak RSS worker MB |")
    print("|---|---|---|---|---|---|")
    for name, runs in results.items():
        best = max(runs, key=lambda r: r["rate"])
        print(f"| {name} | {best['files']} | {best['rate']:.1f} | {best['seconds']:.1f} | "
              f"{max(r['main_mb'] for r in runs):.0f} | {max(r['worker_mb'] for r in runs):.0f} |")
    rate = {name: max(r["rate"] for r in runs) for name, runs in results.items()}
    for name in ("dng", "both"):
        print(f"JPEG-only rate / {name} rate: {rate['jpeg'] / rate[name]:.2f}x (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
