"""Exact copies: digests only where sizes collide, from the cache on a rescan, read through the
same table of wanted files as the signal reads that follow."""

from __future__ import annotations

import os
from pathlib import Path

from dedup_gui.engine.signals.exact import find_content_hashes
from dedup_gui.engine.signals.hashing import CONTENT_HASH_ALGO, content_hash
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import FileEntry


def _entries(folder: Path, contents: dict[str, bytes]) -> list[FileEntry]:
    entries = []
    for name, data in contents.items():
        path = folder / name
        path.write_bytes(data)
        st = os.stat(path)
        entries.append(FileEntry(str(path), st.st_size, st.st_mtime_ns))
    return entries


def test_a_rescan_reads_digests_of_colliding_sizes_only_and_fills_the_lookup_once(
        tmp_path: Path) -> None:
    files = _entries(tmp_path, {"a.jpg": b"same bytes", "b.jpg": b"same bytes",
                                "c.jpg": b"othr bytes", "d.jpg": b"a longer, unique file"})
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.put_content_hashes([(files[3], content_hash(files[3].path))], CONTENT_HASH_ALGO)
    first, hashed = find_content_hashes(files, cache)
    assert hashed == 3 and set(first) == {f.path for f in files[:3]}
    assert first[files[0].path] == first[files[1].path] != first[files[2].path]

    cache = Cache(tmp_path / "cache.sqlite3")  # a rescan: another process
    fills: list[str] = []
    cache.db.conn.set_trace_callback(
        lambda sql: fills.append(sql) if sql.startswith("DELETE FROM temp.wanted") else None)
    again, hashed = find_content_hashes(files, cache)
    cache.signals(files, "any")  # the signal stage's reads look up the same entries
    cache.embeddings(files, "any")
    assert (again, hashed) == (first, 0)  # the unique-size file's cached digest is not used
    assert len(fills) == 1


def test_a_rescan_where_every_size_collides_hashes_nothing_and_gives_the_same_digests(
        tmp_path: Path, monkeypatch) -> None:
    from dedup_gui.engine.signals import exact

    files = _entries(tmp_path, {"a.jpg": b"same bytes", "b.jpg": b"same bytes",
                                "c.jpg": b"othr bytes", "d.jpg": b"more bytes"})
    first, hashed = find_content_hashes(files, Cache(tmp_path / "cache.sqlite3"))
    assert hashed == 4 and len(set(first.values())) == 3

    def no_reading(path: str) -> str:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(exact, "content_hash", no_reading)
    again, hashed = find_content_hashes(files, Cache(tmp_path / "cache.sqlite3"))
    assert (again, hashed) == (first, 0)
    (tmp_path / "d.jpg").write_bytes(b"more bytez")  # same size, new bytes: hashed again
    os.utime(tmp_path / "d.jpg", ns=(files[3].mtime_ns + 10**9, files[3].mtime_ns + 10**9))
    st = os.stat(tmp_path / "d.jpg")
    changed = [FileEntry(files[3].path, st.st_size, st.st_mtime_ns)]
    monkeypatch.setattr(exact, "content_hash", content_hash)
    later, hashed = find_content_hashes(files[:3] + changed, Cache(tmp_path / "cache.sqlite3"))
    assert hashed == 1 and later[changed[0].path] == content_hash(changed[0].path)
