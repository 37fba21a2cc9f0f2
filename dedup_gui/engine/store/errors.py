"""Why the cache database failed, in the words a person needs (cache.py shows them as warnings).

SQLite's messages are terse, and a full disk often reaches it as a plain "disk I/O error" (a WAL
or shared-memory write that failed), or, under a file-size limit (ulimit -f), as the same. So the
free space and the limit are looked at before the error is named.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

LOCKED = "is in use by another dedup-gui"
DISK_FULL = "cannot grow because the disk is full"
_NEARLY_FULL = 1 << 20


def describe(error: sqlite3.Error, path: Path | None = None) -> str:
    """Turn SQLite's terse messages into the phrase a person needs. A full disk often reaches
    SQLite as a plain "disk I/O error" (a WAL write that failed), so look at the free space."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return LOCKED
    if "readonly" in text or "read-only" in text:
        return "is read-only"
    if "full" in text or ("i/o" in text and _disk_nearly_full(path)):
        return DISK_FULL
    if "i/o" in text and _at_size_limit(path):
        return "cannot grow past this system's file-size limit (ulimit -f)"
    if "unable to open" in text:
        return "cannot be opened"
    return f"failed ({error})"


def _disk_nearly_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL
    except OSError:
        return False


def _at_size_limit(path: Path | None) -> bool:
    """Whether the database or its WAL has reached the process's file-size limit (RLIMIT_FSIZE),
    where writes fail with EFBIG, which SQLite reports as an I/O error."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if path is None or limit == resource.RLIM_INFINITY:
        return False
    sizes = [p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()]
    return max(sizes, default=0) >= limit - _NEARLY_FULL // 16
