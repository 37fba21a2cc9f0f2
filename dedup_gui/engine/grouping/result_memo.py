"""The groups and series of recent scans, remembered under a digest of everything the grouping
reads, so a rescan of an unchanged library takes them back instead of grouping again.

group_and_series is a function of its inputs: each file's facts (path, size, mtime, dimensions,
format, capture, companions), the exact-copy digests, the compared hash, the embeddings, the
"not duplicates" decisions, the match settings, and the pixels and metadata verification reads
from the files that path, size and mtime name; and of the engine's code. A digest of all of
them names one outcome. Any changed input (a file added, touched or gone, a decision, another
setting, another engine) gives another digest, and the grouping runs, incrementally
(pair_store.py, verified_store.py). Why: on an unchanged library of 500k files, grouping from
stored pairs and outcomes still makes and walks ~1M Python objects (~10 s of a ~25 s rescan);
taking the stored outcome back costs ~2 s, digest included.

Stored as JSON columns (result_codec.py: files by their index in the grouping's input),
zlib-compressed, one row per outcome; the newest KEEP rows stay, so a few libraries sharing a
cache each keep theirs.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

import numpy as np

from dedup_gui.engine.grouping.result_codec import (
    made_groups,
    made_series,
    written,
    written_series,
)
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Capture, Group, GroupFile, Series

TABLE = "grouping_results"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, saved_at REAL, data BLOB)"
KEEP = 3  # outcomes kept: the last scans of up to three libraries (or settings)
MEMO_VERSION = 2  # bump when the stored layout changes (2: columns, result_codec.py)
_capture_values = attrgetter(*Capture.__slots__)  # type: ignore[attr-defined]
_code: bytes | None = None


def _code_fingerprint() -> bytes:
    """The engine's source, hashed once a process: any change in it (a rule, a threshold, a
    bug fix) groups again. A bundle has no sources: its version stands for the code."""
    global _code
    if _code is None:
        from dedup_gui import __version__
        digest = hashlib.sha256(f"{MEMO_VERSION} {__version__}".encode())
        for source in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
            try:
                digest.update(source.read_bytes())
            except OSError:
                continue
        _code = digest.digest()
    return _code


def grouping_key(files: Sequence[GroupFile], digests: Mapping[str, str],
                 hashes: Mapping[str, int], embeddings: Mapping[str, np.ndarray] | None,
                 not_duplicates: Collection[tuple[str, str]], match: MatchParams) -> str:
    """A digest of every input of group_and_series (in the order given: that order is the
    grouping's too), whole columns at a time. SHA-256: hashed in hardware on most CPUs, it
    reads a 500k-file library's 320 MB of embeddings in ~0.2 s (BLAKE2b: ~0.35 s)."""
    digest = hashlib.sha256(_code_fingerprint())
    paths = [f.path for f in files]
    digest.update(f"{len(paths)} {_settings(match)}\0".encode())
    digest.update("\0".join(paths).encode("utf-8", "surrogateescape"))
    for name in ("size", "mtime_ns", "width", "height"):
        digest.update(np.fromiter(map(attrgetter(name), files), np.int64, len(files)).tobytes())
    columns = ([f.format for f in files],
               [None if f.capture is None else _capture_values(f.capture) for f in files],
               [f.companions for f in files], list(map(digests.get, paths)),
               list(map(hashes.get, paths)),
               sorted((min(a, b), max(a, b)) for a, b in not_duplicates))
    for column in columns:
        digest.update(repr(column).encode("utf-8", "surrogateescape"))
    rows = list(map((embeddings or {}).get, paths))
    digest.update(np.fromiter((-1 if v is None else v.nbytes for v in rows), np.int64,
                              len(rows)).tobytes())
    for vector in rows:
        if vector is not None:
            digest.update(np.ascontiguousarray(vector))
    return digest.hexdigest()


def context_digest(match: MatchParams, not_duplicates: Collection[tuple[str, str]],
                   versions: str) -> str:
    """What a grouping depends on besides its files: the engine's code, the match settings,
    the "not duplicates" decisions and the signals' versions (basis_store.py)."""
    digest = hashlib.sha256(_code_fingerprint())
    decided = sorted((min(a, b), max(a, b)) for a, b in not_duplicates)
    digest.update(f"{_settings(match)}\0{versions}\0{decided!r}".encode(
        "utf-8", "surrogateescape"))
    return digest.hexdigest()


def _settings(match: MatchParams) -> str:
    """The match settings as text that is the same in every process (a frozenset's repr
    follows the string hashes, which each Python process seeds anew)."""
    values = {f.name: getattr(match, f.name) for f in fields(match)}
    return repr({name: sorted(value) if isinstance(value, frozenset) else value
                 for name, value in values.items()})


class ResultMemo:
    """Outcomes by grouping key in `cache`; a cache that cannot hold them remembers nothing."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.usable = cache.path is not None and not cache.in_memory_only
        try:
            if self.usable:
                cache.db.execute(_CREATE)
        except sqlite3.Error as error:
            self.cache.noticed(error)
            self.usable = False

    def key(self, files: Sequence[GroupFile], digests: Mapping[str, str],
            hashes: Mapping[str, int], embeddings: Mapping[str, np.ndarray] | None,
            not_duplicates: Collection[tuple[str, str]], match: MatchParams) -> str | None:
        """grouping_key of these inputs; None where nothing is remembered: a cache held in
        memory (--no-cache, or a file that could not be used) has no later scan to serve,
        and the digest of 500k files costs ~1.5 s."""
        if not self.usable:
            return None
        return grouping_key(files, digests, hashes, embeddings, not_duplicates, match)

    def load(self, key: str | None, files: Sequence[GroupFile]
             ) -> tuple[tuple[Group, ...], tuple[Series, ...]] | None:
        """The groups and series stored under `key`, made of `files` (the same grouping
        input the key was made from); None when none is stored or it cannot be read."""
        if key is None or not self.usable:
            return None
        try:
            row = self.cache.db.execute(f"SELECT data FROM {TABLE} WHERE key = ?",
                                        [key]).fetchone()
            if row is None:
                return None
            stored = json.loads(zlib.decompress(row[0]))
            return (made_groups(files, stored["groups"]), made_series(files, stored["series"]))
        except (sqlite3.Error, zlib.error, ValueError, TypeError, KeyError, IndexError):
            return None

    def save(self, key: str | None, files: Sequence[GroupFile], groups: Sequence[Group],
             series: Sequence[Series]) -> None:
        """Store the outcome under `key`, dropping all but the newest KEEP."""
        if key is None or not self.usable or not self.cache.writable:
            return
        index = {f.path: i for i, f in enumerate(files)}
        try:
            data = {"groups": written(index, groups), "series": written_series(index, series)}
        except KeyError:  # a file not among the inputs: nothing this memo could give back
            return
        blob = zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 1)
        try:
            with self.cache.db.conn as conn:
                conn.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)",
                             [key, time.time(), blob])
                conn.execute(f"DELETE FROM {TABLE} WHERE key NOT IN (SELECT key FROM {TABLE} "
                             "ORDER BY saved_at DESC LIMIT ?)", [KEEP])
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return

