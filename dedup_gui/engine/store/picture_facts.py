"""The per-picture facts the signal stage found (signals/picture_facts.py), kept in the cache.

Keyed like the signals (path, size, mtime_ns) plus the facts' version, one row a file. Written
while decoding goes on, with the signals; read one file at a time, and only by verification,
for the files of the pairs it checks: a warm rescan (which verifies nothing) reads none, and a
cache from before the facts simply has none (verification then decodes, as it used to, and
keeps its answers with its verdicts: grouping/verdict_store.py). The table is created when
first used, so no schema version changes and no cached signals are dropped on upgrade.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import to_db
from dedup_gui.engine.types import FileEntry

TABLE = "picture_facts"
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (path TEXT PRIMARY KEY, size INTEGER, "
           "mtime_ns INTEGER, version INTEGER, framed INTEGER, plain INTEGER)")
Facts = tuple[bool, bool]  # (framed, plain)


def _created(cache: Cache) -> bool:
    try:
        cache.db.execute(_CREATE)
        return True
    except sqlite3.Error as error:
        cache.noticed(error)
        return False


def put_facts(cache: Cache, items: Iterable[tuple[FileEntry, Facts]], version: int) -> None:
    """Store facts in one transaction; a read-only or full cache keeps nothing."""
    rows = [(to_db(e.path), e.size, e.mtime_ns, version, int(framed), int(plain))
            for e, (framed, plain) in items]
    if not rows or not cache.writable or not _created(cache):
        return
    try:
        with cache.db.conn:
            cache.db.conn.executemany(
                f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?)", rows)
    except sqlite3.Error as error:
        cache.noticed(error)
        return


class FactsReader:
    """Point lookups of one version's facts; None for a file without them (or changed)."""

    def __init__(self, cache: Cache, version: int) -> None:
        self.cache = cache
        self.version = version
        self.usable = _created(cache)

    def get(self, path: str, size: int, mtime_ns: int) -> Facts | None:
        if not self.usable:
            return None
        try:
            row = self.cache.db.execute(
                f"SELECT framed, plain FROM {TABLE} WHERE path = ? AND size = ? AND "
                "mtime_ns = ? AND version = ?",
                (to_db(path), size, mtime_ns, self.version)).fetchone()
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return None
        return None if row is None else (bool(row[0]), bool(row[1]))
