"""What a damaged cache file still holds of the person's own data, and telling them about it.

The cache file also keeps the user-data tables (rows.USER_TABLES: "not duplicates" decisions,
the trash journal). A damaged file is moved aside and a new one started (connection.py); that
threw the decisions and the Undo journal away with it, and the warning went to whichever
process opened the file first (the app's check for something to undo, at start), so nobody saw
it: the next scan grouped "not duplicates" pairs again, marked Remove (a real-window check).

Now the tables that still read back are copied into the new file (damage is often one page of a
big cache table), and the warning is also written to a notice file beside the cache, which every
open reports until a scan has shown it (`shown`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import sqlite_utils

from dedup_gui.engine.store.rows import USER_TABLES

WHAT = {"decisions": "your “not duplicates” decisions", "journal_items": "the Undo journal"}


def notice_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + ".notice")


def rescue_user_data(damaged: Path, db: sqlite_utils.Database) -> str:
    """Copy the user-data tables that still read back from `damaged` into `db`; what that
    means for the person, in a sentence."""
    kept, lost = [], []
    try:
        old = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error:
        old = None
    for name, (columns, _pk) in USER_TABLES.items():
        (kept if old is not None and _copied(old, db, name, list(columns)) else lost).append(name)
    if old is not None:
        old.close()
    saved = [WHAT[n] for n in kept if n in WHAT]
    missing = [WHAT[n] for n in lost if n in WHAT]
    if not missing:
        return f"{_join(saved).capitalize()} were read back from it."
    text = f"{_join(missing).capitalize()} could not be read back from it"
    if "journal_items" in lost:
        text += ("; files already moved to the Trash are still there (restore them from your "
                 "desktop's Trash)")
    if "decisions" in lost:
        text += "; pairs you said are not duplicates may be grouped again"
    return text + "."


def _copied(old: sqlite3.Connection, db: sqlite_utils.Database, name: str,
            columns: list[str]) -> bool:
    listed = ", ".join(f"[{c}]" for c in columns)
    try:
        rows = old.execute(f"SELECT {listed} FROM [{name}]").fetchall()
        with db.conn:
            db.conn.executemany(f"INSERT OR IGNORE INTO [{name}] ({listed}) VALUES "
                                f"({', '.join('?' * len(columns))})", rows)
    except sqlite3.Error:
        return False
    return True


def _join(parts: list[str]) -> str:
    return " and ".join(parts)


def leave_notice(cache_path: Path, message: str) -> None:
    """Keep `message` beside the cache until a scan has shown it (best effort)."""
    with contextlib.suppress(OSError):
        notice_path(cache_path).write_text(message + "\n", encoding="utf-8")


def read_notice(cache_path: Path) -> str | None:
    try:
        return notice_path(cache_path).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def shown(cache_path: Path | None) -> None:
    """A scan reported the notice: forget it."""
    if cache_path is not None:
        with contextlib.suppress(OSError):
            notice_path(cache_path).unlink()
