"""Turns the engine's stream of ProgressEvents into at most ~5 UI updates a second, with a rate
and the time left. Plain Python (the worker calls it on its own thread), so it is easy to test."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from dedup_gui.engine.progress import ProgressEvent

INTERVAL_S = 0.2
_MIN_ELAPSED_FOR_RATE_S = 0.5
# Time left only once the rate means something: the first seconds of a stage are start-up
# (processes, the model, cold disks) and a first estimate of minutes for a scan that ends in
# seconds is worse than none. Shown after this long and this share of the stage, while the last
# two rates agree within a third.
_MIN_ELAPSED_FOR_LEFT_S = 3.0
_MIN_SHARE_FOR_LEFT = 0.05
_STABLE_RATIO = 1.33


@dataclass(frozen=True, slots=True)
class ProgressInfo:
    """What the progress bar shows: stage, counts, items per second, seconds left (or None)."""

    stage: str
    done: int
    total: int
    rate: float | None
    seconds_left: float | None
    detail: str = ""

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total > 0 else None


class ProgressThrottle:
    """`update(event)` returns a ProgressInfo when one is due, else None."""

    def __init__(self, interval_s: float = INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._last_emit = float("-inf")
        self._stage = ""
        self._stage_start = 0.0
        self._stage_first_done = 0
        self._last_rate: float | None = None

    def update(self, event: ProgressEvent) -> ProgressInfo | None:
        now = self._clock()
        if event.stage != self._stage:
            self._stage, self._stage_start, self._stage_first_done = event.stage, now, event.done
            self._last_rate = None
        if now - self._last_emit < self.interval_s:
            return None
        self._last_emit = now
        return self.info(event, now)

    def info(self, event: ProgressEvent, now: float | None = None) -> ProgressInfo:
        now = self._clock() if now is None else now
        elapsed = now - self._stage_start
        rate = left = None
        done_here = event.done - self._stage_first_done
        if elapsed >= _MIN_ELAPSED_FOR_RATE_S and done_here > 0:
            rate = done_here / elapsed
            if event.total > 0 and self._stable(rate, elapsed, done_here / event.total):
                left = max(0, event.total - event.done) / rate
            self._last_rate = rate
        return ProgressInfo(event.stage, event.done, event.total, rate, left, event.detail)

    def _stable(self, rate: float, elapsed: float, share: float) -> bool:
        last = self._last_rate
        return (elapsed >= _MIN_ELAPSED_FOR_LEFT_S and share >= _MIN_SHARE_FOR_LEFT
                and last is not None and max(rate, last) <= _STABLE_RATIO * min(rate, last))
