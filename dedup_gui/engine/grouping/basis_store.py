"""What the last grouping of a library was made of, kept beside its remembered outcome
(result_memo.py), so a scan that only adds photos groups only what they touch (additions.py).

One row per remembered outcome: its memo key, a context digest (the engine's code, the match
settings, the "not duplicates" decisions, the signal versions), and per file of its input, in
order: the path, size, mtime and companions, which values it had (hash, embedding), its unit
(exact copies share one), its region (additions.py) and, where verification joined its unit
to another, its exposure's capture instant. A file with the same path, size and mtime has the
same cached signals under the same versions (the cache's own premise), so the basis need not
hold them.
"""

from __future__ import annotations

import io
import json
import sqlite3
import time
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np

from dedup_gui.engine.grouping.result_memo import TABLE as MEMO_TABLE
from dedup_gui.engine.grouping.result_memo import ResultMemo, context_digest
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Capture, Group, GroupFile, Series

TABLE = "grouping_basis"
_COLUMNS = ("key", "context", "saved_at", "files", "data")
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} "
           "(key TEXT PRIMARY KEY, context TEXT, saved_at REAL, files INTEGER, data BLOB)")
Instant = tuple[int, bool, bool]  # capture instant (0: undated), dated, has its offset


def instant(capture: Capture | None) -> Instant:
    """What signals.capture.far_apart reads of a capture."""
    if capture is None or capture.taken_ns is None:
        return (0, False, False)
    return (capture.taken_ns, True, capture.has_offset)


@dataclass
class Previous:
    """The last grouping's basis matched to this grouping's files (each of them in it,
    unchanged): which files are added, each file's unit and region (-1: added), the exposure
    instants stored (by file), and the last grouping's groups and series."""

    added: np.ndarray
    units: np.ndarray
    regions: np.ndarray
    exposed: dict[int, Instant]
    groups: tuple[Group, ...]
    series: tuple[Series, ...]


@dataclass
class Basis:
    """A grouping's files as the next one compares them (module docstring)."""

    files: Sequence[GroupFile]
    values: np.ndarray  # uint8 per file: its unit has 1 a hash, 2 an embedding
    units: np.ndarray
    regions: np.ndarray
    exposed: Mapping[int, Instant]


class BasisStore:
    """Bases by memo key in `cache`, for one context; a cache that cannot hold them keeps none."""

    def __init__(self, cache: Cache, memo: ResultMemo, match: MatchParams,
                 not_duplicates: Collection[tuple[str, str]], versions: str) -> None:
        self.cache, self.memo = cache, memo
        self.context = context_digest(match, not_duplicates, versions)
        self.usable = memo.usable
        self.made: Basis | None = None  # the grouping's own, set by group_and_series
        try:
            if self.usable:
                _create(cache.db.conn)
        except sqlite3.Error as error:
            self.cache.noticed(error)
            self.usable = False

    def previous(self, files: Sequence[GroupFile], index: Callable[[], Mapping[str, int]],
                 values: np.ndarray) -> Previous | None:
        """The newest basis of this context, if it holds every one of `files` (`index()`:
        their places by path) but some, each unchanged, and its outcome is still remembered;
        else None (read no further than its count where that says no)."""
        if not self.usable:
            return None
        try:
            row = self.cache.db.execute(
                f"SELECT key, files FROM {TABLE} WHERE context = ? ORDER BY saved_at DESC "
                "LIMIT 1", [self.context]).fetchone()
            if row is None or row[1] >= len(files):
                return None
            data = self.cache.db.execute(f"SELECT data FROM {TABLE} WHERE key = ?",
                                         [row[0]]).fetchone()[0]
            return _matched(self.memo, row[0], _decoded(data), files, index(), values)
        except (sqlite3.Error, zlib.error, ValueError, TypeError, KeyError, IndexError,
                OSError):
            return None

    def save(self, key: str | None) -> None:
        """Keep the grouping's basis under the memo `key`; bases whose outcome is gone are
        dropped."""
        if key is None or self.made is None or not self.usable or not self.cache.writable:
            return
        try:
            blob = _encoded(self.made)
        except OverflowError:  # a capture instant beyond int64 (a damaged date): keep none
            return
        try:
            with self.cache.db.conn as conn:
                conn.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?)",
                             [key, self.context, time.time(), len(self.made.files), blob])
                conn.execute(f"DELETE FROM {TABLE} WHERE key NOT IN "
                             f"(SELECT key FROM {MEMO_TABLE})")
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return


def _create(conn: sqlite3.Connection) -> None:
    """The table, made again where one of another layout is there (nothing in it is needed:
    without a basis the next scan groups everything, as before)."""
    conn.execute(_CREATE)
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")]
    if columns != list(_COLUMNS):
        with conn:
            conn.execute(f"DROP TABLE {TABLE}")
            conn.execute(_CREATE)


def _encoded(basis: Basis) -> bytes:
    files = basis.files
    exposed = sorted(basis.exposed.items())
    paths = "\0".join(map(attrgetter("path"), files)).encode("utf-8", "surrogateescape")
    companions = {i: f.companions for i, f in enumerate(files) if f.companions}
    arrays = {
        "paths": np.frombuffer(zlib.compress(paths, 1), np.uint8),
        "sizes": _column(files, "size"), "mtimes": _column(files, "mtime_ns"),
        "values": basis.values, "units": basis.units.astype(np.int32),
        "regions": np.unique(basis.regions, return_inverse=True)[1].astype(np.int32),
        "exposed": np.array([[i, t, d, o] for i, (t, d, o) in exposed], np.int64
                            ).reshape(-1, 4),
        "companions": np.frombuffer(json.dumps(companions).encode(), np.uint8)}
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def _column(files: Sequence[GroupFile], name: str) -> np.ndarray:
    return np.fromiter(map(attrgetter(name), files), np.int64, len(files))


def _decoded(blob: bytes) -> dict[str, object]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    paths = zlib.decompress(arrays.pop("paths").tobytes()).decode("utf-8", "surrogateescape")
    arrays["paths"] = paths.split("\0") if paths else []
    arrays["companions"] = {int(i): tuple(c) for i, c in
                            json.loads(arrays["companions"].tobytes().decode()).items()}
    return arrays


def _matched(memo: ResultMemo, key: str, stored: Mapping, files: Sequence[GroupFile],
             index: Mapping[str, int], values: np.ndarray) -> Previous | None:
    """Previous when every stored file is among `files` unchanged (and some are not stored)."""
    paths = stored["paths"]
    at = np.fromiter(map(index.get, paths, repeat(-1)), np.int64, len(paths))
    if len(at) >= len(files) or (at < 0).any() or (np.diff(at) <= 0).any():
        return None
    kept = list(map(files.__getitem__, at.tolist()))
    same = (np.array_equal(stored["sizes"], _column(kept, "size"))
            and np.array_equal(stored["mtimes"], _column(kept, "mtime_ns"))
            and np.array_equal(stored["values"], values[at])
            and stored["companions"] == {i: f.companions for i, f in enumerate(kept)
                                         if f.companions})
    outcome = memo.load(key, kept) if same else None
    if outcome is None:
        return None
    added = np.ones(len(files), bool)
    added[at] = False
    units, regions = np.full(len(files), -1, np.int64), np.full(len(files), -1, np.int64)
    units[at], regions[at] = stored["units"], stored["regions"]  # int32 stored
    exposed = {int(at[i]): (t, bool(d), bool(o)) for i, t, d, o in stored["exposed"].tolist()}
    return Previous(added, units, regions, exposed, *outcome)
