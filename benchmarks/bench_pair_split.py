"""UI-thread cost of "Not duplicates" on a pair in a large result, and of its Undo.

    xvfb-run -a python benchmarks/bench_pair_split.py [--groups 20000] [--marks 20]

The window holds --groups groups over real photos (the "small" library of make_library.py, as
bench_gui.py's scrolling test); a pair of a 4-file group is marked --marks times (each group
formed again on the worker and appended, the list re-sorted on the UI thread), and each is undone.
A 10 ms QTimer records how late it fires: the worst lateness is how long the UI thread was blocked
(target: never over 100 ms).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_gui import LatencyProbe, fake_outcome, wait_until  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-bench"))
    parser.add_argument("--groups", type=int, default=20_000)
    parser.add_argument("--marks", type=int, default=20)
    args = parser.parse_args(argv)
    import os
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="bench-pairs-"))
    os.environ.update(DEDUP_GUI_CONFIG_DIR=str(home / "config"),
                      DEDUP_GUI_CACHE=str(home / "cache.sqlite3"))
    from PySide6.QtWidgets import QApplication

    from dedup_gui.qt.window.main_window import MainWindow
    from dedup_gui.settings import Settings

    app = QApplication.instance() or QApplication([])
    photos = sorted((args.work / "small").glob("*.jpg"))
    if not photos:
        raise SystemExit("run benchmarks/make_library.py first (the 'small' library)")
    window = MainWindow(Settings())
    window.show()
    wait_until(app, lambda: window.windowHandle().isExposed(), 10)
    window.show_results(fake_outcome(photos, args.groups))
    wait_until(app, lambda: window.group_view.group is not None, 10)
    four = [g for g, group in enumerate(window.state.groups) if len(group.files) == 4]
    probe = LatencyProbe()
    probe.start()
    started = time.perf_counter()
    for group in four[:args.marks]:
        window.results.select_group(group)
        files = window.state.groups[group].files
        window.pairs.mark(group, (files[0], files[1]))
        wait_until(app, lambda: not window.pairs.busy, 60)
    marked = time.perf_counter() - started
    for _ in range(args.marks):
        window.undo()
        wait_until(app, lambda: not window.pairs.busy, 60)
    stats = probe.stop()
    print(f"{args.groups} groups: {args.marks} pairs marked in {marked:.1f} s "
          f"({1000 * marked / args.marks:.0f} ms each, regrouping on the worker) and undone; "
          f"{len(window.state.groups)} groups now; UI timer lateness max {stats['max_ms']:.0f} "
          f"ms, p99 {stats['p99_ms']:.0f} ms, {stats['over_100ms']} ticks over 100 ms")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
