"""Pixel verdicts remembered in the scan's cache file, so a warm rescan aligns no picture again.

A verdict depends only on the two files' pixels and the verification method, never on a
threshold the person sets, so it is keyed by both files' paths, sizes and mtimes, the search
level and METHOD_VERSION (bump it when grouping/pixels.py or verify.py's pixel rule changes).
Measured before: a warm rescan of the 377-file burst set spent 4.3 of its 4.8 s re-aligning 157
pairs it had aligned in the scan before.

The per-picture facts (path, "", FRAMED) and (path, "", PLAIN_LEVEL) are looked up first among
those the signal stage found from its own decode (store/picture_facts.py), so a pair whose
sides are not both framed decodes nothing; a file without them (a cache from before them, a
decode that was not verification's) is decoded as before and its answer kept here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from dedup_gui.engine.grouping.pixel_verdict import PLAIN_LEVEL
from dedup_gui.engine.grouping.refute import FRAMED
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.signals.picture_facts import FACTS_VERSION
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.memo_table import StoredMemo
from dedup_gui.engine.store.picture_facts import FactsReader

METHOD_VERSION = 15  # 2: flat at 32 px; 3, 8: placement; 4, 12-15: frames; 5, 6, 7, 9, 10:
# displacement; 11: residuals on no finer a grid than the smaller picture (pixels.grid_side);
# 12: two slots' photos are one only on one map; 13: two screens (screens.py); 14: their own
# text (screen_ink.py); 15: marks of their own (own_marks.py)
TABLE = "pixel_verdicts"
Key = tuple[str, str, int]


class KnownFacts:
    """The signal stage's per-picture facts (store/picture_facts.py) as memo verdicts, for the
    keys (path, "", FRAMED) and (path, "", PLAIN_LEVEL); `stamps`: path -> (size, mtime_ns)."""

    def __init__(self, cache: Cache, stamps: Mapping[str, tuple[int, int]]) -> None:
        self.stamps = stamps
        self.reader = FactsReader(cache, FACTS_VERSION)
        self.read = 0  # facts answered (tests, benchmarks)

    def lookup(self, key: object) -> Verdict | None:
        if not (isinstance(key, tuple) and len(key) == 3 and key[1] == ""
                and key[2] in (FRAMED, PLAIN_LEVEL) and key[0] in self.stamps):
            return None
        found = self.reader.get(key[0], *self.stamps[key[0]])
        if found is None:
            return None
        self.read += 1
        return Verdict(found[0 if key[2] == FRAMED else 1], "")


class FactsMemo(dict[Key, Verdict]):
    """A memo (PictureCache.verdicts) kept in memory only that knows the signal stage's
    per-picture facts: the evaluation's regroups (calibration, benchmarks) decode as a scan
    does."""

    def __init__(self, cache: Cache, stamps: Mapping[str, tuple[int, int]]) -> None:
        super().__init__()
        self.known = KnownFacts(cache, stamps)

    def __contains__(self, key: object) -> bool:
        if super().__contains__(key):
            return True
        found = self.known.lookup(key)
        if found is not None:
            self[key] = found  # type: ignore[index]
        return found is not None


class StoredVerdicts(StoredMemo[Key, Verdict]):
    """PictureCache.verdicts backed by the cache (store/memo_table.py): a key missing here is
    looked up there once; `save()` writes the verdicts found in this scan. `stamps`: path ->
    (size, mtime_ns); a pair with a file not stamped is not kept."""

    TABLE = TABLE
    COLUMNS = ("same INTEGER", "note TEXT")

    def __init__(self, cache: Cache, stamps: Mapping[str, tuple[int, int]]) -> None:
        self.stamps = stamps
        super().__init__(cache)
        self.known = KnownFacts(cache, stamps)

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        found = self.known.lookup(key)
        if found is not None:  # not fresh: it is kept with the signals already
            dict.__setitem__(self, key, found)
            return True
        return super().__contains__(key)

    def row_key(self, key: Key) -> str | None:
        a, b, level = key
        if a not in self.stamps or (b and b not in self.stamps):
            return None
        parts = [a, *map(str, self.stamps[a]), b, *map(str, self.stamps.get(b, ())),
                 str(level), str(METHOD_VERSION)]
        text = "\0".join(parts).encode("utf-8", "surrogateescape")
        return hashlib.sha1(text).hexdigest()

    def encode(self, value: Verdict) -> tuple[Any, ...]:
        return (None if value.same is None else int(value.same), value.note)

    def decode(self, row: tuple[Any, ...]) -> Verdict:
        return Verdict(None if row[0] is None else bool(row[0]), row[1])
