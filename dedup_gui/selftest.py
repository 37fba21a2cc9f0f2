"""`dedup-gui --self-test`: does this installation work? One line of verdict, exit 0 or 1.

Meant for a bundle on a machine nobody has looked at (CI runs it on the PyInstaller bundle with an
empty environment): it goes through what a user's first scan goes through. The main window opens
(offscreen: no display needed, nothing pops up), its icons render (Qt's SVG plugin is there), the
ONNX model loads and embeds, and a scan of a tiny generated library (selftest_photos) runs through
the window's own Scan path: the engine child process, its worker pool, the model in the workers.
The groups must come out exactly as drawn, including the mirror images that only the model can
pair. Everything it writes (settings, cache, photos) lives in a temporary folder, removed after.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from dedup_gui import __version__, paths
from dedup_gui.frozen import give_back_library_path

SELF_TEST_FLAG = "--self-test"

SCAN_TIMEOUT_S = 180.0  # generous: a cold start on a slow, busy machine takes ~10 s


class SelfTestFailed(Exception):
    """A check failed; the message is the verdict's reason."""


def run_self_test() -> int:
    """Print `dedup-gui VERSION self-test passed: …` (exit 0) or `… FAILED: reason` (exit 1)."""
    started = time.perf_counter()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    give_back_library_path()  # as the GUI does: its helper processes must cope without it
    kind = "bundle" if getattr(sys, "frozen", False) else "python"
    with tempfile.TemporaryDirectory(prefix="dedup-gui-self-test-") as tmp:
        _isolate(Path(tmp))
        try:
            facts = _run_checks(Path(tmp), started)
        except SelfTestFailed as failure:
            print(f"dedup-gui {__version__} self-test FAILED ({kind}): {failure}", flush=True)
            return 1
        except Exception as error:  # an unexpected crash is a failed test, with its traceback
            traceback.print_exc()
            print(f"dedup-gui {__version__} self-test FAILED ({kind}): "
                  f"{type(error).__name__}: {error}", flush=True)
            return 1
    print(f"dedup-gui {__version__} self-test passed ({kind}): {facts}", flush=True)
    return 0


def _isolate(tmp: Path) -> None:
    """Settings, cache and saved results in `tmp` (the user's own are never read or written: the
    results once were, and a self-test replaced the person's review with its own groups); the
    engine process inherits this environment."""
    os.environ[paths.CACHE_ENV] = str(tmp / "cache.sqlite3")
    os.environ[paths.CONFIG_ENV] = str(tmp / "config")
    os.environ[paths.DATA_ENV] = str(tmp / "data")
    if not os.environ.get("XDG_RUNTIME_DIR"):  # `env -i`: Qt would warn about it
        runtime = tmp / "runtime"
        runtime.mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    if not any(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
        os.environ["LC_CTYPE"] = "C.UTF-8"  # what Qt would switch to, without its warning


def _run_checks(tmp: Path, started: float) -> str:
    from dedup_gui.qt.app import create_app, create_main_window
    from dedup_gui.settings import Settings

    app = create_app([sys.argv[0]])
    window = create_main_window(Settings())
    window.show()
    app.processEvents()
    window_s = _seconds_since_launch(started)
    try:
        _check_window(app, window)
        _check_bundle_libraries()
        dimensions = _check_model()
        from dedup_gui.selftest_photos import make_library

        expected = make_library(tmp / "photos")
        scan_started = time.perf_counter()
        outcome = _scan(app, window, tmp / "photos")
        scan_s = time.perf_counter() - scan_started
        _check_groups(outcome, expected)
        if window.results.proxy.rowCount() != len(expected):
            raise SelfTestFailed(f"the group list shows {window.results.proxy.rowCount()} rows, "
                                 f"not {len(expected)}")
    finally:
        window.close()
        app.processEvents()
    files = sum(len(group) for group in expected)
    return (f"window {window_s:.2f} s after launch, model {dimensions}-d, {files} photos "
            f"scanned in {scan_s:.1f} s ({_workers()}), {len(expected)} groups as expected")


def _seconds_since_launch(self_test_started: float) -> float:
    """Since the process started (Linux: from /proc, so the launcher's and Python's start-up
    count); elsewhere since the self-test started."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - self_test_started


def _check_window(app: Any, window: Any) -> None:
    if not window.isVisible():
        raise SelfTestFailed("the main window did not open")
    from dedup_gui.qt.resources import icon

    if icon("app").pixmap(64, 64).isNull() or icon("scan").pixmap(32, 32).isNull():
        raise SelfTestFailed("the icons do not render (missing resources/icons or Qt's SVG "
                             "icon plugin)")


def _check_bundle_libraries() -> None:
    """A frozen app and its engine process load the bundle's own libraries, not the machine's
    copies of them (dedup_gui/frozen.py: the GUI gives LD_LIBRARY_PATH back to the user)."""
    if not getattr(sys, "frozen", False) or not Path("/proc/self/maps").is_file():
        return
    from dedup_gui.engine.progress import CancelToken
    from dedup_gui.tasks.process import run_in_process

    outside = system_copies_loaded()
    outside += run_in_process(system_copies_loaded, None, lambda _event: None, CancelToken())
    if outside:
        raise SelfTestFailed(f"the machine's copies of bundled libraries were loaded: "
                             f"{', '.join(sorted(set(outside)))}")


def system_copies_loaded(_request: Any = None, _progress: Any = None, _cancel: Any = None
                         ) -> list[str]:
    """Libraries this process has loaded from outside the bundle although the bundle has them.
    (Also the engine-process call: an importable function of (request, progress, cancel).)"""
    import sqlite3  # noqa: F401  (OpenSSL, libffi and zlib are in by now; SQLite may not be)

    def stem(path: Path) -> str:  # maps name the real file: libsqlite3.so.0.8.6 -> libsqlite3
        return path.name.split(".so")[0]

    bundle = Path(sys._MEIPASS).resolve()
    own = {stem(path) for path in bundle.glob("*.so*")}
    mapped = {Path(token) for token in Path("/proc/self/maps").read_text().split()
              if token.startswith("/") and ".so" in token}
    return sorted(str(path) for path in mapped
                  if stem(path) in own and not path.resolve().is_relative_to(bundle))


def _check_model() -> int:
    """Loads the model in this process and embeds one picture; returns the vector's length."""
    import numpy as np

    from dedup_gui.engine.signals.embedding import embed
    from dedup_gui.selftest_photos import landscape

    try:
        vector = embed([landscape()])[0]
    except Exception as error:
        raise SelfTestFailed(f"the model could not be loaded or run: {error}") from error
    if not np.isfinite(vector).all() or abs(float(np.linalg.norm(vector)) - 1.0) > 0.01:
        raise SelfTestFailed("the model returned a vector that is not unit length")
    return int(vector.shape[0])


def _scan(app: Any, window: Any, folder: Path) -> Any:
    """Scan `folder` the way the Scan button does and wait for the window to show the result."""
    from dedup_gui.settings import FolderSetting

    window.folders.set_folders([FolderSetting(str(folder))])
    window.scanning.start()
    task = window.foreground.task
    if task is None:
        raise SelfTestFailed(f"the scan did not start: {window.statusBar().currentMessage()}")
    tracebacks: list[str] = []
    task.signals.failed.connect(lambda _message, details: tracebacks.append(details))
    deadline = time.monotonic() + SCAN_TIMEOUT_S
    while window.foreground.busy or window.runner.busy:
        if time.monotonic() > deadline:
            window.foreground.cancel()
            raise SelfTestFailed(f"the scan took longer than {SCAN_TIMEOUT_S:.0f} s")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    outcome = window.state.outcome
    if outcome is None:
        print(*tracebacks, sep="\n", file=sys.stderr)
        raise SelfTestFailed(window.statusBar().currentMessage() or "the scan gave no result")
    return outcome


def _check_groups(outcome: Any, expected: list[list[str]]) -> None:
    result = outcome.result
    if result.issues:
        first = result.issues[0]
        raise SelfTestFailed(f"{len(result.issues)} generated photos could not be read, e.g. "
                             f"{Path(first.path).name}: {first.reason}")
    found = sorted(sorted(Path(f.path).name for f in group.files) for group in result.groups)
    if found != expected:
        missing = [g for g in expected if g not in found]
        raise SelfTestFailed(f"expected {len(expected)} groups of 6, found "
                             f"{[len(g) for g in found]}; e.g. not found together: "
                             f"{missing[0] if missing else '-'}")
    if any(p.cosine is None for g in result.groups for p in g.pairs if p.tier != "identical"):
        raise SelfTestFailed("pairs came back without an embedding cosine: the model did not "
                             "run in the scan")


def _workers() -> str:
    from dedup_gui.engine.parallel import default_workers

    count = default_workers()
    return f"engine process + {count} workers" if count > 1 else "engine process, 1 core"
