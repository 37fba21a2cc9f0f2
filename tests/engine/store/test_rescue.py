"""A damaged cache file: the person's own tables (decisions, the Undo journal) are read back
where they still can be, and the warning reaches a scan even when another process opened the
file first (the app's start-up check for something to undo), until that scan has shown it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dedup_gui.engine.actions.journal import Journal
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store import rescue
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.decisions import Decisions
from dedup_gui.engine.types import FileEntry, ImageSignals
from tests.images import photo, save

SIGNALS = ImageSignals(640, 480, "JPEG", {"phash": 1, "dhash": 1, "ahash": 0, "whash": 2})


def _with_decision(path: Path) -> None:
    cache = Cache(path)
    a, b = FileEntry("/p/a.jpg", 10, 1), FileEntry("/p/b.jpg", 20, 2)
    assert Decisions(cache).mark_not_duplicates([a, b])
    Journal(cache).start_batch([a])
    cache.put_signals([(FileEntry(f"/p/{i}.jpg", i, i), SIGNALS) for i in range(3000)], "algo")
    cache.close()


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of `table` (a cache table) with garbage: the file still opens,
    reading that table fails, as after a bad sector."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as file:
        file.seek((root[0] - 1) * size)
        file.write(os.urandom(size))


def test_decisions_and_journal_are_read_back_from_a_partly_damaged_file(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    _with_decision(db)
    _damage_table(db, "signals")
    cache = Cache(db)
    assert cache.signals([FileEntry("/p/1.jpg", 1, 1)], "algo") == {}  # found damaged here
    assert any("were read back" in w for w in cache.warnings), cache.warnings
    assert list(tmp_path.glob("cache.sqlite3.damaged-*"))
    assert [(d.a, d.b) for d in Decisions(cache).all()] == [("/p/a.jpg", "/p/b.jpg")]
    assert len(Journal(cache).batches()) == 1


def test_the_warning_waits_for_a_scan_and_says_what_was_lost(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    _with_decision(db)
    db.write_bytes(os.urandom(1 << 16))
    first = Cache(db)  # the app's start-up check opens it first
    (said,) = [w for w in first.warnings if "damaged" in w]
    assert "could not be read back" in said and "grouped again" in said
    assert "desktop's Trash" in said and Decisions(first).all() == []
    first.close()
    save(photo(1), tmp_path / "lib/a.jpg")
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),), embeddings=False),
                      Cache(db))
    assert said in result.warnings  # the scan the person watches says so
    assert not rescue.notice_path(db).exists()
    again = run_scan(ScanParams(roots=(str(tmp_path / "lib"),), embeddings=False),
                     Cache(db))
    assert not any("damaged" in w for w in again.warnings)  # once


def test_a_damaged_store_table_sets_the_file_aside_too(tmp_path: Path) -> None:
    """A hostile-input check overwrote the middle of a cache: the stores' tables (pixel
    verdicts, pairs, groups) failed with "database disk image is malformed" scan after scan,
    silently, and the file was never set aside. Now the first store to meet it rebuilds the
    file as a damaged signals table does, and the decisions are read back."""
    from dedup_gui.engine.grouping.verdict import Verdict
    from dedup_gui.engine.grouping.verdict_store import StoredVerdicts
    from dedup_gui.engine.signals.group_inputs import FileStamps

    db = tmp_path / "cache.sqlite3"
    _with_decision(db)
    files = (FileEntry("/p/a.jpg", 10, 1), FileEntry("/p/b.jpg", 20, 2))
    cache = Cache(db)
    verdicts = StoredVerdicts(cache, FileStamps(files))
    verdicts[("/p/a.jpg", "/p/b.jpg", 1)] = Verdict(True, "pixels agree")
    verdicts.save()
    cache.close()
    _damage_table(db, StoredVerdicts.TABLE)
    cache = Cache(db)
    assert ("/p/a.jpg", "/p/b.jpg", 1) not in StoredVerdicts(cache, FileStamps(files))
    assert list(tmp_path.glob("cache.sqlite3.damaged-*")), cache.warnings
    assert any("damaged" in w and "were read back" in w for w in cache.warnings)
    assert [(d.a, d.b) for d in Decisions(cache).all()] == [("/p/a.jpg", "/p/b.jpg")]
