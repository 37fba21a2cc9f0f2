"""Stat a folder's files on two threads. Discovery of a photo library is mostly one stat call
per file (its size and mtime key the cache), and a stat call releases the GIL: while one thread
waits in the kernel the other runs, so a big folder is statted in about half the time on two
cores (a warm rescan of 500k files spends ~1.3 s in these calls)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

THREADED_FROM = 256  # entries of one folder below which a second thread costs more than it saves


def stat_entry(entry: os.DirEntry[str]) -> os.stat_result:
    """Stat through links; Windows' cached DirEntry stat has no inode, so ask again there."""
    st = entry.stat()
    return os.stat(entry.path) if st.st_ino == 0 else st


def _stats(entries: Sequence[os.DirEntry[str]]) -> list[os.stat_result | OSError]:
    found: list[os.stat_result | OSError] = []
    for entry in entries:
        try:
            found.append(stat_entry(entry))
        except OSError as exc:  # vanished or unreadable: the caller reports it
            found.append(exc)
    return found


class Statter:
    """stat_entry of many entries, in order, each a stat_result or the OSError it raised."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    def stat_all(self, entries: Sequence[os.DirEntry[str]]) -> list[os.stat_result | OSError]:
        if len(entries) < THREADED_FROM:
            return _stats(entries)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="dedup-stat")
        half = len(entries) // 2
        later = self._pool.submit(_stats, entries[half:])
        return _stats(entries[:half]) + later.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
