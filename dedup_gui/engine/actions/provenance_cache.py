"""Provenance facts of grouped files, cached in the scan's SQLite file by path, size and mtime.

Why per group afterwards and not during the scan: only grouped files need facts (typically a few
per cent of a library), the facts need a full-resolution decode the scan avoids (it decodes a
draft), and keeping them in their own table leaves the scan's signal rows untouched. A warm
rescan then reads one row per grouped file and decodes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable

from dedup_gui.engine.actions.provenance_facts import FACTS_VERSION, FileFacts, read_facts
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import from_db, to_db
from dedup_gui.engine.types import GroupFile

TABLE = "provenance_facts"
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (path TEXT PRIMARY KEY, size INTEGER, "
           "mtime_ns INTEGER, version INTEGER, facts TEXT)")


def facts_for(files: Iterable[GroupFile], cache: Cache | None = None,
              reader: Callable[[str], FileFacts | None] = read_facts
              ) -> dict[str, FileFacts | None]:
    """path -> facts of every file (None: unreadable), read from `cache` where still valid,
    computed and stored otherwise."""
    wanted = {f.path: f for f in files}
    found = _cached(wanted, cache) if cache is not None else {}
    fresh = {path: reader(path) for path in wanted if path not in found}
    if cache is not None and fresh:
        _store(cache, [(wanted[p], facts) for p, facts in fresh.items()])
    return {**found, **fresh}


def _cached(wanted: dict[str, GroupFile], cache: Cache) -> dict[str, FileFacts | None]:
    found: dict[str, FileFacts | None] = {}
    try:
        cache.db.execute(_CREATE)
        paths = list(wanted)
        for start in range(0, len(paths), 500):
            chunk = [to_db(p) for p in paths[start:start + 500]]
            marks = ",".join("?" * len(chunk))
            rows = cache.db.execute(f"SELECT path, size, mtime_ns, version, facts FROM {TABLE} "
                                    f"WHERE path IN ({marks})", chunk).fetchall()
            for path, size, mtime_ns, version, text in rows:
                file = wanted[from_db(path)]
                if (size, mtime_ns, version) == (file.size, file.mtime_ns, FACTS_VERSION):
                    found[file.path] = FileFacts.from_dict(json.loads(text)) if text else None
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return {}
    return found


def _store(cache: Cache, items: list[tuple[GroupFile, FileFacts | None]]) -> None:
    rows = [(to_db(f.path), f.size, f.mtime_ns, FACTS_VERSION,
             json.dumps(facts.as_dict()) if facts else None) for f, facts in items]
    try:
        with cache.db.conn:
            cache.db.execute(_CREATE)
            cache.db.conn.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?)",
                                      rows)
    except sqlite3.Error:  # a read-only or full cache: the facts are simply not kept
        pass
