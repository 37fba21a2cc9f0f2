"""The library snapshot as stored (snapshot.py decides when it is read and written): its parts
(paths, sizes, mtimes, each table's columns) as rows of one table under a fresh id, written in
one transaction, read back part by part as reads need them, and the answers read from them.

Why a module of its own: how a snapshot is laid out and read back is one concern, checked by
its own exactness rules (a part of another snapshot is a missing part, an unreadable one is
never trusted in part); when a cache reads or writes one is another, kept in snapshot.py.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from itertools import chain

import numpy as np

from dedup_gui.engine.store.snapshot_columns import DECODERS, ENCODERS, PRESENT, present
from dedup_gui.engine.types import FileEntry

TABLE = "library_snapshot"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (part TEXT PRIMARY KEY, data BLOB)"
FORMAT = 1
Versions = Mapping[str, str | None]  # table -> the version its values were asked with


class Snapshot:
    """The snapshot's files, and each table's column when read with the version it holds."""

    def __init__(self, db: sqlite3.Connection, header: dict) -> None:
        self._header = header
        # the columns read their parts through this, not through the snapshot: no reference
        # cycle (the read runs with the collector paused, and a cycle would outlive it)
        # (each part under the id of the snapshot it belongs to: one written anew by another
        # instance meanwhile is a missing part, never another snapshot's data)
        self._part = partial(_read, db, prefix=f"{header['id']}:")
        self.paths = self._part("paths").decode("utf-8", "surrogatepass").split("\0")
        self._sizes = np.frombuffer(self._part("sizes"), np.int64)
        self._mtimes = np.frombuffer(self._part("mtimes"), np.int64)
        if not len(self.paths) == len(self._sizes) == len(self._mtimes) == header["count"]:
            raise ValueError("snapshot columns disagree")
        self._columns: dict[str, object] = {}
        self._matched: tuple[Sequence[FileEntry], np.ndarray] | None = None
        self._paths_of: tuple[Sequence[FileEntry], np.ndarray] | None = None

    def serves(self, wanted: int) -> bool:
        """Whether to answer a read of `wanted` files: not when the snapshot is much larger
        (a scan of one folder of a large library reads its rows as before)."""
        return len(self.paths) <= 2 * wanted

    def made_for(self, versions: Versions) -> bool:
        """Whether this snapshot was written by a read with these versions (those not None):
        a column it left out because its values did not fit counts as written."""
        asked = self._header.get("asked", {})
        return all(asked.get(table) == v for table, v in versions.items() if v is not None)

    def matched(self, files: Sequence[FileEntry]) -> int:
        """How many of `files` the snapshot holds (path, size and mtime all the same)."""
        return int(np.count_nonzero(self.rows_of(files) >= 0))

    def rows_of(self, files: Sequence[FileEntry]) -> np.ndarray:
        """The snapshot row of each file with the same path, size and mtime, else -1 (the last
        answer is kept: the reads of one scan ask about the same files)."""
        if self._matched is not None and self._matched[0] is files:
            return self._matched[1]
        paths = [f.path for f in files]
        if paths == self.paths:  # an unchanged library: no lookup at all
            rows = np.arange(len(paths))
        else:
            index = {p: i for i, p in enumerate(self.paths)}
            rows = np.fromiter((index.get(p, -1) for p in paths), np.int64, len(paths))
        found = rows >= 0
        sizes = np.fromiter((f.size for f in files), np.int64, len(files))
        mtimes = np.fromiter((f.mtime_ns for f in files), np.int64, len(files))
        found[found] &= (self._sizes[rows[found]] == sizes[found]) & \
            (self._mtimes[rows[found]] == mtimes[found])
        rows = np.where(found, rows, -1)
        self._matched = (files, rows)
        return rows

    def answer(self, table: str, version: str | None, files: Sequence[FileEntry]) -> Answer:
        """The `table` values (read with `version`) the snapshot holds for `files`."""
        rows = self.rows_of(files)
        held = rows >= 0
        if version is None or self._header["versions"].get(table) != version:
            held[:] = False
        else:
            held[held] &= present(self._part, PRESENT[table])[rows[held]]
        at = np.flatnonzero(held)
        values = self._column(table).values(rows[at]) if len(at) else []  # type: ignore[attr-defined]
        return Answer(self._keys(files), at, values, np.flatnonzero(~held))

    def _keys(self, files: Sequence[FileEntry]) -> np.ndarray:
        """The files' own path strings as an object array, to gather by position in C."""
        if self._paths_of is None or self._paths_of[0] is not files:
            self._paths_of = (files, np.array([f.path for f in files], dtype=object))
        return self._paths_of[1]

    def _column(self, table: str) -> object:
        if table not in self._columns:
            self._columns[table] = DECODERS[table](self._part)
        return self._columns[table]


class Answer:
    """What a snapshot answered of one read: the files' paths (by position), the positions it
    answered and their values, and the positions left for the table."""

    def __init__(self, keys: np.ndarray, at: np.ndarray, values: list, rest: np.ndarray) -> None:
        self.keys, self.at, self.values, self.rest = keys, at, values, rest

    def unanswered(self, files: Sequence[FileEntry]) -> list[FileEntry]:
        return [files[i] for i in self.rest.tolist()]

    def merged(self, found: Mapping[str, object]) -> dict[str, object]:
        """path -> value of the answered files and of `found` (the table's answer for the
        others), in the files' order, as a read of the table alone returns them."""
        if not found:
            return dict(zip(self.keys[self.at].tolist(), self.values, strict=True))
        taken = [i for i in self.rest.tolist() if self.keys[i] in found]
        at = np.concatenate([self.at, np.array(taken, np.int64)])
        values = self.values + [found[self.keys[i]] for i in taken]
        order = np.argsort(at, kind="stable").tolist()
        return dict(zip(self.keys[at[order]].tolist(), [values[i] for i in order], strict=True))


def _read(db: sqlite3.Connection, name: str, prefix: str = "") -> bytes:
    row = db.execute(f"SELECT data FROM {TABLE} WHERE part = ?", [prefix + name]).fetchone()
    if row is None:
        raise ValueError(f"snapshot part {name} missing")
    return row[0]


def load(db: sqlite3.Connection) -> Snapshot | None:
    """The stored snapshot, if one is stored and readable."""
    try:
        header = json.loads(_read(db, "header"))
        if header.get("format") != FORMAT:
            return None
        return Snapshot(db, header)
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError):
        return None  # (a UnicodeDecodeError is a ValueError)


def save(db: sqlite3.Connection, files: Sequence[FileEntry], values: Mapping[str, Mapping],
         versions: Versions) -> bool:
    """Replace the snapshot by one of `files` with `values` (table -> path -> value, as the
    reads return them), each column under its table's version; False if it was not written."""
    paths = [f.path for f in files]
    snapshot_id = secrets.token_hex(8)
    parts: list[Iterable[tuple[str, bytes]]] = [{
        "paths": "\0".join(paths).encode("utf-8", "surrogatepass"),  # any str round-trips
        "sizes": np.fromiter((f.size for f in files), np.int64, len(files)).tobytes(),
        "mtimes": np.fromiter((f.mtime_ns for f in files), np.int64, len(files)).tobytes(),
    }.items()]
    kept: dict[str, str] = {}
    for table, version in versions.items():
        if version is None or table not in values:
            continue
        encoded = ENCODERS[table](paths, values[table])  # type: ignore[operator]
        if encoded is not None:
            parts.append(encoded.items() if isinstance(encoded, dict) else encoded)
            kept[table] = version
    asked = {table: v for table, v in versions.items() if v is not None and table in values}
    header = json.dumps({"format": FORMAT, "id": snapshot_id, "count": len(files),
                         "versions": kept, "asked": asked}).encode()
    try:
        with db:
            db.execute(_CREATE)
            db.execute(f"DELETE FROM {TABLE}")
            db.executemany(f"INSERT INTO {TABLE} VALUES (?, ?)",
                           ((f"{snapshot_id}:{name}", data) for name, data in chain(*parts)))
            db.execute(f"INSERT INTO {TABLE} VALUES ('header', ?)", [header])
    except sqlite3.Error:
        return False
    return True
