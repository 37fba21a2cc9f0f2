"""A library snapshot: the cached values of a large library's files, kept in columns too, so a
rescan reads them in one go instead of row by row.

Why: a warm rescan of 500k files read 2M rows through four joins and made an object of each
(~8 s of a ~20 s rescan; +1,000 new files paid the same). From the snapshot's arrays the same
values are made in ~2 s, and the tables are asked only for the files it does not hold (the new,
the changed, and the few without some value).

Exact: a snapshot row names its file by the tables' own identity (path, size, mtime_ns) and
each column by the version its table rows carry (hash algorithm, model, capture reader). A
table row is never rewritten for the same identity and version (values are computed only where
none is cached), so a value the snapshot holds is the value the table holds; one it lacks is
asked of the table. (The one case it sees differently: a file forgotten from the tables
when it left its folder, back under the same path, size and mtime to the nanosecond with other
bytes, keeps its old values here, as the tables would have kept them had it never left.)
Written after a read of at least SNAPSHOT_FROM files of which it held fewer than REWRITE_SHARE
(the rescan after a first scan, a library grown or changed by a tenth) or that asked for other
versions (another hash size), by a read that decoded few files (worth_writing), in one
transaction (500k files: ~7 s, once); a snapshot that cannot be read is ignored, never trusted
in part, and written anew.

This module holds those decisions; how a snapshot is stored and read back is snapshot_table.py
(its columns: snapshot_columns.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from dedup_gui.engine.store.snapshot_table import Snapshot, Versions, load, save
from dedup_gui.engine.types import FileEntry

SNAPSHOT_FROM = 20_000  # files; below this the row reads take well under a second
REWRITE_SHARE = 0.9  # files the snapshot answered, below which a new one is written
DECODED_SHARE = 0.1  # files a read decoded, above which the next read writes the snapshot


class Held:
    """The snapshot a cache answers large reads from: read at the first large read, let go
    of (and written anew where worth it) when the read is over."""

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None
        self._tried = False

    def served(self, db: sqlite3.Connection | None, table: str, version: str,
               files: tuple[FileEntry, ...],
               rows: Callable[[Iterable[FileEntry], str], dict]) -> dict[str, Any]:
        """What `rows` (the table's read) gives for `files`, those the snapshot holds
        answered from it; `db` None: no snapshot (a cache in memory)."""
        held = self._for(db, files)
        if held is None:
            return rows(files, version)
        try:
            answer = held.answer(table, version, files)
        except (sqlite3.Error, ValueError, KeyError, IndexError, TypeError, AttributeError):
            self._snapshot = None  # unreadable: not trusted in part, the tables answer
            return rows(files, version)
        return answer.merged(rows(answer.unanswered(files), version))

    def missing(self, db: sqlite3.Connection | None, files: tuple[FileEntry, ...]
                ) -> int | None:
        """How many of `files` the snapshot does not hold (new or changed since it was
        written); None without one. Matched once: the reads that follow reuse it."""
        held = self._for(db, files)
        if held is None:
            return None
        try:
            return int(np.count_nonzero(held.rows_of(files) < 0))
        except (ValueError, IndexError, TypeError):
            return None

    def _for(self, db: sqlite3.Connection | None, files: Sequence[FileEntry]
             ) -> Snapshot | None:
        if db is None or len(files) < SNAPSHOT_FROM:
            return None
        if not self._tried:
            self._tried = True
            self._snapshot = load(db)
        held = self._snapshot
        return held if held is not None and held.serves(len(files)) else None

    def keep(self, db: sqlite3.Connection, files: Sequence[FileEntry],
             values: Mapping[str, Mapping], versions: Versions, writable: bool,
             decoded: int = 0) -> None:
        """After a read of `files` that decoded `decoded` of them: let go, and write a new
        snapshot where worth_writing."""
        held = self._snapshot
        self.drop()
        if not writable or not worth_writing(files, held, versions, decoded):
            return
        try:
            save(db, files, values, versions)
        except (OverflowError, ValueError, TypeError, KeyError, AttributeError):
            return  # a value the columns cannot hold: the tables keep answering, as before

    def drop(self) -> None:
        self._snapshot, self._tried = None, False


def worth_writing(files: Sequence[FileEntry], held: Snapshot | None, versions: Versions,
                  decoded: int = 0) -> bool:
    """Whether a read of `files` with `versions`, with `held` the snapshot it found (None:
    none, or none readable), should leave a new snapshot behind: when that one holds too
    few of the files, or was not written for these versions (another hash size, say). Not
    by a read that `decoded` more than DECODED_SHARE of its files (a first scan): that
    process holds what its decoding left behind, and the write went on top of it (a cold
    scan of 500k files peaked at 2.47 GB with it, over the 2 GB budget); the next rescan,
    which decodes little, writes it."""
    if len(files) < SNAPSHOT_FROM or decoded > DECODED_SHARE * len(files):
        return False
    return held is None or held.matched(files) < REWRITE_SHARE * len(files) \
        or not held.made_for(versions)
