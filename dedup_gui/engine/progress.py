"""One plain-Python progress and cancel interface, shared by every long engine call.

Front ends (the CLI's terminal bar, the Qt worker) pass a callback and a token; the engine calls the
callback as often as it likes and front ends throttle what they show. Cancelling is cooperative: the
engine checks the token between small units of work, so it stops within a fraction of a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised by engine calls when their CancelToken was cancelled."""


class CancelToken:
    """Thread-safe flag a front end sets to ask a running engine call to stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Where a long call is: a stage name, items done out of total (0 when unknown)."""

    stage: str
    done: int
    total: int
    detail: str = ""


ProgressCallback = Callable[[ProgressEvent], None]

# Stage names the front ends show to people.
STAGE_DISCOVER = "finding files"
STAGE_EXACT = "checking exact copies"
STAGE_SIGNALS = "reading images"
STAGE_COMPARE = "comparing"


def no_progress(_event: ProgressEvent) -> None:
    """Default callback: ignore progress."""


def report(callback: ProgressCallback | None, stage: str, done: int, total: int,
           detail: str = "") -> None:
    """Call `callback` if there is one; keeps the `if callback` noise out of engine loops."""
    if callback is not None:
        callback(ProgressEvent(stage, done, total, detail))
