"""Best-shot measures remembered in the scan's cache file, so a warm rescan decodes no series
file again (grouping/series.py). Measured before: scoring decoded every series file on every
scan, about 1 s of the burst dev set's 1.6 s warm rescan.

A measure (sharpness, clipped share, mean grey) depends only on the file's pixels and the
method, so it is keyed by the file's path, size and mtime and METHOD_VERSION (bump it when
series.py's _measure changes). The table is created lazily in the cache file, like
verdict_store.py's; a read-only or full cache only means the measures are not kept.
"""

from __future__ import annotations

import hashlib
import sqlite3

from dedup_gui.engine.store.cache import Cache

METHOD_VERSION = 1
TABLE = "shot_scores"
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} "
           "(key TEXT PRIMARY KEY, sharpness REAL, clipped REAL, mean REAL)")
Key = tuple[str, int, int]  # path, size, mtime_ns
Measure = tuple[float, float, float] | None  # sharpness, clipped, mean grey; None: unreadable


class StoredScores(dict[Key, Measure]):
    """series.best_shot's measures backed by the cache: a key missing here is looked up there
    once; `save()` writes the measures taken in this scan."""

    def __init__(self, cache: Cache) -> None:
        super().__init__()
        self.cache = cache
        self.fresh: dict[Key, Measure] = {}
        self.usable = self._create()

    def __contains__(self, key: object) -> bool:
        if super().__contains__(key):
            return True
        if not (self.usable and isinstance(key, tuple)):
            return False
        found, measure = self._lookup(key)
        if found:
            super().__setitem__(key, measure)
        return found

    def __setitem__(self, key: Key, value: Measure) -> None:
        super().__setitem__(key, value)
        self.fresh[key] = value

    def save(self) -> None:
        rows = [(_row_key(key), *(value if value is not None else (None, None, None)))
                for key, value in self.fresh.items()]
        if not rows or not self.usable:
            return
        try:
            with self.cache.db.conn:
                self.cache.db.conn.executemany(
                    f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error:
            return
        self.fresh.clear()

    def _create(self) -> bool:
        try:
            self.cache.db.execute(_CREATE)
            return True
        except sqlite3.Error:
            return False

    def _lookup(self, key: Key) -> tuple[bool, Measure]:
        try:
            row = self.cache.db.execute(
                f"SELECT sharpness, clipped, mean FROM {TABLE} WHERE key = ?",
                (_row_key(key),)).fetchone()
        except sqlite3.Error:
            return False, None
        if row is None:
            return False, None
        return True, None if row[0] is None else (float(row[0]), float(row[1]), float(row[2]))


def _row_key(key: Key) -> str:
    path, size, mtime_ns = key
    text = "\0".join((path, str(size), str(mtime_ns), str(METHOD_VERSION)))
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()
