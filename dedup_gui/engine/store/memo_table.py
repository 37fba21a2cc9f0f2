"""A dict backed by one table of the cache file, for results that depend only on files' bytes and
a method (pixel verdicts, best-shot measures): a key missing here is looked up there once, and
`save()` writes what this scan added. The table is created lazily by the module that owns it,
so no schema version changes; a read-only or full cache only means nothing is kept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from dedup_gui.engine.store.cache import Cache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class StoredMemo(dict[K, V], Generic[K, V]):
    """Subclasses name the table and its value columns ("same INTEGER", …) and say how a key
    becomes a row key (None: not storable) and how a value becomes a row and back."""

    TABLE = ""
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, cache: Cache) -> None:
        super().__init__()
        self.cache = cache
        self.fresh: dict[K, V] = {}
        self.absent: set[K] = set()  # looked up and not in the table (it gains only ours)
        self.usable = self._create()

    def row_key(self, key: K) -> str | None:
        raise NotImplementedError

    def encode(self, value: V) -> tuple[Any, ...]:
        raise NotImplementedError

    def decode(self, row: tuple[Any, ...]) -> V:
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        if super().__contains__(key):
            return True
        if not (self.usable and isinstance(key, tuple)) or key in self.absent:
            return False
        row = self._lookup(key)  # type: ignore[arg-type]
        if row is None:
            self.absent.add(key)  # type: ignore[arg-type]
            return False
        super().__setitem__(key, self.decode(row))  # type: ignore[index]
        return True

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        """dict.get through the table too: the pool's dry run asks with get (a 500k library
        gaining 1,000 files handed 12,000 stored verdicts to the workers to compute again).
        A key found absent is not asked again (the dry run asks every wave)."""
        return self[key] if key in self else default  # noqa: SIM401  (this is get)

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.fresh[key] = value

    def save(self) -> None:
        rows = [(k, *self.encode(value)) for key, value in self.fresh.items()
                if (k := self.row_key(key)) is not None]
        if not rows or not self.usable:
            return
        marks = ", ".join("?" * (len(self.COLUMNS) + 1))
        try:
            with self.cache.db.conn:
                self.cache.db.conn.executemany(
                    f"INSERT OR REPLACE INTO {self.TABLE} VALUES ({marks})", rows)
        except sqlite3.Error as error:  # read-only or full: the values are simply not kept
            self.cache.noticed(error)
            return
        self.fresh.clear()

    def _create(self) -> bool:
        columns = ", ".join(("key TEXT PRIMARY KEY", *self.COLUMNS))
        try:
            self.cache.db.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} ({columns})")
            return True
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return False

    def _lookup(self, key: K) -> tuple[Any, ...] | None:
        row_key = self.row_key(key)
        if row_key is None:
            return None
        names = ", ".join(column.split()[0] for column in self.COLUMNS)
        try:
            return self.cache.db.execute(f"SELECT {names} FROM {self.TABLE} WHERE key = ?",
                                         (row_key,)).fetchone()
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return None
