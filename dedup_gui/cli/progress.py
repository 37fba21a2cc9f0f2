"""A one-line progress bar for terminals, throttled so a 100k-file scan doesn't flood stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from dedup_gui.engine.progress import ProgressEvent

_MIN_INTERVAL_S = 0.1
_BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TerminalProgress:
    """Draws `stage [#####.....] done/total rate/s eta` on one line; silent when not a TTY."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._stage = ""
        self._stage_start = time.monotonic()
        self._last_draw = 0.0
        self._line_len = 0

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if event.stage != self._stage:
            self._stage, self._stage_start = event.stage, now
        elif now - self._last_draw < _MIN_INTERVAL_S and event.done < event.total:
            return
        self._last_draw = now
        self._draw(self._line(event, now - self._stage_start))

    def _line(self, event: ProgressEvent, elapsed: float) -> str:
        if event.total <= 0:
            return f"{event.stage}: {event.done}"
        fraction = min(1.0, event.done / event.total)
        filled = int(fraction * _BAR_WIDTH)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        rate = event.done / elapsed if elapsed > 0.2 else 0.0
        eta = f" {_clock((event.total - event.done) / rate)} left" if rate > 0 else ""
        speed = f" {rate:.0f}/s" if rate > 0 else ""
        return f"{event.stage} [{bar}] {event.done}/{event.total}{speed}{eta}"

    def _draw(self, line: str) -> None:
        padding = " " * max(0, self._line_len - len(line))
        self.stream.write("\r" + line + padding)
        self.stream.flush()
        self._line_len = len(line)

    def finish(self) -> None:
        if self.enabled and self._line_len:
            self.stream.write("\r" + " " * self._line_len + "\r")
            self.stream.flush()
            self._line_len = 0
