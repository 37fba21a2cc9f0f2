"""Candidate pairs remembered in the scan's cache file, so a rescan searches only what is new.

What is stored is the search's outcome, not a verdict: every pair of *signals* (a perceptual
hash and an embedding, named by a 128-bit fingerprint of their values) whose Hamming distance is
within the hash threshold or whose cosine reaches the lowest counted tier, with both values.
That outcome is a pure function of the two signals and of the search settings, so it is keyed
by the fingerprints (a file whose bytes, model or hash algorithm changed has other signals, so
another fingerprint, and is searched again) and stamped with the settings and PAIR_VERSION (any
other stamp: everything is searched again). Verification, which depends on pixels and capture
metadata, runs on these pairs every scan; its pixel verdicts have their own cache
(verdict_store.py), so the stored layer stays generic whatever verification decides.

Stored as a few numpy arrays in one table (one row each), read and written whole: a
500k-file library is a few MB, and no per-pair SQL runs on a rescan.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup_gui.engine.store.cache import Cache

# Bump when the search, the fingerprint or the pair values change. 2: fingerprints.py's
# array fingerprints (1: per-unit BLAKE2b; such pairs are taken over, fingerprints.rekeyed).
PAIR_VERSION = 2
TABLE = "match_pairs"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, data BLOB)"
FINGERPRINT = np.dtype("S16")
_FIELDS = ("known", "a", "b", "distance", "cosine")


@dataclass(slots=True)
class StoredPairs:
    """Signals searched against each other (`known`, sorted fingerprints) and their pairs:
    indices `a` < `b` into `known`, Hamming `distance` (-1: a side has no hash) and `cosine`
    (NaN: a side has no embedding)."""

    known: np.ndarray
    a: np.ndarray
    b: np.ndarray
    distance: np.ndarray
    cosine: np.ndarray

    @staticmethod
    def empty() -> StoredPairs:
        return StoredPairs(np.empty(0, FINGERPRINT), np.empty(0, np.int64),
                           np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))


def stamp(version: int = PAIR_VERSION, **settings: object) -> str:
    """The settings the stored pairs were searched with, as one comparable string."""
    return json.dumps({"version": version, **settings}, sort_keys=True)


class PairStore:
    """Load and save StoredPairs in `cache`; a cache that cannot hold them stores nothing."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        try:
            cache.db.execute(_CREATE)
            self.usable = True
        except sqlite3.Error as error:
            self.cache.noticed(error)
            self.usable = False

    def load(self, settings: str) -> StoredPairs:
        """The pairs stored under these settings, or none (other settings, or none stored)."""
        return self.load_any([settings])[1]

    def load_any(self, stamps: Sequence[str]) -> tuple[int, StoredPairs]:
        """The pairs stored under one of `stamps` and its index in them; (-1, none) when
        they were stored under none of them (or cannot be read)."""
        rows = self._rows()
        stored = rows.get("stamp")
        which = next((k for k, s in enumerate(stamps) if stored == s.encode("utf-8")), -1)
        if which < 0:
            return -1, StoredPairs.empty()
        try:
            return which, StoredPairs(*(_array(rows[name]) for name in _FIELDS))
        except (KeyError, ValueError, OSError):  # a damaged row: search everything again
            return -1, StoredPairs.empty()

    def save(self, settings: str, pairs: StoredPairs) -> None:
        if not self.usable:
            return
        rows = [("stamp", settings.encode("utf-8"))]
        rows += [(name, _blob(getattr(pairs, name))) for name in _FIELDS]
        try:
            with self.cache.db.conn:
                self.cache.db.conn.executemany(
                    f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", rows)
        except sqlite3.Error as error:  # read-only or full: the next scan searches everything
            self.cache.noticed(error)
            return

    def _rows(self) -> dict[str, bytes]:
        if not self.usable:
            return {}
        try:
            return {name: bytes(data) for name, data in
                    self.cache.db.execute(f"SELECT name, data FROM {TABLE}").fetchall()}
        except sqlite3.Error as error:
            self.cache.noticed(error)
            return {}


def _blob(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _array(blob: bytes) -> np.ndarray:
    return np.load(io.BytesIO(blob), allow_pickle=False)
