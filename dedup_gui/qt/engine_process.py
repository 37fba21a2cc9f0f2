"""Run a long engine call in a child process, with the same progress/cancel interface.

A worker thread keeps the UI thread free only while the engine lets go of the GIL. Parts of a scan
do not (numpy's `.tolist()` on millions of candidate pairs, set unions, sorting large dicts: single
C calls of up to a second), and the event loop then freezes. In a process the engine has its own
interpreter: the UI thread never waits for it. The calling thread (the QRunnable) relays progress
and cancellation over a pipe and gets the result, or the exception, back.

Qt-free (the child imports this module, never PySide6). Linux uses forkserver (a clean process to
fork from: the GUI's threads are never forked), other systems spawn.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressCallback, ProgressEvent

SEND_INTERVAL_S = 0.05  # the child sends at most 20 progress events a second (the UI shows 5)
POLL_S = 0.05
CANCEL_GRACE_S = 5.0  # a cancelled child that does not stop by then is terminated


class ChildFailed(Exception):
    """The engine raised in the child; `details` is its traceback."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def run_in_process(function: Callable[..., Any], request: Any, progress: ProgressCallback,
                   cancel: CancelToken) -> Any:
    """`function(request, progress, cancel)` in a child process; returns what it returns.
    `function` must be importable (a module-level function) and `request` picklable."""
    context = _context()
    receive, send = context.Pipe(duplex=False)  # child -> app: progress, then the outcome
    stop_receive, stop = context.Pipe(duplex=False)  # app -> child: cancel (or EOF)
    child = context.Process(target=_child_main, args=(function, request, send, stop_receive),
                            name="dedup-gui engine", daemon=False)
    child.start()
    send.close()  # only the child writes; EOF then means the child is gone
    stop_receive.close()
    try:
        return _relay(child, receive, stop, progress, cancel)
    finally:
        receive.close()
        # the answer is in: let the child wind down without holding up the caller
        threading.Thread(target=_finish, args=(child, stop), daemon=True,
                         name="dedup-gui engine reaper").start()


def _relay(child: multiprocessing.process.BaseProcess, receive: Connection,
           stop: Connection, progress: ProgressCallback, cancel: CancelToken) -> Any:
    cancelled_at = None
    while True:
        if cancel.cancelled and cancelled_at is None:
            with contextlib.suppress(OSError):
                stop.send("stop")
            cancelled_at = time.monotonic()
        if cancelled_at is not None and time.monotonic() - cancelled_at > CANCEL_GRACE_S:
            raise Cancelled()
        try:
            if not receive.poll(POLL_S):
                continue
            kind, *payload = receive.recv()
        except (EOFError, OSError):
            child.join(1.0)
            raise RuntimeError("the scan process stopped unexpectedly "
                               f"(exit code {child.exitcode})") from None
        if kind == "progress":
            progress(payload[0])
        elif kind == "result":
            return payload[0]
        elif kind == "cancelled":
            raise Cancelled()
        else:
            raise ChildFailed(payload[0], payload[1])


def _finish(child: multiprocessing.process.BaseProcess, stop: Connection) -> None:
    stop.close()  # the child's watcher sees EOF
    child.join(CANCEL_GRACE_S)
    if child.is_alive():
        child.terminate()
        child.join(1.0)


# -- in the child ------------------------------------------------------------------------------
class _Sender:
    """The child's progress callback: the latest event, sent at most every SEND_INTERVAL_S, and
    always when the stage changes (so no stage is skipped)."""

    def __init__(self, send: Connection) -> None:
        self.send = send
        self.last = 0.0
        self.stage = ""

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        if event.stage != self.stage or now - self.last >= SEND_INTERVAL_S:
            self.stage, self.last = event.stage, now
            self.send.send(("progress", event))


def _watch(stop: Connection, token: CancelToken) -> None:
    """Cancels on "stop" or when the app goes away (EOF). Pipes, not a multiprocessing Event:
    a process that exits while waiting on an Event deadlocks the next Event.set()."""
    with contextlib.suppress(EOFError, OSError):
        stop.recv()
    token.cancel()


def _child_main(function: Callable[..., Any], request: Any, send: Connection,
                stop: Connection) -> None:
    token = CancelToken()
    threading.Thread(target=_watch, args=(stop, token), daemon=True).start()
    try:
        result = function(request, _Sender(send), token)
    except Cancelled:  # the process then exits once the engine's pool has wound down
        send.send(("cancelled",))
    except BaseException as error:  # everything goes back to the app, which reports it
        send.send(("failed", str(error) or type(error).__name__, traceback.format_exc()))
    else:
        send.send(("cancelled",) if token.cancelled else ("result", result))
    finally:
        send.close()
