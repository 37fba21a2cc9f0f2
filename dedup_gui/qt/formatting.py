"""How numbers, times and dates read in the UI."""

from __future__ import annotations

import datetime as dt

from dedup_gui.terminal import human_bytes

__all__ = ["human_bytes", "human_count", "human_date", "human_duration", "plural"]


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def human_count(count: int) -> str:
    return f"{count:,}"


def human_duration(seconds: float | None) -> str:
    """'45 s', '3 min 05 s', '1 h 02 min'; '' when unknown."""
    if seconds is None or seconds < 0:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def human_date(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
