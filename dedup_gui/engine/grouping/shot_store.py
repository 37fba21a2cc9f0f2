"""Best-shot measures remembered in the scan's cache file, so a warm rescan decodes no series
file again (grouping/series.py). Measured before: scoring decoded every series file on every
scan, about 1 s of the burst dev set's 1.6 s warm rescan.

A measure (sharpness, clipped share, mean grey; the exposure compensation and bracket flag
the header states, signals/exposure.py) depends only on the file's bytes and the method, so it
is keyed by the file's path, size and mtime and METHOD_VERSION (bump it when series.py's
_measure changes). The table is created lazily in the cache file (store/memo_table.py, as for
verdict_store.py); a read-only or full cache only means the measures are not kept. Version 2
added the exposure columns, in a table of its own name (the old one's rows lack them).
"""

from __future__ import annotations

import hashlib
from typing import Any

from dedup_gui.engine.store.memo_table import StoredMemo

METHOD_VERSION = 2
TABLE = "shot_measures"
Key = tuple[str, int, int]  # path, size, mtime_ns
# sharpness, clipped, mean grey, exposure compensation (EV, None: not stated), auto bracket;
# None: unreadable
Measure = tuple[float, float, float, float | None, bool] | None


class StoredScores(StoredMemo[Key, Measure]):
    """series.best_shot's measures backed by the cache: a key missing here is looked up there
    once; `save()` writes the measures taken in this scan."""

    TABLE = TABLE
    COLUMNS = ("sharpness REAL", "clipped REAL", "mean REAL", "bias REAL", "bracket INTEGER")

    def row_key(self, key: Key) -> str:
        path, size, mtime_ns = key
        text = "\0".join((path, str(size), str(mtime_ns), str(METHOD_VERSION)))
        return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()

    def encode(self, value: Measure) -> tuple[Any, ...]:
        return value if value is not None else (None,) * 5

    def decode(self, row: tuple[Any, ...]) -> Measure:
        if row[0] is None:
            return None
        bias = None if row[3] is None else float(row[3])
        return float(row[0]), float(row[1]), float(row[2]), bias, bool(row[4])
