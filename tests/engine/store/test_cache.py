"""The SQLite cache on real files: round trips, invalidation, and every way the file can fail."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import SCHEMA_VERSION
from dedup_gui.engine.types import FileEntry, ImageSignals

ALGO = "test-algo"
SIGNALS = ImageSignals(640, 480, "JPEG", {"phash": 2**64 - 1, "dhash": 1, "ahash": 0,
                                          "whash": 12345})


def entry(path: str = "/photos/a.jpg", size: int = 100, mtime_ns: int = 5) -> FileEntry:
    return FileEntry(path, size, mtime_ns)


def test_signals_round_trip_through_a_real_file(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    cache = Cache(db)
    cache.put_signals([(entry(), SIGNALS), (entry("/photos/bad.jpg"), "empty file (0 bytes)")],
                      ALGO)
    cache.close()
    reopened = Cache(db)
    found = reopened.signals([entry(), entry("/photos/bad.jpg")], ALGO)
    assert found == {"/photos/a.jpg": SIGNALS, "/photos/bad.jpg": "empty file (0 bytes)"}
    assert reopened.warnings == []


@pytest.mark.parametrize("changed", [entry(size=101), entry(mtime_ns=6)])
def test_a_changed_file_is_not_served_from_the_cache(tmp_path: Path, changed: FileEntry) -> None:
    cache = Cache(tmp_path / "c.db")
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([changed], ALGO) == {}


def test_rows_of_another_algorithm_version_are_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.db")
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], "other-version") == {}


def test_content_hashes_round_trip(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.db")
    cache.put_content_hashes([(entry(), "ab" * 32)], "blake2b-256")
    assert cache.content_hashes([entry()], "blake2b-256") == {"/photos/a.jpg": "ab" * 32}
    assert cache.content_hashes([entry(size=1)], "blake2b-256") == {}


def test_lookup_of_many_paths(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.db")
    entries = [entry(f"/p/{i}.jpg") for i in range(3000)]
    cache.put_signals([(e, SIGNALS) for e in entries], ALGO)
    assert len(cache.signals(entries[::2], ALGO)) == 1500


def test_uses_wal_and_records_the_schema_version(tmp_path: Path) -> None:
    Cache(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_older_schema_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE signals (path TEXT)")
    conn.execute("INSERT INTO signals VALUES ('x')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 100}")
    conn.commit()
    conn.close()
    cache = Cache(db)
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}


def test_a_damaged_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    db.write_bytes(os.urandom(8192))
    cache = Cache(db)
    assert any("damaged" in w for w in cache.warnings)
    assert list(tmp_path.glob("c.db.damaged-*")), "the damaged file is kept for the user"
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}


def test_a_truncated_database_is_handled(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    cache = Cache(db)
    cache.put_signals([(entry(f"/p/{i}"), SIGNALS) for i in range(2000)], ALGO)
    cache.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    cache = Cache(db)
    cache.signals([entry(f"/p/{i}") for i in range(2000)], ALGO)  # must not raise
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}


def test_a_locked_database_still_lets_the_scan_work(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dedup_gui.engine.store.connection.BUSY_TIMEOUT_S", 0.1)
    db = tmp_path / "c.db"
    Cache(db).close()
    holder = sqlite3.connect(db)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache = Cache(db)
        cache.put_signals([(entry(), SIGNALS)], ALGO)
        assert any("in use" in w for w in cache.warnings)
    finally:
        holder.rollback()
        holder.close()


def _make_read_only(paths: list[Path]) -> list[Path]:
    """chmod for normal users; root ignores modes, so root uses the immutable attribute."""
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return paths
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    for path in paths:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("this filesystem does not support the immutable attribute")
    return paths


def _make_writable(paths: list[Path]) -> None:
    for path in paths:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_database_is_used_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "c.db"
    cache = Cache(db)
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    cache.close()
    locked = _make_read_only([*folder.iterdir(), folder])
    try:
        cache = Cache(db)
        assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}
        cache.put_signals([(entry("/new"), SIGNALS)], ALGO)
        assert any("read-only" in w for w in cache.warnings), cache.warnings
        cache.close()
    finally:
        _make_writable(locked)


def test_writes_that_fail_stop_with_a_warning(tmp_path: Path) -> None:
    """A full disk or a file made read-only mid-scan: later writes are skipped, reads go on."""
    cache = Cache(tmp_path / "c.db")
    cache._db.execute("PRAGMA query_only = ON")  # every write now fails like a read-only file
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert not cache.writable
    assert cache.warnings
    cache.put_signals([(entry("/b"), SIGNALS)], ALGO)  # silently skipped, no exception


def test_an_unusable_cache_folder_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker / "sub" / "c.db")
    assert cache.warnings
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}


def test_memory_cache(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.put_signals([(entry(), SIGNALS)], ALGO)
    assert cache.signals([entry()], ALGO) == {"/photos/a.jpg": SIGNALS}


def test_reads_that_share_their_entries_and_reads_that_do_not(tmp_path: Path) -> None:
    """The entries go into the lookup table once for reads that share them; a read of other
    entries, or of the same paths with another size, refills it (never a stale answer)."""
    cache = Cache(tmp_path / "c.db")
    a, b = entry("/p/a.jpg"), entry("/p/b.jpg")
    cache.put_signals([(a, SIGNALS), (b, "broken")], ALGO)
    cache.put_content_hashes([(a, "aa"), (b, "bb")], "blake2b-256")
    both = [a, b]
    assert cache.signals(both, ALGO) == {a.path: SIGNALS, b.path: "broken"}
    assert cache.content_hashes(both, "blake2b-256") == {a.path: "aa", b.path: "bb"}
    assert cache.signals([b], ALGO) == {b.path: "broken"}
    assert cache.content_hashes([entry("/p/a.jpg", size=7), b], "blake2b-256") == {b.path: "bb"}
    assert cache.signals([], ALGO) == {}
    assert cache.warnings == []


def test_captures_and_embeddings_round_trip(tmp_path: Path) -> None:
    from dedup_gui.engine.types import Capture

    cache = Cache(tmp_path / "c.db")
    capture = Capture(123, True, "Canon", "EOS", "42", "", "exif")
    cache.put_captures([(entry(), capture), (entry("/p/b.jpg"), Capture())], "r1")
    cache.put_embeddings([(entry(), b"\x01\x02")], "m1")
    files = [entry(), entry("/p/b.jpg")]
    assert cache.captures(files, "r1") == {"/photos/a.jpg": capture, "/p/b.jpg": Capture()}
    assert cache.embeddings(files, "m1") == {"/photos/a.jpg": b"\x01\x02"}
    assert cache.embeddings(files, "m2") == {}


def test_reads_key_their_results_by_the_entries_own_path_strings(tmp_path: Path) -> None:
    """Four reads per file on every rescan: each keeps the entry's path object, not a copy
    (500k files: 40 MB a copy)."""
    cache = Cache(tmp_path / "c.db")
    files = [entry(f"/p/{i}.jpg") for i in range(3)] + [entry("/p/caf\udce9.jpg")]
    cache.put_signals([(e, SIGNALS) for e in files], ALGO)
    cache.put_embeddings([(e, b"\x00\x01") for e in files], "m")
    for found in (cache.signals(files, ALGO), cache.embeddings(files, "m")):
        keys = {p: p for p in found}  # the dict's own key objects
        assert keys.keys() == {e.path for e in files}
        assert all(keys[e.path] is e.path for e in files)


def test_values_many_files_share_are_read_as_one_object(tmp_path: Path) -> None:
    """A file without capture metadata and a format name are one shared (immutable) value,
    not one per file: at 500k files they were 70 MB of copies."""
    from dedup_gui.engine.types import Capture

    cache = Cache(tmp_path / "c.db")
    files = [entry(f"/p/{i}.jpg") for i in range(3)]
    cache.put_captures([(files[0], Capture()), (files[1], Capture()),
                        (files[2], Capture(7, False, "", "", "", "", "exif"))], "r1")
    cache.put_signals([(e, SIGNALS) for e in files], ALGO)
    captures, signals = cache.captures(files, "r1"), cache.signals(files, ALGO)
    assert captures["/p/0.jpg"] == Capture() and captures["/p/0.jpg"] is captures["/p/1.jpg"]
    assert captures["/p/2.jpg"] == Capture(7, False, "", "", "", "", "exif")
    assert all(s == SIGNALS for s in signals.values())
    assert signals["/p/0.jpg"].format is signals["/p/2.jpg"].format


def _read_steps(cache: Cache, entries: list[FileEntry]) -> int:
    """SQLite virtual-machine steps (in thousands) of one signals read of `entries`."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    cache.db.conn.set_progress_handler(count, 1000)
    assert len(cache.signals(entries, ALGO)) == len(entries)
    cache.db.conn.set_progress_handler(None, 1000)
    return steps[0]


def test_a_small_read_does_not_walk_a_big_cache(tmp_path: Path) -> None:
    """The wanted entries drive the join: reading 3 files costs the same in a cache of 200
    files as in one of 20,000 (a folder scanned with a whole library's cache)."""
    costs = []
    for rows in (200, 20_000):
        cache = Cache(tmp_path / f"c{rows}.db")
        cache.put_signals([(entry(f"/p/{i:05d}.jpg"), SIGNALS) for i in range(rows)], ALGO)
        costs.append(_read_steps(cache, [entry(f"/p/{i:05d}.jpg") for i in (3, 77, 150)]))
    assert costs[1] <= costs[0] + 2


def test_the_write_ahead_log_shrinks_after_a_large_write(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A large write (a library snapshot) does not leave a write-ahead log of its size
    beside the cache for as long as the app runs: it is cut back once SQLite starts it
    over after a checkpoint (here to 64 KB; 64 MB in use)."""
    from dedup_gui.engine.store import connection as connection_module

    monkeypatch.setattr(connection_module, "WAL_LIMIT_BYTES", 64 << 10)
    cache = Cache(tmp_path / "c.db")
    cache.put_embeddings([(entry(f"/p/{i}.jpg"), bytes(4096)) for i in range(2000)], "m")
    cache.put_embeddings([(entry("/p/last.jpg"), bytes(8))], "m")  # the log starts over
    assert (tmp_path / "c.db-wal").stat().st_size < 2 << 20  # without the limit: 4.4 MB
