"""Cache schema and the conversions between engine values and table rows."""

from __future__ import annotations

from dedup_gui.engine.types import HASH_KINDS, FileEntry, ImageSignals

# Version 1: signals + content_hashes (pure cache: an unknown older version is rebuilt).
SCHEMA_VERSION = 1

TABLES: dict[str, tuple[dict[str, type], tuple[str, ...]]] = {
    "signals": (
        {"path": str, "algo": str, "size": int, "mtime_ns": int, "width": int, "height": int,
         "format": str, "error": str, **{kind: bytes for kind in HASH_KINDS}},
        ("path", "algo"),
    ),
    "content_hashes": (
        {"path": str, "size": int, "mtime_ns": int, "algo": str, "digest": str},
        ("path",),
    ),
}


class SignalRow(dict):
    """A row of the signals table as a dict (a named type makes signatures readable)."""


def _to_blob(value: int) -> bytes:
    return value.to_bytes(max(8, (value.bit_length() + 7) // 8), "big")


def signals_to_row(entry: FileEntry, value: ImageSignals | str, algo: str) -> dict:
    """A row for `entry`: its signals, or the reason it could not be read (cached too, so a
    broken file is not decoded again on every rescan)."""
    row = {"path": entry.path, "algo": algo, "size": entry.size, "mtime_ns": entry.mtime_ns}
    if isinstance(value, str):
        return {**row, "width": 0, "height": 0, "format": "", "error": value,
                **dict.fromkeys(HASH_KINDS)}
    hashes = {kind: _to_blob(value.hashes[kind]) for kind in HASH_KINDS}
    return {**row, "width": value.width, "height": value.height, "format": value.format,
            "error": None, **hashes}


def row_to_signals(row: SignalRow) -> ImageSignals | str:
    if row["error"] is not None:
        return row["error"]
    hashes = {kind: int.from_bytes(row[kind], "big") for kind in HASH_KINDS}
    return ImageSignals(row["width"], row["height"], row["format"], hashes)
