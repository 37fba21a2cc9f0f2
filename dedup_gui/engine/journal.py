"""The trash journal: every batch and each file's outcome, in the cache database, for undo.

Write-ahead: a batch's files are recorded as `pending` before the first one is touched, and each
is updated right after its move. So after a crash the journal still names every file that may be
in the Trash, and undo can look for them. States of an item:
  pending  -> about to be moved (or the app stopped mid-move)
  trashed  -> in the Trash (`trashed_as` is where, when known)
  skipped  -> refused or failed; the file was not touched
  restored -> put back by undo
  lost     -> was trashed, but its Trash entry is gone or cannot be found: nothing left to undo
The tables are user data (cache_rows.USER_TABLES): schema changes never drop them.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from dedup_gui.engine.cache import Cache
from dedup_gui.engine.decisions import Stamped

PENDING, TRASHED, SKIPPED, RESTORED, LOST = "pending", "trashed", "skipped", "restored", "lost"
_ITEM_COLUMNS = "batch_id, seq, path, size, mtime_ns, state, reason, trashed_as, undo_reason"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file, moved or restored. `trashed_as`: where it lies (or lay) in
    the Trash, when known."""

    path: str
    ok: bool
    reason: str
    trashed_as: str | None = None


class JournalError(Exception):
    """The journal could not be written: nothing more may be moved in this batch."""


@dataclass(frozen=True, slots=True)
class JournalItem:
    """One file of a batch as the journal remembers it."""

    batch_id: int
    seq: int
    path: str
    size: int
    mtime_ns: int
    state: str
    reason: str | None
    trashed_as: str | None
    undo_reason: str | None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """A batch for a history list: when, how many files were moved, whether undo ran."""

    id: int
    started_ns: int
    moved: int
    in_trash: int
    undone: bool


class Journal:
    """Batches of trash moves, over the cache's connection (so one file holds everything)."""

    def __init__(self, cache: Cache) -> None:
        self.warnings: list[str] = []
        if cache.read_only:
            self.warnings.append(f"The database {cache.path} is read-only: what is moved to the "
                                 "Trash can be undone only until dedup-gui quits.")
            cache = Cache(None)
        self._cache = cache

    def _conn(self) -> sqlite3.Connection:
        return self._cache.db.conn

    def _write(self, sql: str, rows: Sequence[tuple]) -> None:
        try:
            with self._conn() as conn:
                conn.executemany(sql, rows)
        except sqlite3.Error as error:
            raise JournalError(f"the journal could not be written ({error})") from error

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise JournalError(f"the journal could not be read ({error})") from error

    # -- a batch of moves -------------------------------------------------------------------
    def start_batch(self, files: Sequence[Stamped]) -> int:
        """Record a new batch with every file `pending`; returns its id."""
        try:
            with self._conn() as conn:
                cursor = conn.execute(
                    "INSERT INTO journal_batches (started_ns, platform) VALUES (?, ?)",
                    (time.time_ns(), sys.platform))
                batch_id = int(cursor.lastrowid or 0)
                conn.executemany(
                    f"INSERT INTO journal_items ({_ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, "
                    "NULL, NULL, NULL)",
                    [(batch_id, seq, f.path, f.size, f.mtime_ns, PENDING)
                     for seq, f in enumerate(files)])
        except sqlite3.Error as error:
            raise JournalError(f"the journal could not be written ({error})") from error
        return batch_id

    def record(self, batch_id: int, seq: int, state: str, reason: str,
               trashed_as: str | None = None) -> None:
        self._write("UPDATE journal_items SET state = ?, reason = ?, trashed_as = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(state, reason, trashed_as, batch_id, seq)])

    def finish_batch(self, batch_id: int) -> None:
        self._write("UPDATE journal_batches SET finished_ns = ? WHERE id = ?",
                    [(time.time_ns(), batch_id)])

    # -- undo -------------------------------------------------------------------------------
    def last_undoable(self) -> int | None:
        """The newest batch that still has files in the Trash (or possibly there), if any."""
        rows = self._read("SELECT MAX(batch_id) FROM journal_items WHERE state IN (?, ?)",
                          (TRASHED, PENDING))
        return rows[0][0] if rows else None

    def items(self, batch_id: int) -> list[JournalItem]:
        rows = self._read(f"SELECT {_ITEM_COLUMNS} FROM journal_items WHERE batch_id = ? "
                          "ORDER BY seq", (batch_id,))
        return [JournalItem(*row) for row in rows]

    def record_undo(self, item: JournalItem, state: str, undo_reason: str) -> None:
        self._write("UPDATE journal_items SET state = ?, undo_reason = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(state, undo_reason, item.batch_id, item.seq)])

    def record_found(self, item: JournalItem, trashed_as: str) -> None:
        """A pending item (the app stopped mid-move) turned out to be in the Trash."""
        self._write("UPDATE journal_items SET state = ?, trashed_as = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(TRASHED, trashed_as, item.batch_id, item.seq)])

    def mark_undone(self, batch_id: int) -> None:
        self._write("UPDATE journal_batches SET undone_ns = ? WHERE id = ?",
                    [(time.time_ns(), batch_id)])

    def batches(self) -> list[BatchSummary]:
        """Every batch, newest first."""
        rows = self._read(
            "SELECT b.id, b.started_ns, "
            "SUM(i.state IN ('trashed', 'restored', 'lost')), SUM(i.state = 'trashed'), "
            "b.undone_ns IS NOT NULL FROM journal_batches b "
            "LEFT JOIN journal_items i ON i.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC")
        return [BatchSummary(r[0], r[1], r[2] or 0, r[3] or 0, bool(r[4])) for r in rows]
