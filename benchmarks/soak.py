"""Soak: the real app, offscreen, scans a generated library of 50,000 small photos, is cancelled
part-way, scans again to the end, then scans a third time from the warm cache.

    python benchmarks/soak.py [--images 50000] [--work /tmp/dedup-soak] [--hashes-only]
                              [--cancel-at 0.3] [--json out.json]

Reports (targets from issue 7):
  - peak memory of the whole app: its own process plus every child (the engine process and its
    workers), sampled every 0.2 s as the sum of their resident sets (target < 1.5 GB);
  - UI event-loop latency: a 10 ms QTimer on the UI thread; the worst lateness is the longest
    time the UI was blocked (target: never over 100 ms);
  - that the full scan and the warm rescan give identical groups.

The library (in --work/library, reused when present) is seeded, 320×240 JPEGs in folders of
1,000: small random windows of the real photos in ../shared/datasets (or --sources), so the
embedding model sees different pictures too; without sources (`--sources` with no folder),
random synthetic pictures (fine for --hashes-only; the model finds them all alike). One image in
ten is an exact copy of an earlier one and one in ten a re-encoding at a lower quality, which
gives groups to find. Files are written by all cores. Cache, settings and Trash live in --work:
the person's own are never used.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

SIZE = (320, 240)
PER_FOLDER = 1000
DATASETS = HERE.parents[1] / "shared" / "datasets"
SOURCE_SUFFIXES = {".jpg", ".jpeg", ".png"}
RSS_TARGET = 1.5e9
LATENCY_TARGET_MS = 100.0


# -- the library ----------------------------------------------------------------------------
def source_photos(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*")
                  if p.suffix.lower() in SOURCE_SUFFIXES)


def _path(root: Path, index: int) -> Path:
    return root / f"folder{index // PER_FOLDER:03d}" / f"img{index:06d}.jpg"


def _kind(index: int) -> str:
    """One image in ten is an exact copy of an earlier one, one in ten a re-encoding."""
    if index and index % 10 == 3:
        return "copy"
    return "resaved" if index and index % 10 == 7 else "original"


def _synthetic(seed: int) -> Image.Image:
    """Random 8×6 colours, smoothly enlarged, plus sensor noise: distinct perceptual hashes
    (but all alike to the embedding model: use real sources for scans with embeddings)."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8))
    big = np.asarray(small.resize(SIZE, Image.Resampling.BICUBIC), dtype=np.int16)
    return Image.fromarray(np.clip(big + rng.integers(-6, 7, big.shape), 0, 255)
                           .astype(np.uint8))


def _crop(source: Image.Image, seed: int) -> Image.Image:
    """A small random window (12-30 % of the width) of a real photo, enlarged to SIZE: windows
    of one photo mostly show different things, so they are different pictures to the model too
    (overlapping ones are found as crops of each other: the library has some large groups)."""
    rng = random.Random(seed)
    w, h = source.size
    cw = int(w * rng.uniform(0.12, 0.3))
    ch = min(h - 1, int(cw * SIZE[1] / SIZE[0]))
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return source.resize(SIZE, Image.Resampling.BILINEAR, box=(x, y, x + cw, y + ch))


def _write_originals(root: Path, indexes: list[int], source: Path | None) -> int:
    """Write the original pictures among `indexes` (all from one source photo, decoded once)."""
    todo = [i for i in indexes if _kind(i) == "original" and not _path(root, i).exists()]
    if not todo:
        return 0
    base = None
    if source is not None:
        with Image.open(source) as image:
            image.draft("RGB", (1200, 1200))
            base = image.convert("RGB")
    for index in todo:
        picture = _synthetic(index) if base is None else _crop(base, index)
        _path(root, index).parent.mkdir(parents=True, exist_ok=True)
        picture.save(_path(root, index), quality=88)
    return len(todo)


def _write_copies(root: Path, indexes: list[int]) -> int:
    """Exact copies and re-encodings of earlier originals (written in the first pass)."""
    for index in indexes:
        kind, target = _kind(index), _path(root, index)
        if kind == "original" or target.exists():
            continue
        source = index - 3 if kind == "copy" else index - 7  # an original of the first pass
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "copy":
            shutil.copyfile(_path(root, source), target)
        else:
            with Image.open(_path(root, source)) as image:
                image.save(target, quality=60)
    return len(indexes)


def make_library(root: Path, count: int, sources: list[Path]) -> float:
    """Write the library with every core; returns seconds taken."""
    started = time.perf_counter()
    by_source: dict[int, list[int]] = {}
    for index in range(count):
        by_source.setdefault(index % max(1, len(sources)), []).append(index)
    chunks = [list(range(i, min(count, i + 2000))) for i in range(0, count, 2000)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_originals, [root] * len(by_source), list(by_source.values()),
                      [sources[s] if sources else None for s in by_source]))
        list(pool.map(_write_copies, [root] * len(chunks), chunks))
    return time.perf_counter() - started


# -- memory of the whole process tree --------------------------------------------------------
def _tree_rss(root_pid: int) -> int:
    """Resident bytes of `root_pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))  # ppid -> pid
        rss[int(entry)] = int(fields[21]) * page
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class MemorySampler(threading.Thread):
    """Samples the process tree's RSS every `interval` seconds; `peak` is the largest sum."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True, name="soak memory sampler")
        self.interval = interval
        self.peak = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.peak = max(self.peak, _tree_rss(os.getpid()))

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


# -- the app ---------------------------------------------------------------------------------
def _groups(window) -> list[tuple[str, ...]]:
    return sorted(tuple(f.path for f in g.files) for g in window.state.groups)


def _scan(app, window, cancel_at: float | None = None) -> dict[str, object]:
    """One scan through the window; with `cancel_at`, cancel once that share of the images has
    been read. Returns seconds, whether it was cancelled, and the groups."""
    from dedup_gui.engine.progress import STAGE_SIGNALS

    seen: list[float] = []

    def on_progress(info) -> None:  # a throttle.ProgressInfo, on the UI thread
        if info.stage == STAGE_SIGNALS and info.total:
            seen.append(info.done / info.total)

    started = time.perf_counter()
    window.scanning.start()
    window.foreground.task.signals.progress.connect(on_progress)
    cancelled = False
    while window.foreground.busy:
        if cancel_at is not None and not cancelled and seen and seen[-1] >= cancel_at:
            window.foreground.cancel()
            cancelled = True
        app.processEvents()
        time.sleep(0.002)
    return {"seconds": time.perf_counter() - started, "cancelled": cancelled,
            "read_when_cancelled": seen[-1] if cancelled and seen else None,
            "groups": _groups(window), "files": window.state.outcome.result.stats.files
            if window.state.outcome else 0}


def run_soak(args: argparse.Namespace) -> dict[str, object]:
    from bench_gui import LatencyProbe, wait_until
    from PySide6.QtWidgets import QApplication

    from dedup_gui.qt.app import create_app, create_main_window
    from dedup_gui.settings import FolderSetting, Settings

    app: QApplication = create_app([])
    window = create_main_window(Settings(folders=[FolderSetting(str(args.work / "library"))],
                                         embeddings=not args.hashes_only))
    window.show()
    wait_until(app, lambda: window.windowHandle() is not None
               and window.windowHandle().isExposed(), 30)
    memory, probe = MemorySampler(), LatencyProbe()
    memory.start()
    probe.start()
    marks = [0]
    cancelled = _scan(app, window, cancel_at=args.cancel_at)
    marks.append(len(probe.late))
    full = _scan(app, window)
    marks.append(len(probe.late))
    warm = _scan(app, window)
    marks.append(len(probe.late))
    worst = [1000 * max(probe.late[a:b], default=0.0) for a, b in itertools.pairwise(marks)]
    latency = {**probe.stop(), "max_ms_per_scan": worst}
    peak = memory.stop()
    window.close()
    return {"images": args.images, "embeddings": not args.hashes_only,
            "cancelled_scan_s": cancelled["seconds"], "cancelled": cancelled["cancelled"],
            "read_when_cancelled": cancelled["read_when_cancelled"],
            "full_scan_s": full["seconds"], "warm_scan_s": warm["seconds"],
            "files_seen": full["files"], "groups": len(full["groups"]),
            "identical_groups": full["groups"] == warm["groups"],
            "peak_rss_bytes": peak, "latency": latency}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-soak"))
    parser.add_argument("--hashes-only", action="store_true")
    parser.add_argument("--cancel-at", type=float, default=0.3,
                        help="cancel the first scan once this share of images is read")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--sources", type=Path, nargs="*",
                        default=sorted(DATASETS.glob("*/images")),
                        help="folders of real photos to cut windows from (default: the dev "
                             "datasets in ../shared/datasets, when present)")
    args = parser.parse_args(argv)
    library = args.work / "library"
    sources = source_photos(args.sources)
    marker = args.work / "library.json"
    wanted = {"images": args.images, "sources": len(sources)}
    if marker.exists() and json.loads(marker.read_text()) != wanted:
        shutil.rmtree(library, ignore_errors=True)  # made differently: start again
    seconds = make_library(library, args.images, sources)
    marker.write_text(json.dumps(wanted))
    print(f"library: {args.images} images from {len(sources) or 'no'} source photos "
          f"({seconds:.0f} s to write)")
    home = args.work / "home"
    shutil.rmtree(home, ignore_errors=True)
    os.environ.update({"DEDUP_GUI_CONFIG_DIR": str(home / "config"),
                       "DEDUP_GUI_CACHE": str(home / "cache.sqlite3"),
                       "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "xc"),
                       "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    result = run_soak(args)
    lat = result["latency"]
    kind = "hashes + embeddings" if result["embeddings"] else "hashes only"
    print(f"{result['files_seen']} images ({kind}), {len(os.sched_getaffinity(0))} cores")
    print(f"scan 1: cancelled={result['cancelled']} at {result['read_when_cancelled']} of the "
          f"images read, after {result['cancelled_scan_s']:.0f} s")
    print(f"scan 2 (continues from the cache): {result['full_scan_s']:.0f} s, "
          f"{result['groups']} groups")
    print(f"scan 3 (warm cache): {result['warm_scan_s']:.1f} s; identical groups: "
          f"{result['identical_groups']}")
    print(f"peak RSS, app + children: {result['peak_rss_bytes'] / 1e9:.2f} GB "
          f"(target < {RSS_TARGET / 1e9:.1f} GB)")
    print(f"UI latency: {lat['ticks']} ticks, max {lat['max_ms']:.0f} ms, p99 "
          f"{lat['p99_ms']:.0f} ms, {lat['over_100ms']} over 100 ms "
          f"(target: none over {LATENCY_TARGET_MS:.0f} ms); worst per scan: "
          + ", ".join(f"{ms:.0f} ms" for ms in lat["max_ms_per_scan"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    ok = (result["identical_groups"] and result["cancelled"]
          and result["peak_rss_bytes"] < RSS_TARGET and lat["max_ms"] <= LATENCY_TARGET_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
