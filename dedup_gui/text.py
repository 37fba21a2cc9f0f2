"""How numbers, sizes, times and dates read, in one place for the app, the CLI and the report.

Plain Python with no imports beyond the standard library, so every layer may use it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

_BREAKS = ("Cc", "Zl", "Zp")  # control characters, line and paragraph separators


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 file', '2,048 files'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def travelling(count: int, photos: int) -> str:
    """'1 that travels with it', '3 that travel with them': the companions (RAW, Live video,
    sidecar) a move takes with the marked photos ("1 that travel", then "1 file and 1 that
    travels with them": first-user checks)."""
    verb, photo = ("travels" if count == 1 else "travel"), ("it" if photos == 1 else "them")
    return f"{count:,} that {verb} with {photo}"


def human_count(count: int) -> str:
    return f"{count:,}"


def human_bytes(count: float) -> str:
    """Decimal units, as file managers show them: '512 B', '1.5 MB'."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(count) < 1000 or unit == "TB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"


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


def shown_name(name: str) -> str:
    """A file or folder name as one line of text: control characters (a newline, a tab: legal
    in a Linux name) shown as escapes. Why: a name with a newline broke a card's layout into
    two lines that read as two files (a hostile-input check)."""
    return "".join(c.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(c) in _BREAKS else c for c in name)


def sentence_case(text: str) -> str:
    """The first letter upper case, the rest as written: str.capitalize() lowered "your own
    edit (Google Photos)" to "(google photos)" (a real-window check)."""
    return text[:1].upper() + text[1:]
