"""The SQLite cache: signals keyed by (path, size, mtime_ns, algorithm), so rescans decode nothing.

One database file (WAL, so a second instance can read while one writes). The schema carries
`PRAGMA user_version`. Tables come in two kinds (rows.py): cache tables, rebuilt whenever their
layout is not understood (they are only a cache), and user-data tables (not-duplicates decisions,
the trash journal), which are created when missing and migrated but never dropped.
The cache must never stop a scan: a damaged file is moved aside and rebuilt, a locked, read-only
or full one is used read-only or not at all — each with a plain warning in `Cache.warnings`
(connection.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlite_utils

from dedup_gui.engine.store import snapshot
from dedup_gui.engine.store.connection import CacheConnection
from dedup_gui.engine.store.errors import describe
from dedup_gui.engine.store.rows import (
    capture_to_row,
    row_to_capture,
    row_to_signals,
    signals_to_row,
    to_db,
)
from dedup_gui.engine.types import HASH_KINDS, Capture, FileEntry, ImageSignals

_LOOKUP_CHUNK = 1_000_000  # temp rows per fill (a ~100 MB bound at most)
# The wanted entries drive the join (CROSS JOIN fixes that order): each is looked up in the
# table's (path, ...) key, so the temp table needs no index of its own (500k paths: no second
# B-tree to build) and a small scan never walks a big cache's whole table.
_JOIN = ("FROM temp.wanted_entries w CROSS JOIN {table} {alias} ON {alias}.path = w.path "
         "AND {alias}.size = w.size AND {alias}.mtime_ns = w.mtime_ns")


class Cache(CacheConnection):
    """Signals and content hashes for files, valid while (size, mtime_ns) still match. Opening
    the file, and falling back when it is not usable, is CacheConnection's (connection.py)."""

    def __init__(self, path: Path | None = None) -> None:
        self._wanted: tuple[FileEntry, ...] = ()  # the entries in temp.wanted_entries now
        self._snapshot = snapshot.Held()  # read once a read, let go after it
        super().__init__(path)

    # -- reads ----------------------------------------------------------------------------
    # Each read selects only its columns and lets SQLite keep the rows whose (path, size,
    # mtime_ns) match an entry: no per-row dict, no Python-side check (a warm rescan of 500k
    # files reads 2M rows). The entries go into a temp table once for the reads that share them.
    def signals(self, entries: Iterable[FileEntry], algo: str) -> dict[str, ImageSignals | str]:
        """Cached signals (or the cached read error) for entries whose size and mtime match."""
        return self._served("signals", algo, entries, self._signal_rows)

    def embeddings(self, entries: Iterable[FileEntry], model: str) -> dict[str, bytes]:
        """Cached float16 embedding blobs for unchanged entries, for this model."""
        return self._served("embeddings", model, entries, self._embedding_rows)

    def captures(self, entries: Iterable[FileEntry], reader: str) -> dict[str, Capture]:
        """Cached capture metadata of unchanged entries, as read by this `reader` version."""
        return self._served("captures", reader, entries, self._capture_rows)

    def content_hashes(self, entries: Iterable[FileEntry], algo: str) -> dict[str, str]:
        return self._served("content_hashes", algo, entries, self._digest_rows)

    def _signal_rows(self, entries: Iterable[FileEntry], algo: str) -> dict:
        kinds = ", ".join(f"s.{kind}" for kind in HASH_KINDS)
        sql = (f"SELECT w.idx, s.error, s.width, s.height, s.format, {kinds} "
               f"{_JOIN.format(table='signals', alias='s')} WHERE s.algo = ?")
        files, rows = self._lookup(entries, sql, [algo])
        return {files[row[0]].path: row_to_signals(row[1:]) for row in rows}

    def _embedding_rows(self, entries: Iterable[FileEntry], model: str) -> dict:
        sql = f"SELECT w.idx, e.vector {_JOIN.format(table='embeddings', alias='e')} " \
              "WHERE e.model = ?"
        files, rows = self._lookup(entries, sql, [model])
        return {files[index].path: vector for index, vector in rows}

    def _capture_rows(self, entries: Iterable[FileEntry], reader: str) -> dict:
        sql = ("SELECT w.idx, c.taken_ns, c.has_offset, c.make, c.model, c.serial, c.unique_id,"
               f" c.source {_JOIN.format(table='captures', alias='c')} WHERE c.reader = ?")
        files, rows = self._lookup(entries, sql, [reader])
        return {files[row[0]].path: row_to_capture(row[1:]) for row in rows}

    def _digest_rows(self, entries: Iterable[FileEntry], algo: str) -> dict:
        sql = f"SELECT w.idx, c.digest {_JOIN.format(table='content_hashes', alias='c')} " \
              "WHERE c.algo = ?"
        files, rows = self._lookup(entries, sql, [algo])
        return {files[index].path: digest for index, digest in rows}

    # -- the library snapshot (snapshot.py): large reads answered from columns -------------
    def _served(self, table: str, version: str, entries: Iterable[FileEntry],
                rows: Callable[[Iterable[FileEntry], str], dict]) -> dict[str, Any]:
        """What `rows` reads for `entries`, the files the snapshot holds answered from it."""
        usable = self.path is not None and not self.in_memory_only
        return self._snapshot.served(self._db.conn if usable else None, table, version,
                                     tuple(entries), rows)

    def snapshot_misses(self, files: tuple[FileEntry, ...]) -> int | None:
        """How many of `files` the library snapshot does not hold; None without one."""
        usable = self.path is not None and not self.in_memory_only
        return self._snapshot.missing(self._db.conn if usable else None, files)

    def keep_snapshot(self, files: tuple[FileEntry, ...], values: Mapping[str, Mapping],
                      versions: snapshot.Versions, decoded: int = 0) -> None:
        """After a read of `files` (values: table -> what the read returned; `decoded`: how
        many it decoded): let go of the snapshot, and write a new one where it is not what the
        next read wants (snapshot.worth_writing)."""
        writable = self.writable and not self.in_memory_only and self.path is not None
        self._snapshot.keep(self._db.conn, files, values, versions, writable, decoded)

    def _lookup(self, entries: Iterable[FileEntry], sql: str, params: list
                ) -> tuple[tuple[FileEntry, ...], list[tuple]]:
        """The entries, and rows for the unchanged ones via a temp-table join (fast for any
        cache size), each naming its entry by position: the keys of what the reads return are
        the entries' own path strings, not one more copy per read (500k files: 4 x 40 MB)."""
        files = tuple(entries)
        try:
            return files, self._joined_rows(files, sql, params)
        except sqlite3.OperationalError as error:
            self._warn(f"The cache could not be read ({describe(error, self.path)}); values "
                       "are recomputed.")
        except sqlite3.DatabaseError:
            self._db = self._on_damage()
        return files, []

    def _joined_rows(self, entries: tuple[FileEntry, ...], sql: str, params: list
                     ) -> list[tuple]:
        rows: list[tuple] = []
        if not entries:
            return rows
        if entries == self._wanted and len(entries) <= _LOOKUP_CHUNK:  # same files as last read
            rows.extend(self._db.conn.execute(sql, params))
            return rows
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_entries "
                         "(path, size INTEGER, mtime_ns INTEGER, idx INTEGER)")
        for start in range(0, len(entries), _LOOKUP_CHUNK):
            self._db.execute("DELETE FROM temp.wanted_entries")
            chunk = entries[start:start + _LOOKUP_CHUNK]
            self._db.conn.executemany(
                "INSERT INTO temp.wanted_entries VALUES (?, ?, ?, ?)",
                ((to_db(e.path), e.size, e.mtime_ns, start + i) for i, e in enumerate(chunk)))
            rows.extend(self._db.conn.execute(sql, params))
        self._db.conn.commit()
        self._wanted = entries
        return rows

    # -- writes ---------------------------------------------------------------------------
    def put_signals(self, items: Iterable[tuple[FileEntry, ImageSignals | str]], algo: str) -> None:
        """Store signals (or read errors) in one transaction: a kill leaves no half batch."""
        rows = [signals_to_row(entry, value, algo) for entry, value in items]
        self._write("signals", rows, ("path", "algo"))

    def put_embeddings(self, items: Iterable[tuple[FileEntry, bytes]], model: str) -> None:
        rows = [{"path": to_db(e.path), "model": model, "size": e.size, "mtime_ns": e.mtime_ns,
                 "vector": blob} for e, blob in items]
        self._write("embeddings", rows, ("path", "model"))

    def put_captures(self, items: Iterable[tuple[FileEntry, Capture]], reader: str) -> None:
        rows = [capture_to_row(entry, capture, reader) for entry, capture in items]
        self._write("captures", rows, ("path",))

    def put_content_hashes(self, items: Iterable[tuple[FileEntry, str]], algo: str) -> None:
        rows = [{"path": to_db(e.path), "size": e.size, "mtime_ns": e.mtime_ns, "algo": algo,
                 "digest": digest} for e, digest in items]
        self._write("content_hashes", rows, ("path",))

    def _write(self, table: str, rows: list[dict], pk: tuple[str, ...]) -> None:
        if not rows or not self.writable:
            return
        try:
            with self._db.conn:
                self._db[table].upsert_all(rows, pk=pk)
        except sqlite3.OperationalError as error:
            self.writable = False
            self._warn(f"The cache {self.path} {describe(error, self.path)}; the rest of this "
                       "scan's results are not saved.")
        except sqlite3.DatabaseError:
            self._db = self._on_damage()

    def noticed(self, error: sqlite3.Error) -> None:
        """A cache table's read or write failed (the stores keep going without it): a damaged
        file is moved aside and rebuilt now, as a damaged signals table is. Only damage:
        a locked, read-only or full file raises OperationalError, and a store's own mistake
        another subclass. Why: a file damaged in the middle kept failing in the stores'
        tables, silently, scan after scan (a hostile-input check)."""
        if type(error) is sqlite3.DatabaseError and self.path is not None \
                and not self.in_memory_only:
            self._db = self._on_damage()

    def _on_damage(self) -> sqlite_utils.Database:
        self._wanted = ()  # the temp table went with the old connection
        self._snapshot.drop()
        if self.read_only:  # maybe another instance's file mid-write: leave it alone
            self._warn(f"The cache {self.path} could not be read; this scan runs without it.")
            return self._memory()
        return self._rebuild_damaged()
