"""The trash journal: every batch and each file's outcome, in the cache database, for undo.

Write-ahead: a batch's files are recorded as `pending` before the first one is touched, and each
is updated right after its move. So after a crash the journal still names every file that may be
in the Trash, and undo can look for them. States of an item:
  pending  -> about to be moved (or the app stopped mid-move)
  trashed  -> in the Trash (`trashed_as` is where, when known)
  skipped  -> refused or failed; the file was not touched
  restored -> put back by undo
  lost     -> was trashed, but its Trash entry is gone or cannot be found: nothing left to undo
  quarantined -> moved to a folder the person chose: because the Trash refused it
              (quarantine.py), or by Move to folder (folder_move.py); `trashed_as` is where.
              A pending move to a folder records that target first.
The tables are user data (store/rows.py's USER_TABLES): schema changes never drop them. Paths and
texts go through store.rows.to_db, so file names that are not UTF-8 are journaled too.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from dedup_gui.engine.actions import trash_restore
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import from_db, to_db
from dedup_gui.engine.types import Stamped

PENDING, TRASHED, SKIPPED, RESTORED, LOST = "pending", "trashed", "skipped", "restored", "lost"
QUARANTINED = "quarantined"
SPARE_JOURNAL = "dedup-gui/undo-journal.sqlite3"  # in $XDG_DATA_HOME, if the cache is unwritable
_ITEM_COLUMNS = "batch_id, seq, path, size, mtime_ns, state, reason, trashed_as, undo_reason"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file, moved or restored. `trashed_as`: where it lies (or lay) in
    the Trash, when known."""

    path: str
    ok: bool
    reason: str
    trashed_as: str | None = None
    # The Trash itself refused the file (no trash folder, a network share ...) and left it in
    # place: front ends may offer to move it to a quarantine folder instead (quarantine.py).
    trash_unavailable: bool = False


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
        self.unwritable = ""  # why no journal can be kept: nothing may move then
        self.scan_cache = cache  # what the scan recorded, for re-checks (even when read-only)
        if cache.read_only or cache.in_memory_only:
            cache = self._spare(cache)
        self._cache = cache

    def _spare(self, cache: Cache) -> Cache:
        """The cache database cannot be written (read-only, locked, unusable): keep the journal
        in the user's data folder instead, where the next undo (a new connection, maybe a new
        session) finds it. A journal in memory would be gone before anyone could undo."""
        why = "is read-only" if cache.read_only else "cannot be used"
        spare = Cache(trash_restore.data_home() / SPARE_JOURNAL)
        if not (spare.read_only or spare.in_memory_only):
            self.warnings.append(f"The database {cache.path} {why}: the undo journal is kept in "
                                 f"{spare.path} instead.")
            return spare
        spare.close()
        self.unwritable = f"{cache.path} {why}, and so is {spare.path}"
        self.warnings.append(f"The database {self.unwritable}: nothing is moved while the undo "
                             "journal cannot be kept (free some space there, or make it "
                             "writable).")
        return Cache(None)

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
        """Record a new batch with every file `pending`; returns its id. Refused when no
        journal can be kept (only one in memory): the README promises every batch is journaled
        before anything moves, and a hostile-input check on a full disk saw files moved, then
        Undo restore none of them."""
        if self.unwritable:
            raise JournalError(f"the undo journal cannot be written ({self.unwritable}); free "
                               "some space there or make it writable, then move again")
        try:
            with self._conn() as conn:
                cursor = conn.execute(
                    "INSERT INTO journal_batches (started_ns, platform) VALUES (?, ?)",
                    (time.time_ns(), sys.platform))
                batch_id = int(cursor.lastrowid or 0)
                conn.executemany(
                    f"INSERT INTO journal_items ({_ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, "
                    "NULL, NULL, NULL)",
                    [(batch_id, seq, to_db(f.path), f.size, f.mtime_ns, PENDING)
                     for seq, f in enumerate(files)])
        except sqlite3.Error as error:
            raise JournalError(f"the journal could not be written ({error})") from error
        return batch_id

    def record(self, batch_id: int, seq: int, state: str, reason: str,
               trashed_as: str | None = None) -> None:
        self._write("UPDATE journal_items SET state = ?, reason = ?, trashed_as = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(state, to_db(reason), _db_or_none(trashed_as), batch_id, seq)])

    def finish_batch(self, batch_id: int) -> None:
        self._write("UPDATE journal_batches SET finished_ns = ? WHERE id = ?",
                    [(time.time_ns(), batch_id)])

    # -- undo -------------------------------------------------------------------------------
    def last_undoable(self) -> int | None:
        """The newest batch that still has files in the Trash (or possibly there), if any."""
        rows = self._read("SELECT MAX(batch_id) FROM journal_items WHERE state IN (?, ?, ?)",
                          (TRASHED, QUARANTINED, PENDING))
        return rows[0][0] if rows else None

    def items(self, batch_id: int) -> list[JournalItem]:
        rows = self._read(f"SELECT {_ITEM_COLUMNS} FROM journal_items WHERE batch_id = ? "
                          "ORDER BY seq", (batch_id,))
        return [JournalItem(batch, seq, from_db(path), size, mtime, state, _str_or_none(reason),
                            _str_or_none(trashed_as), _str_or_none(undo_reason))
                for batch, seq, path, size, mtime, state, reason, trashed_as, undo_reason in rows]

    def record_undo(self, item: JournalItem, state: str, undo_reason: str) -> None:
        self._write("UPDATE journal_items SET state = ?, undo_reason = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(state, to_db(undo_reason), item.batch_id, item.seq)])

    def record_found(self, item: JournalItem, trashed_as: str, state: str = TRASHED) -> None:
        """A pending item (the app stopped mid-move) turned out to be in the Trash (or in its
        quarantine folder: `state` QUARANTINED)."""
        self._write("UPDATE journal_items SET state = ?, trashed_as = ? "
                    "WHERE batch_id = ? AND seq = ?",
                    [(state, to_db(trashed_as), item.batch_id, item.seq)])

    def mark_undone(self, batch_id: int) -> None:
        self._write("UPDATE journal_batches SET undone_ns = ? WHERE id = ?",
                    [(time.time_ns(), batch_id)])

    def batches(self) -> list[BatchSummary]:
        """Every batch, newest first."""
        rows = self._read(
            "SELECT b.id, b.started_ns, "
            "SUM(i.state IN ('trashed', 'quarantined', 'restored', 'lost')), "
            "SUM(i.state IN ('trashed', 'quarantined')), "
            "b.undone_ns IS NOT NULL FROM journal_batches b "
            "LEFT JOIN journal_items i ON i.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC")
        return [BatchSummary(r[0], r[1], r[2] or 0, r[3] or 0, bool(r[4])) for r in rows]


def _db_or_none(text: str | None) -> str | bytes | None:
    return None if text is None else to_db(text)


def _str_or_none(value: str | bytes | None) -> str | None:
    return None if value is None else from_db(value)
