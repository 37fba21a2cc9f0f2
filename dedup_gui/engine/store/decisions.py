"""The "not duplicates" decisions, remembered in the cache database and respected by every scan.

A decision is about two files as they were when the person looked at them: it is keyed by the two
paths (sorted) and also records each file's size and mtime_ns. When either file changes (edited,
replaced, re-saved) the decision no longer applies and the pair may be proposed again; the row is
kept, harmless, until it is forgotten. Decisions live in a user-data table, which schema changes
never drop (see rows.py). (grouping/regroup.py re-forms a group under review at once when a pair
of it is marked, the way the next scan will form it.)
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import from_db, to_db
from dedup_gui.engine.types import Stamped


@dataclass(frozen=True, slots=True)
class NotDuplicates:
    """One remembered decision: `a` < `b`, each with the size and mtime it had then."""

    a: str
    b: str
    size_a: int
    mtime_a: int
    size_b: int
    mtime_b: int
    decided_ns: int


class Decisions:
    """Add, forget and list "not duplicates" decisions over the cache's connection."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def mark_not_duplicates(self, files: Sequence[Stamped]) -> bool:
        """Remember that no two of `files` are duplicates (a pair, or a whole group: all its
        pairs). False, with a warning on the cache, when the database cannot be written."""
        now = time.time_ns()
        rows = [_row(x, y, now) for x, y in itertools.combinations(files, 2) if x.path != y.path]
        return self._change("INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def forget(self, paths: Iterable[str]) -> bool:
        """Forget every decision between two of `paths` (undoing a "not duplicates")."""
        pairs = [tuple(to_db(p) for p in sorted(pair))
                 for pair in itertools.combinations(set(paths), 2)]
        return self._change("DELETE FROM decisions WHERE path_a = ? AND path_b = ?", pairs)

    def all(self) -> list[NotDuplicates]:
        """Every stored decision, sorted by paths (void ones too: a settings page lists them)."""
        try:
            cursor = self.cache.db.execute("SELECT path_a, path_b, size_a, mtime_a, size_b, "
                                           "mtime_b, decided_ns FROM decisions "
                                           "ORDER BY path_a, path_b")
            return [NotDuplicates(from_db(a), from_db(b), *rest) for a, b, *rest in cursor]
        except sqlite3.Error as error:  # no table yet (read-only old file), or unreadable
            self._warn(f"Not-duplicates decisions could not be read ({error}).")
            return []

    def pairs_for(self, files: Iterable[Stamped]) -> set[tuple[str, str]]:
        """Sorted path pairs still in force among `files`: both present and both unchanged."""
        decided = self.all()
        if not decided:  # most libraries: no per-file map to build (500k files: 0.3 s, 80 MB)
            return set()
        stamp = {f.path: (f.size, f.mtime_ns) for f in files}
        return {(d.a, d.b) for d in decided
                if stamp.get(d.a) == (d.size_a, d.mtime_a)
                and stamp.get(d.b) == (d.size_b, d.mtime_b)}

    def _change(self, sql: str, rows: list[tuple]) -> bool:
        if not rows:
            return True
        if self.cache.read_only or self.cache.in_memory_only:  # it would be lost on close
            self._unsaved("the database is read-only" if self.cache.read_only
                          else "the database cannot be used")
            return False
        try:
            with self.cache.db.conn:
                self.cache.db.conn.executemany(sql, rows)
        except sqlite3.Error as error:
            self._unsaved(str(error))
            return False
        return True

    def _unsaved(self, why: str) -> None:
        self._warn(f"The not-duplicates decision could not be saved ({why}).")

    def _warn(self, message: str) -> None:
        if message not in self.cache.warnings:
            self.cache.warnings.append(message)


def _row(x: Stamped, y: Stamped, now: int) -> tuple:
    a, b = sorted((x, y), key=lambda f: f.path)
    return (to_db(a.path), to_db(b.path), a.size, a.mtime_ns, b.size, b.mtime_ns, now)
