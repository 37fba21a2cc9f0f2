"""GUI responsiveness: time to the first window, event-loop latency during a scan, scrolling.

    python benchmarks/bench_gui.py [--work /tmp/dedup-bench] [--images 5000] [--groups 20000]
                                   [--runs 5] [--skip startup,scan,scroll]

Run it under a real X server (xvfb-run -a -s "-screen 0 1600x1000x24" python …) for numbers
that include painting; QT_QPA_PLATFORM=offscreen works too. Targets (issue 4):
  - first window on screen < 1.5 s after launch;
  - during a scan of 5,000 images the UI thread never blocks longer than 100 ms;
  - opening a 20,000-group result and scrolling through it: no frame over 100 ms.

1. Startup: a fresh interpreter runs the app's own start-up (create_app, create_main_window,
   show) and reports when the window's first Expose event arrives; measured from just before the
   subprocess is launched. Median and max of --runs.
2. Scan latency: the real MainWindow scans --images photos (hard links to the "small" library of
   make_library.py, cold cache) while a 10 ms QTimer records how late each tick fires; the worst
   lateness is how long the UI thread was blocked.
3. Scrolling: --groups groups over real photos (thumbnails decode for real) are loaded into the
   window; then the list is scrolled a page at a time to the end and back and moved row by row,
   each step painted synchronously and timed (a "frame").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from dedup_gui.qt.app import create_app, create_main_window
app = create_app([])
window = create_main_window()
class Exposed(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj is window.windowHandle() and obj.isExposed():
            print(f"EXPOSED {time.time():.6f}", flush=True)
            app.quit()
        return False
watcher = Exposed()
app.installEventFilter(watcher)
window.show()
app.exec()
"""


def bench_startup(runs: int, env: dict[str, str]) -> dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=60)
        line = next((x for x in out.stdout.splitlines() if x.startswith("EXPOSED")), None)
        if line is None:
            raise RuntimeError(f"the app did not show a window:\n{out.stderr}")
        times.append(float(line.split()[1]) - start)
    return {"median_s": statistics.median(times), "max_s": max(times)}


# -- 2. event-loop latency during a scan -----------------------------------------------------
class LatencyProbe:
    """A 10 ms timer; lateness = time between ticks minus 10 ms."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.late: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, now - self._last - 0.010))
        self._last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        late = sorted(self.late)
        return {"ticks": len(late), "max_ms": 1000 * late[-1],
                "p99_ms": 1000 * late[int(0.99 * (len(late) - 1))],
                "over_100ms": sum(x > 0.1 for x in late)}


def linked_library(source: Path, count: int, into: Path) -> Path:
    files = sorted(source.glob("*.jpg"))[:count]
    if len(files) < count:
        raise SystemExit(f"{source} has {len(files)} images; run make_library.py first")
    into.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(files):
        os.link(path, into / f"{index:05d}.jpg")
    return into


def wait_until(app, predicate, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        app.processEvents()
        time.sleep(0.002)


def bench_scan(app, images: Path, embeddings: bool) -> dict[str, float]:
    from dedup_gui.qt.window.main_window import MainWindow
    from dedup_gui.settings import FolderSetting, Settings

    window = MainWindow(Settings(folders=[FolderSetting(str(images))], embeddings=embeddings))
    window.show()
    wait_until(app, lambda: window.windowHandle().isExposed(), 10)
    probe = LatencyProbe()
    probe.start()
    started = time.perf_counter()
    window.scanning.start()
    wait_until(app, lambda: not window.foreground.busy, 3600)
    seconds = time.perf_counter() - started
    stats = probe.stop()
    groups = len(window.state.groups)
    window.close()
    return {**stats, "scan_s": seconds, "groups": groups}


# -- 3. scrolling 20,000 groups ----------------------------------------------------------------
def fake_outcome(photos: list[Path], count: int):
    from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats
    from dedup_gui.tasks.scan import ScanOutcome

    groups = []
    for index in range(count):
        members = []
        for n in range(2 + index % 3):
            path = photos[(index * 3 + n) % len(photos)]
            st = path.stat()
            members.append(GroupFile(str(path), st.st_size, st.st_mtime_ns, 640, 480, "JPEG"))
        pairs = tuple(Pair(members[0].path, m.path, "phash distance 2", 2) for m in members[1:])
        groups.append(Group(tuple(members), pairs))
    from dedup_gui.tasks.summaries import summarise

    result = ScanResult(tuple(groups), (), ScanStats(files=len(photos)))
    removals = [{m.path for m in g.files[1:]} for g in groups]
    # as the scan worker does: summaries are computed off the UI thread
    return ScanOutcome(result, removals, ["largest file"] * count,
                       summaries=summarise(result.groups, removals))


def bench_scroll(app, photos: list[Path], count: int) -> dict[str, float]:
    from PySide6.QtCore import Qt

    import dedup_gui.engine.actions.keep_rules  # noqa: F401  (loaded by the scan that came before)
    from dedup_gui.qt.window.main_window import MainWindow
    from dedup_gui.settings import Settings

    window = MainWindow(Settings())
    window.show()
    wait_until(app, lambda: window.windowHandle().isExposed(), 10)
    outcome = fake_outcome(photos, count)
    view = window.results.view
    started = time.perf_counter()
    window.show_results(outcome)  # what the window does when a scan finishes
    view.viewport().repaint()
    list_shown = time.perf_counter()
    app.processEvents()  # the first group opens
    window.repaint()
    opened = [list_shown - started, time.perf_counter() - list_shown]
    bar = view.verticalScrollBar()
    frames = []

    def frame(action) -> None:
        t0 = time.perf_counter()
        action()
        view.viewport().repaint()
        app.processEvents()
        frames.append(time.perf_counter() - t0)

    page = max(1, bar.pageStep())
    for value in [*range(0, bar.maximum() + 1, page), bar.maximum()]:
        frame(lambda v=value: bar.setValue(v))
    for value in range(bar.maximum(), -1, -page * 7):  # back up, fast
        frame(lambda v=value: bar.setValue(v))
    scroll_frames = list(frames)
    frames.clear()
    view.setFocus()
    for _ in range(300):  # row by row, each one opening the group's cards
        frame(lambda: window.results.step(1))
    step_frames = list(frames)
    window.results.select_row(0)
    sort_started = time.perf_counter()
    view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # = a click
    view.viewport().repaint()
    app.processEvents()
    sort_s = time.perf_counter() - sort_started
    window.close()
    return {"open_list_ms": 1000 * opened[0], "open_group_ms": 1000 * opened[1],
            "scroll_frames": len(scroll_frames),
            "scroll_max_ms": 1000 * max(scroll_frames),
            "scroll_median_ms": 1000 * statistics.median(scroll_frames),
            "next_group_max_ms": 1000 * max(step_frames),
            "next_group_median_ms": 1000 * statistics.median(step_frames),
            "sort_20k_ms": 1000 * sort_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-bench"))
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="", help="comma-separated: startup,scan,scroll")
    parser.add_argument("--hashes-only", action="store_true",
                        help="scan without embeddings (the default scan uses them)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    home = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    env = {**os.environ, "DEDUP_GUI_CONFIG_DIR": str(home / "config"),
           "DEDUP_GUI_CACHE": str(home / "cache.sqlite3"), "XDG_DATA_HOME": str(home / "data")}
    os.environ.update(env)
    platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY")
                                                      else "?")
    print(f"platform: {platform}; cores: {len(os.sched_getaffinity(0))}")
    if "startup" not in skip:
        result = bench_startup(args.runs, env)
        print(f"first window exposed: median {result['median_s']:.2f} s, "
              f"max {result['max_s']:.2f} s over {args.runs} launches (target < 1.5 s)")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    small = args.work / "small"
    if "scan" not in skip:
        images = linked_library(small, args.images, home / "scan")
        result = bench_scan(app, images, embeddings=not args.hashes_only)
        kind = "hashes only" if args.hashes_only else "hashes + embeddings"
        print(f"scan of {args.images} images ({kind}, cold cache): {result['scan_s']:.1f} s, "
              f"{result['groups']} groups; UI timer ticks {result['ticks']}, lateness max "
              f"{result['max_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
              f"{result['over_100ms']} ticks over 100 ms (target: none)")
    if "scroll" not in skip:
        photos = sorted(small.glob("*.jpg"))
        result = bench_scroll(app, photos, args.groups)
        print(f"{args.groups} groups: list shown in {result['open_list_ms']:.0f} ms, then the "
              f"first group in {result['open_group_ms']:.0f} ms; scrolling "
              f"{result['scroll_frames']} pages: max frame {result['scroll_max_ms']:.0f} ms "
              f"(median {result['scroll_median_ms']:.1f} ms); next group ×300: max "
              f"{result['next_group_max_ms']:.0f} ms (median "
              f"{result['next_group_median_ms']:.1f} ms); sort by files "
              f"{result['sort_20k_ms']:.0f} ms (target: no frame over 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
