"""Cache schema and the conversions between engine values and table rows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from sys import intern

from dedup_gui.engine.types import (
    HASH_KINDS,
    Capture,
    FileEntry,
    ImageSignals,
    make_image_signals,
)

# Version 1: signals + content_hashes (a pure cache).
# Version 2: adds the user-data tables (not-duplicates decisions, the trash journal).
# Version 3: adds the embeddings cache table (created when missing; other rows are kept).
# Version 4: adds the captures cache table (capture dates and camera; other rows are kept).
SCHEMA_VERSION = 4
# Cache tables have kept their layout since this version: files from here on keep their cached
# rows when migrated; anything else (older, newer, unknown) has its cache tables rebuilt.
CACHE_LAYOUT_SINCE = 1

Columns = dict[str, type]
TableSpec = tuple[Columns, tuple[str, ...]]

# Derived from the files: dropped and rebuilt whenever their layout is not understood.
CACHE_TABLES: dict[str, TableSpec] = {
    "signals": (
        {"path": str, "algo": str, "size": int, "mtime_ns": int, "width": int, "height": int,
         "format": str, "error": str, **{kind: bytes for kind in HASH_KINDS}},
        ("path", "algo"),
    ),
    "embeddings": (
        {"path": str, "model": str, "size": int, "mtime_ns": int, "vector": bytes},
        ("path", "model"),
    ),
    "captures": (
        {"path": str, "reader": str, "size": int, "mtime_ns": int, "taken_ns": int,
         "has_offset": int, "make": str, "model": str, "serial": str, "unique_id": str,
         "source": str},
        ("path",),
    ),
    "content_hashes": (
        {"path": str, "size": int, "mtime_ns": int, "algo": str, "digest": str},
        ("path",),
    ),
}

# What people decided and did: created when missing, migrated, NEVER dropped. A later version
# that changes one of these adds an idempotent migration step instead of a rebuild.
USER_TABLES: dict[str, TableSpec] = {
    "decisions": (
        {"path_a": str, "path_b": str, "size_a": int, "mtime_a": int, "size_b": int,
         "mtime_b": int, "decided_ns": int},
        ("path_a", "path_b"),
    ),
    "journal_batches": (
        {"id": int, "started_ns": int, "finished_ns": int, "platform": str, "undone_ns": int},
        ("id",),
    ),
    "journal_items": (
        {"batch_id": int, "seq": int, "path": str, "size": int, "mtime_ns": int, "state": str,
         "reason": str, "trashed_as": str, "undo_reason": str},
        ("batch_id", "seq"),
    ),
}

TABLES: dict[str, TableSpec] = {**CACHE_TABLES, **USER_TABLES}


def to_db(text: str) -> str | bytes:
    """A path (or text naming one) as SQLite can store it. SQLite text must be UTF-8, but a file
    name from another system's encoding reaches Python with surrogate escapes (b"caf\\xe9.jpg"
    -> "caf\\udce9.jpg"), which sqlite3 refuses; one such name would fail the whole scan. Those
    are stored as their raw bytes instead (a BLOB), so `from_db` gives back the same str."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def from_db(value: str | bytes) -> str:
    """The str `to_db` was given."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def keeps_cache_rows(version: int) -> bool:
    """Whether a file at `version` has cache tables of today's layout (so they are kept)."""
    return CACHE_LAYOUT_SINCE <= version <= SCHEMA_VERSION


def _to_blob(value: int) -> bytes:
    return value.to_bytes(max(8, (value.bit_length() + 7) // 8), "big")


def signals_to_row(entry: FileEntry, value: ImageSignals | str, algo: str) -> dict:
    """A row for `entry`: its signals, or the reason it could not be read (cached too, so a
    broken file is not decoded again on every rescan)."""
    row = {"path": to_db(entry.path), "algo": algo, "size": entry.size,
           "mtime_ns": entry.mtime_ns}
    if isinstance(value, str):
        return {**row, "width": 0, "height": 0, "format": "", "error": value,
                **dict.fromkeys(HASH_KINDS)}
    hashes = {kind: _to_blob(value.hashes[kind]) for kind in HASH_KINDS}
    return {**row, "width": value.width, "height": value.height, "format": value.format,
            "error": None, **hashes}


def row_to_signals(row: Sequence) -> ImageSignals | str:
    """(error, width, height, format, *hashes in HASH_KINDS order) -> the signals or the error.
    The format name is one shared string per format, not one per file (500k files: 26 MB).
    The four hashes are converted in one unrolled dict display: a warm rescan of 500k files
    makes 500k of these, and the generic comprehension cost ~1 µs more each."""
    error, width, height, kind, b0, b1, b2, b3 = row
    if error is not None:
        return error
    hashes = {_K0: _int(b0, "big"), _K1: _int(b1, "big"), _K2: _int(b2, "big"),
              _K3: _int(b3, "big")}
    return make_image_signals(width, height, _FORMATS.setdefault(kind, kind), hashes)


_K0, _K1, _K2, _K3 = HASH_KINDS  # row_to_signals is unrolled for these four kinds
_int = int.from_bytes


_FORMATS: dict[str, str] = {}
NOTHING_KNOWN = (None, 0, "", "", "", "", "")  # a captures row of a file without metadata
_UNKNOWN = Capture()


def capture_to_row(entry: FileEntry, capture: Capture, reader: str) -> dict:
    """A captures row; `reader` names the reading code's version (a new one rereads files)."""
    return {"path": to_db(entry.path), "reader": reader, "size": entry.size,
            "mtime_ns": entry.mtime_ns, "taken_ns": capture.taken_ns,
            "has_offset": int(capture.has_offset), "make": capture.make, "model": capture.model,
            "serial": capture.serial, "unique_id": capture.unique_id, "source": capture.source}


def row_to_capture(row: Sequence) -> Capture:
    """(taken_ns, has_offset, make, model, serial, unique_id, source) -> the Capture."""
    if tuple(row) == NOTHING_KNOWN:  # one shared value (frozen) for the many such files
        return _UNKNOWN
    taken_ns, has_offset, make, model, serial, unique_id, source = row
    return Capture(taken_ns, bool(has_offset), intern(make or ""), intern(model or ""),
                   intern(serial or ""), unique_id or "", intern(source or ""))


def interned(capture: Capture) -> Capture:
    """The capture with its camera's strings shared with every other file's (sys.intern): a
    library holds a few cameras, and a string per file each (as SQLite rows and unpickled
    worker results give them) was half of what 500k files' captures cost (135 -> 68 MB)."""
    return Capture(capture.taken_ns, capture.has_offset, intern(capture.make),
                   intern(capture.model), intern(capture.serial), capture.unique_id,
                   intern(capture.source))
