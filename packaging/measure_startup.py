"""Time from launching the bundle to its main window on screen, measured from outside the app.

    xvfb-run -a .venv/bin/python packaging/measure_startup.py [--runs 5] [EXECUTABLE]

Starts EXECUTABLE (default dist/dedup-gui/dedup-gui, the app as a double-click starts it: no
arguments) on the X display, and polls the X server (`xwininfo`) until a window titled
"dedup-gui" is viewable; then closes the app. The first launch warms the page cache and is not
counted (the target excludes a cold cache); the median and worst of --runs follow. Settings and
cache live in a temporary folder, so every launch is a first start with no folders.
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
POLL_S = 0.005
TIMEOUT_S = 30.0


def window_viewable(title: str) -> bool:
    """A top-level window of that title and WM_CLASS is mapped (Qt also makes a 1×1 unmapped
    helper window with the same title, without a class)."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if f'"{title}": ("' in line:
            window = line.split()[0]
            info = subprocess.run(["xwininfo", "-id", window], capture_output=True, text=True)
            if "IsViewable" in info.stdout:
                return True
    return False


def launch_to_window(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        while not window_viewable("dedup-gui"):
            if app.poll() is not None:
                raise RuntimeError(f"{command[0]} exited ({app.returncode}) without a window")
            if time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"no window after {TIMEOUT_S:.0f} s")
            time.sleep(POLL_S)
        return time.perf_counter() - started
    finally:
        app.terminate()
        app.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("executable", nargs="?", default=str(ROOT / "dist/dedup-gui/dedup-gui"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("needs an X display: run it under xvfb-run -a", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEDUP_GUI_CONFIG_DIR": str(Path(tmp) / "config"),
               "DEDUP_GUI_CACHE": str(Path(tmp) / "cache.sqlite3")}
        env.pop("QT_QPA_PLATFORM", None)
        warm_up = launch_to_window([args.executable], env)
        times = [launch_to_window([args.executable], env) for _ in range(args.runs)]
    print(f"first window: median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
          f"over {args.runs} warm launches (the warm-up launch took {warm_up:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
