"""Opening the cache file, and what to do when it cannot be used as it is.

Why a module of its own: the cache must never stop a scan, and the rules for that concern the
file, not the values kept in it (cache.py): a damaged file is moved aside and rebuilt (never
deleted), a locked, read-only or full one is used read-only or not at all, a folder that cannot
be made means a cache in memory; each with a plain warning. The schema is brought up to date
(rows.py) on the way.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from dedup_gui.engine.store import rescue, snapshot_table
from dedup_gui.engine.store.errors import LOCKED, describe
from dedup_gui.engine.store.rows import CACHE_TABLES, SCHEMA_VERSION, TABLES, keeps_cache_rows

BUSY_TIMEOUT_S = 3.0
WAL_LIMIT_BYTES = 64 << 20


def _database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over our connection, without its plugins: no third-party code runs on the
    cache, and the first open skips a scan of every installed package's entry points."""
    return sqlite_utils.Database(conn, execute_plugins=False)


class CacheConnection:
    """The open cache database, and how usable its file turned out to be: `writable`,
    `read_only`, `in_memory_only`, with a plain warning in `warnings` for every fallback."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.writable = True
        self.read_only = False  # opened read-only: damage is then reported, never "repaired"
        self.in_memory_only = False  # the file could not be used at all: nothing is kept
        self._db = self._connect()
        if path is not None and (notice := rescue.read_notice(path)):
            self._warn(notice)  # from an earlier open: a scan shows it (rescue.py)

    def _connect(self) -> sqlite_utils.Database:
        if self.path is None:
            return self._prepare(sqlite3.connect(":memory:"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._prepare(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S))
        except sqlite3.OperationalError as error:
            return self._fallback(error)
        except sqlite3.DatabaseError:
            return self._rebuild_damaged()
        except OSError as error:
            self._warn(f"The cache folder {self.path.parent} cannot be used ({error.strerror}); "
                       "this scan runs without a cache.")
            return self._memory()

    def _prepare(self, conn: sqlite3.Connection) -> sqlite_utils.Database:
        db = _database(conn)
        version = db.execute("PRAGMA user_version").fetchone()[0]  # fails on a non-database
        if version != SCHEMA_VERSION:
            self._migrate(db, version)
        with contextlib.suppress(sqlite3.OperationalError):  # read-only files stay in their mode
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # a large write (a library snapshot: 500k files, ~0.45 GB) leaves a WAL file that
            # size beside the cache while it is open; SQLite cuts it back to this when it
            # starts the WAL over after a checkpoint
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
        return db

    @staticmethod
    def _migrate(db: sqlite_utils.Database, version: int) -> None:
        """Bring the file to SCHEMA_VERSION. Version 0 is a new file; cache tables of a layout we
        do not know are rebuilt; user-data tables are only ever created (1 -> 2 adds them)."""
        with db.conn:
            if version != 0 and not keeps_cache_rows(version):
                for name in (*CACHE_TABLES, snapshot_table.TABLE):
                    db.execute(f"DROP TABLE IF EXISTS [{name}]")
            for name, (columns, pk) in TABLES.items():
                db[name].create(columns, pk=pk, if_not_exists=True)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _fallback(self, error: sqlite3.OperationalError) -> sqlite_utils.Database:
        """Locked, read-only or unopenable: read what we can, write nothing, never move it."""
        self.writable = False
        self.read_only = True
        reason = describe(error, self.path)
        # mode=ro works while another instance writes; immutable=1 is needed for a WAL file in a
        # read-only folder (no -shm can be made), and is safe there because nobody can write it.
        # A lock means somebody IS writing: reading without locks could see half-written pages.
        locked = reason == LOCKED
        for query in ("mode=ro",) if locked else ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(f"file:{self.path}?{query}", uri=True,
                                       timeout=BUSY_TIMEOUT_S)
                db = _database(conn)
                if keeps_cache_rows(db.execute("PRAGMA user_version").fetchone()[0]):
                    self._warn(f"The cache {self.path} {reason}; it is used read-only and this "
                               "scan's results are not saved.")
                    return db
                conn.close()
            except sqlite3.DatabaseError:
                continue
        self._warn(f"The cache {self.path} {reason}; this scan runs without a cache.")
        return self._memory()

    def _rebuild_damaged(self) -> sqlite_utils.Database:
        """Move a damaged file aside (never delete what we did not understand) and start anew."""
        assert self.path is not None
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    source.rename(f"{aside}{suffix}")
            db = self._prepare(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S))
            message = (f"The cache file {self.path} was damaged; it was moved to {aside} and "
                       f"a new cache was started. {rescue.rescue_user_data(aside, db)}")
            self._warn(message)
            rescue.leave_notice(self.path, message)
            return db
        except (OSError, sqlite3.DatabaseError) as error:
            self._warn(f"The cache file {self.path} is damaged and could not be replaced "
                       f"({error}); this scan runs without a cache.")
            return self._memory()

    def _memory(self) -> sqlite_utils.Database:
        self.writable, self.read_only, self.in_memory_only = True, False, True
        return self._prepare(sqlite3.connect(":memory:"))

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def db(self) -> sqlite_utils.Database:
        """The open database, for the user-data tables (decisions, journal) kept beside the cache.
        Read it at each use: a damaged file is replaced by a new connection."""
        return self._db

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.conn.close()
