"""The engine process's side of tasks/process.py: read the call from stdin, run it, send its
progress (at most every SEND_INTERVAL_S) and its result or exception back as frames, and stop
when the app writes to stdin or closes it.

Why a module of its own: it runs in another process (`python -m dedup_gui.tasks.engine_child`,
or the frozen app's executable with process.ENGINE_PROCESS_FLAG) and shares nothing with the
app's side but the frame format: each frame a pickle after its length in 8 bytes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
import time
import traceback
from typing import IO

from dedup_gui.engine.progress import Cancelled, CancelToken, ProgressEvent

SEND_INTERVAL_S = 0.05  # the child sends at most 20 progress events a second (the UI shows 5)
ENGINE_NICENESS = 10  # added to the engine process's niceness (POSIX): background work


class _Sender:
    """The child's progress callback: the latest event, sent at most every SEND_INTERVAL_S, and
    always when the stage changes (so no stage is skipped). Thread-safe: frames never interleave."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.last = 0.0
        self.stage = ""
        self.lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        if event.stage != self.stage or now - self.last >= SEND_INTERVAL_S:
            self.stage, self.last = event.stage, now
            self.send(("progress", event))

    def send(self, frame: tuple) -> None:
        data = pickle.dumps(frame)
        with self.lock:
            self.out.write(len(data).to_bytes(8, "big") + data)
            self.out.flush()


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            raise EOFError("the app closed the pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _watch_stdin(token: CancelToken) -> None:
    """Any byte, or EOF (the app went away), cancels. os.read, not sys.stdin: a daemon thread
    blocked inside a buffered reader aborts the interpreter when it exits."""
    with contextlib.suppress(OSError):
        os.read(0, 1)
    token.cancel()


def _yield_the_cpu() -> None:
    """Run the engine (and the workers it forks) at a lower CPU priority than the app: a scan is
    background work, and when both want the CPU the window must win. On an otherwise idle machine
    the scan is as fast as before. In the soak, a result shown while the next scan started was
    the worst moment for the UI; the engine at nice +10 took it from 172 to 140 ms."""
    with contextlib.suppress(AttributeError, OSError):  # no os.nice on Windows
        os.nice(ENGINE_NICENESS)


def main() -> int:
    _yield_the_cpu()
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt frames
    size = int.from_bytes(_read_exactly(0, 8), "big")
    function, request = pickle.loads(_read_exactly(0, size))
    token = CancelToken()
    threading.Thread(target=_watch_stdin, args=(token,), daemon=True).start()
    sender = _Sender(out)
    try:
        result = function(request, sender, token)
    except Cancelled:
        sender.send(("cancelled",))
    except BaseException as error:  # everything goes back to the app, which reports it
        sender.send(("failed", str(error) or type(error).__name__, traceback.format_exc()))
    else:
        sender.send(("cancelled",) if token.cancelled else ("result", result))
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
