"""Quality measures for many files: from a small table beside the scan cache when the file is
unchanged, else measured on all cores and stored.

The table belongs to this module (created here, never part of the scan's schema), keyed like the
scan cache by path, size and mtime, plus QUALITY_VERSION: change how a measure is computed, bump
it, and old rows are simply measured again. It is only a cache: when the database cannot be
read or written, the measures are computed and the report still comes out.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence

from dedup_gui.engine.insights.quality import Quality, measure_batch
from dedup_gui.engine.parallel import map_batches
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import from_db, to_db
from dedup_gui.engine.types import FileEntry

STAGE_QUALITY = "checking image quality"
TABLE = "image_quality"
QUALITY_VERSION = 1
_COLUMNS = {"path": str, "version": int, "size": int, "mtime_ns": int, "width": int,
            "height": int, "brightness": float, "shadows": float, "highlights": float,
            "sharpness": float, "error": str}
_SELECT = ", ".join(f"[{name}]" for name in _COLUMNS)
_CHUNK = 500
_SAVE_EVERY_S = 1.0


class QualityStore:
    """Reads and writes the quality table through the scan cache's database."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.warnings: list[str] = []

    def get(self, entries: Sequence[FileEntry]) -> dict[str, Quality | str]:
        """Stored values for entries whose size, mtime and measure version still match."""
        by_path = {entry.path: entry for entry in entries}
        paths = list(by_path)
        found: dict[str, Quality | str] = {}
        try:
            if not self._usable():
                return found
            for start in range(0, len(paths), _CHUNK):
                chunk = [to_db(path) for path in paths[start:start + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                rows = self.cache.db.execute(
                    f"SELECT {_SELECT} FROM [{TABLE}] WHERE version = ? AND path IN ({marks})",
                    [QUALITY_VERSION, *chunk]).fetchall()
                for row in rows:
                    record = dict(zip(_COLUMNS, row, strict=True))
                    entry = by_path[from_db(record["path"])]
                    if (record["size"], record["mtime_ns"]) == (entry.size, entry.mtime_ns):
                        found[entry.path] = _from_row(record)
        except sqlite3.Error as error:
            self._warn(f"stored quality measures could not be read ({error})")
        return found

    def _usable(self) -> bool:
        """Whether the table exists in today's layout; one of another layout (an older or newer
        dedup-gui) is dropped when the cache is writable — it is only a cache."""
        table = self.cache.db[TABLE]
        if not table.exists():
            return False
        if table.columns_dict.keys() == _COLUMNS.keys():
            return True
        if self.cache.writable:
            with self.cache.db.conn:
                table.drop()
        return False

    def put(self, items: Iterable[tuple[FileEntry, Quality | str]]) -> None:
        rows = [_to_row(entry, value) for entry, value in items]
        if not rows or not self.cache.writable:
            return
        try:
            with self.cache.db.conn:
                if not self._usable():
                    self.cache.db[TABLE].create(_COLUMNS, pk="path", if_not_exists=True)
                self.cache.db[TABLE].upsert_all(rows, pk="path")
        except sqlite3.Error as error:
            self._warn(f"quality measures could not be stored ({error})")

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _to_row(entry: FileEntry, value: Quality | str) -> dict:
    row = {"path": to_db(entry.path), "version": QUALITY_VERSION, "size": entry.size,
           "mtime_ns": entry.mtime_ns}
    if isinstance(value, str):
        return {**row, "width": 0, "height": 0, "brightness": 0.0, "shadows": 0.0,
                "highlights": 0.0, "sharpness": 0.0, "error": to_db(value)}
    return {**row, "width": value.width, "height": value.height, "brightness": value.brightness,
            "shadows": value.shadows, "highlights": value.highlights,
            "sharpness": value.sharpness, "error": None}


def _from_row(row: dict) -> Quality | str:
    if row["error"] is not None:
        return from_db(row["error"])
    return Quality(row["width"], row["height"], row["brightness"], row["shadows"],
                   row["highlights"], row["sharpness"])


def collect_quality(files: Sequence[FileEntry], cache: Cache, *, workers: int | None = None,
                    progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> tuple[dict[str, Quality | str], int]:
    """(path -> measures or read error, how many files were decoded), measuring only what the
    table lacks; results are stored about once a second, so a cancel keeps what was done."""
    store = QualityStore(cache)
    found = store.get(files)
    todo = [entry for entry in files if entry.path not in found]
    by_path = {entry.path: entry for entry in todo}
    total, done = len(files), len(files) - len(todo)
    report(progress, STAGE_QUALITY, done, total)
    unsaved: list[tuple[FileEntry, Quality | str]] = []
    last_save = time.monotonic()
    try:
        for batch, values in map_batches(measure_batch, [e.path for e in todo],
                                         workers=workers, batch_size=16, cancel=cancel):
            for path, value in zip(batch, values, strict=True):
                found[path] = value
                unsaved.append((by_path[path], value))
            done += len(batch)
            report(progress, STAGE_QUALITY, done, total)
            if time.monotonic() - last_save > _SAVE_EVERY_S:
                store.put(unsaved)
                unsaved.clear()
                last_save = time.monotonic()
    finally:
        store.put(unsaved)
    cache.warnings.extend(w for w in store.warnings if w not in cache.warnings)
    return found, len(todo)
