"""Run a long engine call in a child Python process, with the same progress/cancel interface.

A worker thread keeps the UI thread free only while the engine lets go of the GIL. Parts of a scan
do not (numpy's `.tolist()` on millions of candidate pairs, set unions, sorting large dicts: single
C calls of up to a second), and the event loop then freezes. In its own process the engine has
its own interpreter: the UI thread never waits for it. The calling thread (the QRunnable) relays
progress and cancellation and gets the result, or the exception, back.

The child is a plain `python -m dedup_gui.tasks.engine_child`, not a multiprocessing.Process: a
multiprocessing child joins its own children before the engine's process pool has been told to
stop, so a cancelled scan could hang on exit and orphan the pool's workers. A plain interpreter
shuts the pool down first. It also gets the app's current environment. Frames are pickles, each
after its length in 8 bytes, on the child's original stdout (its print()s go to stderr); the app
writes to its stdin to cancel, and closing stdin (the app quit) cancels too. Qt-free: the child
never imports PySide6. The child leads its own process group, with its forkserver and pool
workers: a child that does not stop when asked, or is still running when the app exits, is
killed with all of them, so no worker is ever orphaned. It runs at a lower CPU priority (nice)
than the app, so the window wins whenever both want the CPU.

A frozen (PyInstaller) app has no `python -m`: it starts its own executable with
ENGINE_PROCESS_FLAG, which dedup_gui.__main__ hands to engine_child.main().
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressCallback
from dedup_gui.tasks.gc_pause import gc_paused

CANCEL_GRACE_S = 5.0  # a cancelled child that does not answer by then is terminated
ENGINE_PROCESS_FLAG = "--engine-process"  # hidden: how a frozen app starts its engine child
CHILD_MODULE = "dedup_gui.tasks.engine_child"  # what `python -m` runs as the engine process
_LIVE: set[subprocess.Popen] = set()  # engine processes started and not yet reaped
_LIVE_LOCK = threading.Lock()


class ChildFailed(Exception):
    """The engine raised in the child; `details` is its traceback."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


def run_in_process(function: Callable[..., Any], request: Any, progress: ProgressCallback,
                   cancel: CancelToken) -> Any:
    """`function(request, progress, cancel)` in a child process; returns what it returns.
    `function` must be importable (a module-level function) and `request` picklable."""
    child = subprocess.Popen(child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env=_child_environment(), start_new_session=os.name == "posix")
    assert child.stdin is not None and child.stdout is not None
    with _LIVE_LOCK:
        _LIVE.add(child)
    try:
        data = pickle.dumps((function, request))
        child.stdin.write(len(data).to_bytes(8, "big") + data)
        child.stdin.flush()
        watcher = threading.Thread(target=_cancel_on_request, args=(child, cancel),
                                   daemon=True, name="dedup-gui engine cancel")
        watcher.start()
        return _relay(child, progress)
    finally:
        for pipe in (child.stdin, child.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        threading.Thread(target=_reap, args=(child,), daemon=True,
                         name="dedup-gui engine reaper").start()


def in_process(function: Callable[..., Any], request: Any
               ) -> Callable[[ProgressCallback, CancelToken], Any]:
    """A worker call that runs `function(request, progress, cancel)` in the engine process."""
    return functools.partial(run_in_process, function, request)


def child_command() -> list[str]:
    """This interpreter running the child's module (engine_child.py), or the frozen app's
    executable with the flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, ENGINE_PROCESS_FLAG]
    return [sys.executable, "-m", CHILD_MODULE]


def _child_environment() -> dict[str, str]:
    """The app's environment, plus the folder dedup_gui is imported from (a source checkout
    run from elsewhere is not on the child's path otherwise); a frozen app's child also gets
    the bundle's libraries back on its library path (dedup_gui/frozen.py says why)."""
    from dedup_gui.frozen import helper_environment

    package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = [package_parent, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return helper_environment({**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))})


BIG_FRAME = 1 << 16  # bytes; a frame this big is a result: unpickle it with the GC paused


def _load_frame(stream: IO[bytes]) -> tuple:
    """One length-prefixed pickle from the child. The wait for it runs with the GC on; only
    unpickling a big one (a scan's result: 8 MB for 18,000 grouped files) pauses it, so no full
    collection walks the heap holding the GIL mid-load (measured UI stalls of 100-300 ms)."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the engine process closed its output")
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the engine process stopped mid-frame")
    if size < BIG_FRAME:
        return pickle.loads(data)
    with gc_paused():
        return pickle.loads(data)


def _relay(child: subprocess.Popen, progress: ProgressCallback) -> Any:
    while True:
        try:
            kind, *payload = _load_frame(child.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            code = child.wait()
            raise RuntimeError(f"the engine process stopped unexpectedly (exit code {code})"
                               ) from None
        if kind == "progress":
            progress(payload[0])
        elif kind == "result":
            return payload[0]
        elif kind == "cancelled":
            raise Cancelled()
        else:
            raise ChildFailed(payload[0], payload[1])


def _cancel_on_request(child: subprocess.Popen, cancel: CancelToken) -> None:
    """Tell the child to stop when the token is cancelled; give up on it if it does not."""
    while child.poll() is None and not cancel.cancelled:
        time.sleep(0.05)
    if child.poll() is not None:
        return
    with contextlib.suppress(OSError, ValueError):
        child.stdin.write(b"stop\n")
        child.stdin.flush()
    try:
        child.wait(CANCEL_GRACE_S)
    except subprocess.TimeoutExpired:
        kill_tree(child)


def _reap(child: subprocess.Popen) -> None:
    try:
        child.wait(CANCEL_GRACE_S * 6)
    except subprocess.TimeoutExpired:
        kill_tree(child)
        child.wait()
    with _LIVE_LOCK:
        _LIVE.discard(child)


def kill_tree(child: subprocess.Popen) -> None:
    """Kill the child and every process it started (its process group). Only while it is not
    reaped: until then its pid, and so its group id, cannot belong to anyone else."""
    if child.returncode is not None:
        return
    if os.name != "posix":
        child.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


@atexit.register
def _kill_remaining() -> None:
    """The app is exiting: an engine process still running (stuck in a long call) goes too."""
    with _LIVE_LOCK:
        children = list(_LIVE)
    for child in children:
        if child.poll() is None:
            kill_tree(child)
